import { planDocumentReason } from "../check/plan-document.js";
import { listShortcomings } from "../check/plan-vs-problems.js";
import { contentOf, type Heading, type Segmented, segment } from "../check/segment.js";
import { cjkLength, splitSentences } from "../check/text.js";
import type { ImportContext } from "./context.js";
import { type FoundOrg, findOrg } from "./org.js";
import { sectionOf } from "./topic.js";

/**
 * Last year's report read with the checker's segmenter: the office, its shortcomings and its plan
 * items, each mapped to the section of this year's template it belongs to.
 */

export interface PlanItem {
  text: string;
  /** Section id of this year's template. */
  section: string;
}

export interface PastReport {
  org: FoundOrg;
  shortcomings: { text: string }[];
  plans: PlanItem[];
}

/** Where a plan item whose words name no topic goes: the general 统筹推进 section. */
const FALLBACK_SECTION = "leadership";
/** A clause shorter than this (Han characters) is not an item ("加强宣传" has four). */
const MIN_ITEM_CHARS = 4;
/** Words before a plan verb that only frame it ("紧紧围绕……目标完善……"). */
const FRAMING = /^(?:紧紧)?(?:围绕|按照|依托|结合|根据|对照)/u;
/** A plan document's headings under one of these hold its plan items. */
const TASK_HEADING = /任务|安排|计划|措施|重点工作/u;

export function readPastReport(text: string, ctx: ImportContext): PastReport {
  const doc = segment(text, ctx.checker);
  return {
    org: findOrg(doc, text),
    shortcomings: listShortcomings(doc, ctx.checker).map((s) => ({ text: s })),
    plans: planItems(doc, ctx),
  };
}

function planItems(doc: Segmented, ctx: ImportContext): PlanItem[] {
  const fromHeadings = subHeadingItems(doc, ctx);
  if (fromHeadings.length > 0) return fromHeadings;
  const fromClauses = clauseItems(doc, ctx);
  if (fromClauses.length > 0 || !planDocumentReason(doc, ctx.checker)) return fromClauses;
  return taskHeadingItems(doc, ctx);
}

/** Sub-headings of the next year's part ("（二）进一步推进行政执法三项制度全面落实"), with their body. */
function subHeadingItems(doc: Segmented, ctx: ImportContext): PlanItem[] {
  const items: { text: string; body: string[] }[] = [];
  for (const s of doc.sentences) {
    if (s.part !== "next-year") continue;
    if (s.heading && s.under !== "" && !s.empty) items.push({ text: tidy(s.text), body: [] });
    else if (!s.heading) items.at(-1)?.body.push(s.text);
  }
  return items.map(({ text, body }) => ({
    text,
    section: sectionOf(text, ctx) ?? sectionOf(body.join(""), ctx) ?? FALLBACK_SECTION,
  }));
}

/** Arrangements written as running text: each clause that starts with a plan verb and names a topic. */
function clauseItems(doc: Segmented, ctx: ImportContext): PlanItem[] {
  const items: PlanItem[] = [];
  for (const s of doc.sentences) {
    if (s.part !== "next-year" || s.heading) continue;
    for (const clause of s.text.split(/[，,；;。：:]/u)) {
      const text = itemOf(clause, ctx);
      const section = text ? sectionOf(text, ctx) : null;
      if (text && section) items.push({ text, section });
    }
  }
  return items;
}

/** A clause's item: subject and adverbs taken off, starting at its plan verb; null if none. */
function itemOf(clause: string, ctx: ImportContext): string | null {
  let text = tidy(clause);
  for (let changed = true; changed; ) {
    const before = text;
    for (const lead of ctx.rules.planLead) text = text.replace(lead, "");
    changed = text !== before;
  }
  if (FRAMING.test(text)) {
    const at = Math.min(
      ...ctx.rules.planVerbs.map((v) => text.indexOf(v)).filter((i) => i > 0),
      Number.POSITIVE_INFINITY,
    );
    if (Number.isFinite(at)) text = text.slice(at);
  }
  const verbAt = text.replace(ctx.rules.planAdverbs, "");
  const startsWithVerb = ctx.rules.planVerbs.some((v) => verbAt.startsWith(v));
  return startsWithVerb && cjkLength(text) >= MIN_ITEM_CHARS ? text : null;
}

/** A work plan instead of a report: the innermost headings under its tasks are its items. */
function taskHeadingItems(doc: Segmented, ctx: ImportContext): PlanItem[] {
  const items: PlanItem[] = [];
  const stack: Heading[] = [];
  doc.headings.forEach((h, i) => {
    while ((stack.at(-1)?.level ?? -1) >= h.level) stack.pop();
    const underTasks = stack.some((a) => TASK_HEADING.test(a.text));
    const next = doc.headings[i + 1];
    const leaf = !next || next.level <= h.level;
    stack.push(h);
    const text = tidy(h.text);
    if (!underTasks || !leaf || cjkLength(contentOf(text, ctx.checker)) < MIN_ITEM_CHARS) return;
    const body = h.body ? (splitSentences(h.body)[0] ?? "") : "";
    items.push({ text, section: sectionOf(text, ctx) ?? sectionOf(body, ctx) ?? FALLBACK_SECTION });
  });
  return items;
}

/** Trimmed, without a trailing full stop or enumerator ("一是"). */
function tidy(text: string): string {
  return text
    .trim()
    .replace(/^(?:[一二三四五六七八九十]是)/u, "")
    .replace(/[。；;，,\s]+$/u, "");
}
