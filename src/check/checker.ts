import { join } from "node:path";
import { displayPath } from "../yaml/read.js";
import { type ChecklistItem, loadChecklist } from "./checklist.js";
import { judgeFigures } from "./figures.js";
import {
  judgeCauses,
  judgeFirstResponsible,
  judgeMeasures,
  judgeNextYear,
  judgeShortcomings,
} from "./parts.js";
import { planDocumentReason } from "./plan-document.js";
import { judgePlanAnswersProblems } from "./plan-vs-problems.js";
import { type CheckerRules, CheckerRulesError, loadCheckerRules } from "./rules.js";
import { type Segmented, segment } from "./segment.js";
import { judgeSignoff, judgeTitle } from "./title-signoff.js";
import { judgeTopic } from "./topics.js";
import type { CheckItem, CheckOptions, CheckResult, Verdict } from "./types.js";
import { findWarnings } from "./warnings.js";

/**
 * The required-items checker: any report text in, every checklist item with present, weak or
 * missing and its evidence out, plus warnings. Pure and deterministic; the rules are read once,
 * from the report-type folder in use, and the checker is handed to whoever checks (no singleton).
 */

type Judge = (doc: Segmented, rules: CheckerRules) => Verdict;

/** Items judged by code; every other checklist item needs a topic rule in checker.yaml. */
const STRUCTURAL: Record<string, Judge> = {
  measures: judgeMeasures,
  shortcomings: judgeShortcomings,
  causes: judgeCauses,
  "first-responsible": judgeFirstResponsible,
  "next-year": judgeNextYear,
  figures: (doc, rules) => judgeFigures(doc.sentences, rules),
  "plan-answers-problems": judgePlanAnswersProblems,
  title: judgeTitle,
  signoff: judgeSignoff,
};

export interface Checker {
  /** The checklist items, in the order results list them. */
  readonly checklist: readonly ChecklistItem[];
  check(text: string, options?: CheckOptions): CheckResult;
}

/** The checker of a report-type folder: its checker.yaml and checklist.yaml. */
export function loadChecker(dir: string): Checker {
  return createChecker(
    loadCheckerRules(join(dir, "checker.yaml")),
    loadChecklist(join(dir, "checklist.yaml")),
  );
}

/** Builds a checker; throws CheckerRulesError when the rules do not cover the checklist exactly. */
export function createChecker(rules: CheckerRules, checklist: ChecklistItem[]): Checker {
  assertCoverage(rules, checklist);
  return {
    checklist,
    check(text: string, options: CheckOptions = {}): CheckResult {
      if (options.year !== undefined && !Number.isInteger(options.year)) {
        throw new RangeError(`year must be an integer, got ${options.year}`);
      }
      const doc = segment(text, rules, options.year);
      const plan = planDocumentReason(doc, rules);
      const items = checklist.map((item): CheckItem => {
        const verdict = judge(item, doc, rules, plan);
        return { id: item.id, title: item.title, ...verdict };
      });
      return {
        items,
        missing: items.filter((i) => i.status === "missing").map((i) => i.id),
        weak: items.filter((i) => i.status === "weak").map((i) => i.id),
        warnings: findWarnings(doc, rules, options.year),
      };
    },
  };
}

/** `plan`: why the document reads as a work plan; its topics are then not work done. */
function judge(
  item: ChecklistItem,
  doc: Segmented,
  rules: CheckerRules,
  plan: string | null,
): Verdict {
  const structural = STRUCTURAL[item.id];
  if (structural) return structural(doc, rules);
  const topic = rules.topics.get(item.id);
  if (!topic) throw new CheckerRulesError(`no rule for checklist item "${item.id}"`);
  if (plan) {
    return {
      status: "missing",
      evidence: `全文是工作方案或计划（${plan}），没有写本年度已开展的工作`,
    };
  }
  return judgeTopic(item.id, topic, item.description, doc.sentences, rules);
}

function assertCoverage(rules: CheckerRules, checklist: ChecklistItem[]): void {
  const file = displayPath(rules.file);
  const ids = new Set(checklist.map((i) => i.id));
  for (const id of rules.topics.keys()) {
    if (!ids.has(id)) {
      throw new CheckerRulesError(`${file}: topics.${id}: not a checklist item`);
    }
    if (id in STRUCTURAL) {
      throw new CheckerRulesError(`${file}: topics.${id}: judged by code, remove the rule`);
    }
  }
  for (const id of ids) {
    if (!(id in STRUCTURAL) && !rules.topics.has(id)) {
      throw new CheckerRulesError(`${file}: topics: no rule for checklist item "${id}"`);
    }
  }
  rules.compounds.forEach((compound, i) => {
    if (!rules.topics.has(compound.topic)) {
      throw new CheckerRulesError(
        `${file}: compounds[${i}].topic: "${compound.topic}" is not a topic of this file`,
      );
    }
  });
}
