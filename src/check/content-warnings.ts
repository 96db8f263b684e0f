import { findNotes } from "./notes.js";
import { planDocumentReason } from "./plan-document.js";
import type { CheckerRules } from "./rules.js";
import { blankPlaceholders, type Segmented } from "./segment.js";
import { excerptAt, matchesAny, matchingText, quote } from "./text.js";
import { titleUnit } from "./title-signoff.js";
import type { CheckWarning } from "./types.js";

/**
 * Warnings on what the report says rather than how it is laid out: staff notes left in, a
 * report of the wrong level, stale wording, a township acting as 行政复议 body, a plan sent as
 * a report.
 */

export function findContentWarnings(doc: Segmented, rules: CheckerRules): CheckWarning[] {
  return [
    ...findNotesLeft(doc, rules),
    ...findLevel(doc, rules),
    ...findStaleTerms(doc, rules),
    ...findReviewBody(doc, rules),
    ...findPlanDocument(doc, rules),
  ];
}

/** Each staff note as written, once, with how often it occurs. */
function findNotesLeft(doc: Segmented, rules: CheckerRules): CheckWarning[] {
  const found = new Map<string, { count: number; evidence: string }>();
  for (const line of doc.lines) {
    const { words, ambiguous } = rules.notes;
    if (![...words, ...ambiguous].some((w) => line.includes(w))) continue;
    const text = blankPlaceholders(line, rules);
    for (const note of findNotes(text, rules)) {
      const entry = found.get(note.text);
      if (entry) entry.count++;
      else found.set(note.text, { count: 1, evidence: excerptAt(line, note.index, 40) });
    }
  }
  return [...found].map(([written, { count, evidence }]) => ({
    kind: "note",
    text: `留有工作备注“${written}”${count > 1 ? `（共${count}处）` : ""}，需要核实后写成实际内容或删去`,
    evidence,
  }));
}

/** The title, the sign-off or the self-designation names a 县/市/区 or a department. */
function findLevel(doc: Segmented, rules: CheckerRules): CheckWarning[] {
  const { township, higher, selfTownship, selfHigher } = rules.level;
  const isHigher = (unit: string): boolean => higher.test(unit) && !township.test(unit);
  const warnings: CheckWarning[] = [];
  const unit = doc.title ? titleUnit(matchingText(doc.title), rules) : null;
  if (unit && isHigher(unit)) {
    warnings.push({
      kind: "level",
      text: `标题的单位“${unit}”不是乡镇（街道），本模板用于乡镇（街道）的报告`,
      evidence: doc.title ?? "",
    });
  }
  const signoffUnit = doc.signoff.find((line) => rules.signoff.unit.test(line));
  if (signoffUnit && isHigher(signoffUnit.replace(/\s+/gu, ""))) {
    warnings.push({
      kind: "level",
      text: `落款单位“${signoffUnit}”不是乡镇（街道）`,
      evidence: signoffUnit,
    });
  }
  const body = doc.sentences
    .filter((s) => !s.heading)
    .map((s) => s.norm.replace(/《[^《》]*》/gu, ""))
    .join("\n");
  // One scan per list: the self-names as one alternation.
  const count = (patterns: RegExp[]): number =>
    body.match(new RegExp(patterns.map((p) => p.source).join("|"), "gu"))?.length ?? 0;
  const higherCount = count(selfHigher);
  if (higherCount >= 2 && higherCount > count(selfTownship)) {
    const example = doc.sentences.find(
      (s) => !s.heading && matchesAny(s.norm, selfHigher.map(local)),
    );
    warnings.push({
      kind: "level",
      text: `正文${higherCount}处以县、市、区或部门自称（如“我县”“我局”），不是乡镇（街道）的口吻`,
      evidence: example ? quote(example.text, 60) : "",
    });
  }
  return warnings;
}

/** A global expression as a plain one, for `test` without state. */
function local(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, "u");
}

/** Pre-2020 wording, once per term, outside cited titles (a title is quoted as issued). */
function findStaleTerms(doc: Segmented, rules: CheckerRules): CheckWarning[] {
  const year = doc.reportYear;
  const lines = doc.lines.map((line) => ({
    line,
    norm: matchingText(line).replace(/《[^《》]*》/gu, (m) => " ".repeat(m.length)),
  }));
  const warnings: CheckWarning[] = [];
  for (const term of rules.staleTerms) {
    if (term.since !== null && year !== null && year < term.since) continue;
    let count = 0;
    let first: { written: string; evidence: string } | null = null;
    for (const { line, norm } of lines) {
      for (const m of norm.matchAll(term.pattern)) {
        count++;
        first ??= { written: m[0], evidence: excerptAt(line, m.index ?? 0, 40) };
      }
    }
    if (!first) continue;
    warnings.push({
      kind: "stale-term",
      text: `“${first.written}”是旧提法，应写“${term.current}”${count > 1 ? `（共${count}处）` : ""}`,
      evidence: first.evidence,
    });
  }
  return warnings;
}

/** A township is a respondent in 行政复议; it never accepts or decides cases as the review body. */
function findReviewBody(doc: Segmented, rules: CheckerRules): CheckWarning[] {
  const claim = doc.sentences.find(
    (s) =>
      !s.heading &&
      matchesAny(s.norm, rules.reviewBody.claims) &&
      !matchesAny(s.norm, rules.reviewBody.not),
  );
  if (!claim) return [];
  return [
    {
      kind: "review-body",
      text: "乡镇（街道）不是行政复议机关，不能受理或审理行政复议案件；应写作为被申请人答复、应诉的情况",
      evidence: quote(claim.text, 70),
    },
  ];
}

function findPlanDocument(doc: Segmented, rules: CheckerRules): CheckWarning[] {
  const why = planDocumentReason(doc, rules);
  if (!why) return [];
  return [
    {
      kind: "plan",
      text: "这份文件读起来是工作方案或计划，不是年度报告：应写本年度已经做了什么、取得了什么成效",
      evidence: why,
    },
  ];
}
