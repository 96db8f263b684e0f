import { type Sentence, segment } from "../check/segment.js";
import { matchesAny } from "../check/text.js";
import type { ImportContext } from "./context.js";
import type { PlanItem } from "./past-report.js";
import { topicText } from "./topic.js";

/**
 * The sibling of the checker's plan-answers-problems: whether this year's report accounts for
 * each of last year's plan items. An item is reduced to what it is about — the checker's
 * concepts (执法队伍, 宣传, 法律顾问 …) and its section's own words it names; it is accounted
 * for when a sentence reporting this year's work names one of them. Pure: text in, verdicts out.
 */

export interface PlanAccount extends PlanItem {
  mentioned: boolean;
  /** The sentence of this year's report that mentions it, as written. */
  evidence: string | null;
}

export function accountForPlans(
  reportText: string,
  plans: readonly PlanItem[],
  ctx: ImportContext,
): PlanAccount[] {
  const doc = segment(reportText, ctx.checker);
  const reported = doc.sentences.filter(isReportedWork).map((s) => ({
    text: s.text,
    subject: topicText(s.norm),
  }));
  return plans.map((plan) => {
    const about = subjectsOf(plan, ctx);
    const hit = about.length > 0 ? reported.find((s) => matchesAny(s.subject, about)) : undefined;
    return { ...plan, mentioned: hit !== undefined, evidence: hit?.text ?? null };
  });
}

/** This year's work: not a heading, a plan, the shortcomings or the next year's arrangements. */
function isReportedWork(s: Sentence): boolean {
  return !s.heading && !s.plan && s.part !== "shortcomings" && s.part !== "next-year";
}

/** The patterns an item names: the checker's concepts first, else its section's own words. */
function subjectsOf(plan: PlanItem, ctx: ImportContext): RegExp[] {
  const item = topicText(plan.text);
  const concepts = ctx.checker.planVsProblems.concepts
    .flatMap((c) => c.patterns)
    .filter((p) => p.test(item));
  if (concepts.length > 0) return concepts;
  return (ctx.rules.sections.get(plan.section) ?? []).filter((p) => p.test(item));
}
