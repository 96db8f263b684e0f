import { replaceTitles } from "../text/titles.js";
import type { CheckerRules } from "./rules.js";
import type { Sentence } from "./segment.js";
import { excerptAt, matchesAny } from "./text.js";
import type { Verdict } from "./types.js";

/** Concrete figures in the measures part: distinct quantities, not years, dates or targets. */

export interface Figure {
  /** The quantity as written, normalised for counting ("2875件", "70余人次", "100%"). */
  key: string;
  /** A target ("不少于2次", "力争达到100%") rather than a result. */
  target: boolean;
}

/**
 * Quantities in one sentence. Document titles and numbers (〔2023〕60号) are blanked first; a
 * quantity is a target when its sentence is a plan or its clause holds a plan marker.
 */
function figuresIn(sentence: Sentence, rules: CheckerRules): Figure[] {
  const blank = (m: string): string => " ".repeat(m.length);
  const text = replaceTitles(sentence.norm, blank).replace(
    /[〔［[]\d{4}[〕］\]]\s*\d+\s*号/gu,
    blank,
  );
  const figures: Figure[] = [];
  for (const m of text.matchAll(rules.figure)) {
    const key = m[4] ? `${m[1]}%` : `${m[1]}${m[2] ?? ""}${m[3]}`;
    const target = sentence.plan || matchesAny(clauseAt(text, m.index ?? 0), rules.sentence.plan);
    figures.push({ key, target });
  }
  return figures;
}

/** Farthest a clause reaches either side of a figure (keeps a comma-less text linear). */
const CLAUSE_REACH = 60;

function clauseAt(text: string, index: number): string {
  const window = text.slice(Math.max(0, index - CLAUSE_REACH), index + CLAUSE_REACH);
  const at = Math.min(index, CLAUSE_REACH);
  const start = Math.max(window.lastIndexOf("，", at), window.lastIndexOf(",", at)) + 1;
  const ends = [window.indexOf("，", at), window.indexOf(",", at)].filter((i) => i >= 0);
  return window.slice(start, ends.length > 0 ? Math.min(...ends) : window.length);
}

export function judgeFigures(sentences: Sentence[], rules: CheckerRules): Verdict {
  const measures = sentences.filter((s) => s.part === "measures" && !s.heading);
  if (measures.length === 0) {
    return { status: "missing", evidence: "没有主要举措和成效部分，无从统计数据" };
  }
  const results = new Map<string, string>();
  const targets = new Set<string>();
  for (const s of measures) {
    for (const f of figuresIn(s, rules)) {
      if (f.target) targets.add(f.key);
      else if (!results.has(f.key)) results.set(f.key, s.text);
    }
  }
  const count = results.size;
  const list = [...results.keys()].slice(0, 8).join("、");
  const targetNote =
    targets.size > 0 ? `；另有${targets.size}个计划指标（如“${[...targets][0]}”）不计入` : "";
  const enough = rules.thresholds.figuresPresent;
  if (count >= enough) {
    return { status: "present", evidence: `主要举措部分有${count}个不同的数据：${list}` };
  }
  if (count > 0) {
    const [key, sentence] = [...results][0] ?? ["", ""];
    const at = sentence.indexOf(/^[\d.]+/u.exec(key)?.[0] ?? key);
    const where = `（如“${excerptAt(sentence, Math.max(0, at), 40)}”）`;
    return {
      status: "weak",
      evidence: `主要举措部分只有${count}个实际数据：${list}${where}，少于${enough}个${targetNote}`,
    };
  }
  return {
    status: "missing",
    evidence: `主要举措部分没有实际数据（次数、比例、金额）${targetNote}`,
  };
}
