import { findContentWarnings } from "./content-warnings.js";
import { findMisquotedTitles } from "./documents.js";
import type { CheckerRules } from "./rules.js";
import type { Heading, Segmented } from "./segment.js";
import { excerpt, quote } from "./text.js";
import type { CheckWarning } from "./types.js";
import { yearsIn } from "./year.js";

/** What reviewers punish besides missing items: placeholders, wrong years, misquotes, numbering. */

export function findWarnings(
  doc: Segmented,
  rules: CheckerRules,
  givenYear?: number,
): CheckWarning[] {
  const text = doc.lines.join("\n");
  const all = [
    ...findPlaceholders(text, rules),
    ...findYearMismatches(doc, givenYear),
    ...findMisquotedTitles(text, rules),
    ...findNumberingGaps(doc.headings),
    ...findRateMismatches(doc),
    ...findContentWarnings(doc, rules),
  ];
  const seen = new Set<string>();
  return all.filter((w) => {
    const key = `${w.kind}\u0000${w.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const CONTEXT = 15;

function around(text: string, index: number, length: number): string {
  const start = Math.max(0, index - CONTEXT);
  return excerpt(text.slice(start, index + length + CONTEXT).replace(/\n/g, " "), 60);
}

/** One warning per placeholder as written, with how often it occurs; overlaps count once. */
export function findPlaceholders(text: string, rules: CheckerRules): CheckWarning[] {
  // One flag per character: checking an overlap costs the match's length, not the matches so far.
  const covered = new Uint8Array(text.length);
  const found = new Map<string, { label: string; count: number; evidence: string }>();
  for (const { pattern, label } of rules.placeholders) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (covered.subarray(start, end).includes(1)) continue;
      covered.fill(1, start, end);
      const entry = found.get(m[0]);
      if (entry) entry.count++;
      else found.set(m[0], { label, count: 1, evidence: around(text, start, m[0].length) });
    }
  }
  return [...found].map(([written, { label, count, evidence }]) => ({
    kind: "placeholder",
    text: `留有${label}“${written}”${count > 1 ? `（共${count}处）` : ""}，需要换成实际内容`,
    evidence,
  }));
}

/**
 * Years that contradict the report year: the title against a given year, the sentence that
 * introduces the report, headings (the heading of the arrangements names the next year), and
 * sentences that open with a year (the arrangements' ones with the next year).
 */
function findYearMismatches(doc: Segmented, givenYear?: number): CheckWarning[] {
  const year = doc.reportYear;
  if (year === null) return [];
  const warnings: CheckWarning[] = [];
  const titleYear = doc.title ? yearsIn(doc.title)[0]?.year : undefined;
  if (givenYear !== undefined && titleYear !== undefined && titleYear !== givenYear) {
    warnings.push({
      kind: "year",
      text: `报告标题写的是${titleYear}年，报告年度是${givenYear}年`,
      evidence: doc.title ?? "",
    });
  }
  for (const h of doc.headings) {
    const allowed = headingYears(h, year);
    const wrong = allowed && yearsIn(h.text).find((y) => !allowed.includes(y.year));
    if (wrong && allowed) {
      const should = h.opens.includes("next-year") ? "下一年度安排应为" : "报告年度是";
      warnings.push({
        kind: "year",
        text: `小标题写的是${wrong.year}年，${should}${allowed.at(-1)}年`,
        evidence: h.line,
      });
    }
  }
  for (const s of doc.sentences) {
    if (s.heading) continue;
    const expected =
      s.part === "next-year"
        ? year + 1
        : s.part === "shortcomings" || s.part === "other"
          ? null
          : year;
    const m = /^(\d{4})\s*年度?(?!以来|来)/u.exec(s.norm);
    if (!m || expected === null || Number(m[1]) === expected) continue;
    warnings.push({
      kind: "year",
      text:
        s.part === "next-year"
          ? `下一年度安排写的是${m[1]}年，应为${expected}年`
          : `写的是${m[1]}年的情况，报告年度是${year}年`,
      evidence: excerpt(s.text, 60),
    });
  }
  const reportSentence = doc.sentences.find(
    (s) => s.part === "intro" && /(?:报告|汇报)如下/u.test(s.norm),
  );
  const claimed = reportSentence ? yearsIn(reportSentence.norm)[0] : undefined;
  if (reportSentence && claimed && claimed.year !== year) {
    warnings.push({
      kind: "year",
      text: `导语说报告的是${claimed.year}年，报告年度是${year}年`,
      evidence: excerpt(reportSentence.text, 60),
    });
  }
  return warnings;
}

/** Years a heading may name; null when any is fine (inside the arrangements). */
function headingYears(h: Heading, year: number): number[] | null {
  if (h.opens.includes("next-year")) return h.opens.length > 1 ? [year, year + 1] : [year + 1];
  return h.part === "next-year" ? null : [year];
}

/** Sibling headings numbered twice or with a number skipped (（二）then（四）). */
function findNumberingGaps(headings: Heading[]): CheckWarning[] {
  const warnings: CheckWarning[] = [];
  const last = new Map<number, Heading>();
  for (const h of headings) {
    for (const level of [...last.keys()]) if (level > h.level) last.delete(level);
    if (h.number === null) continue;
    const before = last.get(h.level);
    const expected = (before?.number ?? 0) + 1;
    if (before && h.number === before.number) {
      warnings.push({
        kind: "numbering",
        text: `标题编号重复：“${h.label}”出现了两次`,
        evidence: h.line,
      });
    } else if (h.number > expected) {
      const after = before ? `“${before.label}”之后是` : "第一个标题是";
      warnings.push({
        kind: "numbering",
        text: `标题编号跳号：${after}“${h.label}”`,
        evidence: h.line,
      });
    }
    last.set(h.level, h);
  }
  return warnings;
}

/** How far before a rate its two counts may stand (they share its clauses). */
const RATE_REACH = 60;
const RATE =
  /([\p{Script=Han}]{2,6})率(?:均?达到?|为|是)?\s*(\d+(?:\.\d+)?)\s*[%％](?!以上|以下|左右)/gu;
const COUNT = /(?<![\d.])(\d+)\s*(件|起|人次|人|次|户|家|个|项|份|场|名)/gu;

/** A stated rate that the two counts before it contradict (150起中调解成功128起，成功率86%). */
function findRateMismatches(doc: Segmented): CheckWarning[] {
  const warnings: CheckWarning[] = [];
  for (const s of doc.sentences) {
    if (s.heading || s.plan) continue;
    for (const rate of s.norm.matchAll(RATE)) {
      const name = rate[1] ?? "";
      const stated = Number(rate[2]);
      const at = rate.index ?? 0;
      const before = s.norm.slice(Math.max(0, at - RATE_REACH), at);
      const counts = [...before.matchAll(COUNT)];
      const part = counts.at(-1);
      const whole = counts.at(-2);
      if (!part || !whole || part[2] !== whole[2]) continue;
      const numerator = Number(part[1]);
      const denominator = Number(whole[1]);
      const context = before.slice(Math.max(0, (part.index ?? 0) - 6), part.index ?? 0);
      if (denominator === 0 || numerator > denominator || !sharesPair(context, name)) continue;
      const actual = (numerator / denominator) * 100;
      if (consistent(actual, rate[2] ?? "")) continue;
      warnings.push({
        kind: "rate-mismatch",
        text: `请核对：按${denominator}${whole[2]}和${numerator}${part[2]}计算，${name}率为${round1(actual)}%，文中写的是${stated}%`,
        evidence: quote(s.text, 70),
      });
    }
  }
  return warnings;
}

function sharesPair(a: string, b: string): boolean {
  for (let i = 0; i + 2 <= b.length; i++) if (a.includes(b.slice(i, i + 2))) return true;
  return false;
}

/** Rounded or truncated to the decimals written. */
function consistent(actual: number, written: string): boolean {
  const decimals = written.split(".")[1]?.length ?? 0;
  const scale = 10 ** decimals;
  const stated = Number(written);
  return (
    Math.abs(Math.round(actual * scale) / scale - stated) < 1e-9 ||
    Math.abs(Math.floor(actual * scale) / scale - stated) < 1e-9
  );
}

function round1(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}
