import type { CheckerRules } from "./rules.js";
import { cjkLength } from "./text.js";

/**
 * Staff notes typed where a fact belongs ("印发日期待查", "不清楚"): a short clause that starts or
 * ends with a note word of checker.yaml. A longer clause ("部分群众对法律规定不清楚") is content.
 */

export interface NoteSpan {
  index: number;
  text: string;
}

const CLAUSE = /[^，。；：、,;:（）()【】[\]\s！？!?“”"]+/gu;

export function findNotes(text: string, rules: CheckerRules): NoteSpan[] {
  const { words, maxClause } = rules.notes;
  // Most text holds no note word at all: one scan per word instead of one test per clause.
  if (!words.some((w) => text.includes(w))) return [];
  const spans: NoteSpan[] = [];
  for (const m of text.matchAll(CLAUSE)) {
    const clause = m[0];
    if (cjkLength(clause) > maxClause) continue;
    if (words.some((w) => clause.startsWith(w) || clause.endsWith(w))) {
      spans.push({ index: m.index ?? 0, text: clause });
    }
  }
  return spans;
}
