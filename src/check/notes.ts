import type { CheckerRules } from "./rules.js";
import { cjkLength } from "./text.js";

/**
 * Staff notes typed where a fact belongs ("印发日期待查", "行政复议案件没有统计", "不清楚"): a
 * clause that starts or ends with a note word of checker.yaml; for an ambiguous word (不清楚)
 * only a short clause, as "部分群众对法律规定不清楚" is content.
 */

export interface NoteSpan {
  index: number;
  text: string;
}

const CLAUSE = /[^，。；：、,;:（）()【】[\]\s！？!?“”"]+/gu;

export function findNotes(text: string, rules: CheckerRules): NoteSpan[] {
  const { words, ambiguous, maxClause } = rules.notes;
  // Most text holds no note word at all: one scan per word instead of one test per clause.
  if (!words.some((w) => text.includes(w)) && !ambiguous.some((w) => text.includes(w))) return [];
  const edge = (clause: string, w: string): boolean => clause.startsWith(w) || clause.endsWith(w);
  const spans: NoteSpan[] = [];
  for (const m of text.matchAll(CLAUSE)) {
    const clause = m[0];
    const note =
      words.some((w) => edge(clause, w)) ||
      (cjkLength(clause) <= maxClause && ambiguous.some((w) => edge(clause, w)));
    if (note) spans.push({ index: m.index ?? 0, text: clause });
  }
  return spans;
}
