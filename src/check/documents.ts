import type { CheckerRules, KnownDocument } from "./rules.js";
import type { CheckWarning } from "./types.js";

/** Misquoted titles of well-known documents (rules and their reasons: checker.yaml `documents`). */

/** Titles shorter than this are short forms (《宪法》《民法典》) and are not compared. */
const MIN_COMPARED_LENGTH = 8;

interface CitedTitle {
  written: string;
  core: string;
  years: string | null;
}

/** Brackets, dashes, spaces and 年 normalised; the year bracket split off the name. */
export function parseCitedTitle(written: string): CitedTitle {
  const flat = written
    .replace(/[（﹙]/gu, "(")
    .replace(/[）﹚]/gu, ")")
    .replace(/\s+/gu, "")
    .replace(/(\d{4})[—–\-－~～至]+(\d{4})/gu, "$1—$2");
  const m = /\((\d{4}—\d{4})年?\)$/u.exec(flat);
  return {
    written,
    core: m ? flat.slice(0, m.index) : flat,
    years: m?.[1] ?? null,
  };
}

/**
 * Edits between two names allowing insertions, deletions and at most one changed character:
 * two names that differ in two or more characters are other documents (法治大冶/法治中国).
 */
export function nearEdits(a: string, b: string): number {
  const INF = Number.POSITIVE_INFINITY;
  const n = b.length;
  // cost[s][j]: edits for a[0..i) → b[0..j) using s substitutions.
  let prev = [0, 1].map((s) => Array.from({ length: n + 1 }, (_, j) => (s === 0 ? j : INF)));
  for (let i = 1; i <= a.length; i++) {
    const next = [0, 1].map(() => new Array<number>(n + 1).fill(INF));
    for (let s = 0; s <= 1; s++) {
      const row = next[s] as number[];
      const up = prev[s] as number[];
      row[0] = s === 0 ? i : INF;
      for (let j = 1; j <= n; j++) {
        const same = a[i - 1] === b[j - 1];
        const diagonal = same
          ? (up[j - 1] as number)
          : s === 1
            ? (prev[0]?.[j - 1] ?? INF) + 1
            : INF;
        row[j] = Math.min(diagonal, (up[j] as number) + 1, (row[j - 1] as number) + 1);
      }
    }
    prev = next;
  }
  return Math.min(prev[0]?.[n] ?? INF, prev[1]?.[n] ?? INF);
}

function misquote(cited: CitedTitle, docs: KnownDocument[], maxEdits: number): string | null {
  const exact = docs.find((d) => d.name === cited.core);
  if (exact) {
    if (!cited.years || exact.editions.length === 0 || exact.editions.includes(cited.years)) {
      return null;
    }
    const editions = exact.editions.map((e) => `（${e}年）`);
    const right =
      editions.length > 1
        ? `${editions.slice(0, -1).join("、")}或${editions.at(-1)}`
        : (editions[0] ?? "");
    return `《${exact.name}》的年份应为${right}，文中写成了（${cited.years}年）`;
  }
  if (cited.core.length < MIN_COMPARED_LENGTH) return null;
  const near = docs.find((d) => {
    // Names whose lengths differ by more than maxEdits need more edits: skip the table.
    if (Math.abs(cited.core.length - d.name.length) > maxEdits) return false;
    const edits = nearEdits(cited.core, d.name);
    return edits > 0 && edits <= maxEdits;
  });
  return near ? `文件名称有误，应为《${near.name}》` : null;
}

export function findMisquotedTitles(text: string, rules: CheckerRules): CheckWarning[] {
  const warnings: CheckWarning[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/《([^《》]{2,80})》/gu)) {
    const written = m[1] ?? "";
    if (seen.has(written)) continue;
    seen.add(written);
    const problem = misquote(
      parseCitedTitle(written),
      rules.documents.list,
      rules.documents.maxEdits,
    );
    if (problem) warnings.push({ kind: "title", text: problem, evidence: `《${written}》` });
  }
  return warnings;
}
