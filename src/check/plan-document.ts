import type { CheckerRules } from "./rules.js";
import type { Segmented } from "./segment.js";
import { matchesAny } from "./text.js";

/**
 * Whether a document is a work plan (工作方案/工作要点) rather than a report: its top-level
 * headings are a plan's (指导思想, 总体目标, 重点任务, 工作要求 …), or its measures are mostly
 * targets and it names no shortcomings. Returns why, in Chinese, or null.
 */
export function planDocumentReason(doc: Segmented, rules: CheckerRules): string | null {
  const top = Math.min(...doc.headings.map((h) => h.level));
  const planHeadings = doc.headings.filter(
    (h) => h.level === top && matchesAny(h.text, rules.planDocument.headings),
  );
  const kinds = new Set(
    planHeadings.map((h) => rules.planDocument.headings.findIndex((p) => p.test(h.text))),
  );
  if (kinds.size >= rules.planDocument.minHeadings) {
    const named = planHeadings
      .slice(0, 3)
      .map((h) => `“${h.text}”`)
      .join("");
    return `小标题${named}是工作方案的结构`;
  }
  const measures = doc.sentences.filter((s) => s.part === "measures" && !s.heading);
  const plans = measures.filter((s) => s.plan).length;
  const done = measures.filter((s) => matchesAny(s.norm, rules.sentence.done)).length;
  const shortcomings = doc.sentences.some((s) => s.part === "shortcomings" && !s.heading);
  if (!shortcomings && plans >= rules.thresholds.planSentencesMin && plans > done * 2) {
    return `${plans}句是目标或要求，只有${done}句写已完成的事，也没有写存在的不足`;
  }
  return null;
}
