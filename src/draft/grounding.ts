import type { Ungrounded } from "./types.js";
import { type FoundValue, normaliseTitle, scanText, sentenceAt, toHalfWidth } from "./values.js";

/**
 * Grounding: every value a draft states must come from the staff's answers (or the org basics the
 * program adds). Values are read by values.ts; this module decides which draft values have a
 * source.
 *
 * Matching rules
 * - Figures: the quantity must be equal after normalisation (1,471 = 1471, 1.2万 = 12000,
 *   2.5万元 = 25000元, 二十二件 = 22件, 96.74％ = 百分之九十六点七四 = 96.74%). When both sides carry
 *   a unit the units must measure the same kind of thing (UNIT_KIND): people (人 人次 名 位),
 *   households, counts of items or events (件 次 项 场 期 个 份 …, so 56件 = 56次), money (元),
 *   percent (% only with %), percentage points, and each measure of time, length and area. A
 *   figure without unit on either side matches on the number alone (staff often answer "56").
 *   A number the LLM computed (a sum, a rate, "按期办结率100%" from "均按期办结") is not in the
 *   sources and is therefore ungrounded: that is the point.
 *   "余/多" is ignored (80余人 = 80人); a unitless 4-digit number also matches a year.
 * - Dates: a draft date matches a source date that agrees on every part the draft states
 *   (2024年3月 is grounded by 2024年3月5日, not the reverse). A source date without year
 *   (3月5日) grounds a draft date with a year when that year is itself a source year (the org
 *   basics give the report year). A year alone must be a source year: 2023 in a 2024 report is
 *   caught unless the staff mentioned 2023.
 * - 《Titles》: equal after unifying brackets, dashes, quotes and removing spaces, or written
 *   verbatim (same normalisation) in a source's plain text outside its own 《》; a shortened title
 *   (《纲要》 for 《法治政府建设实施纲要（2021—2025年）》) is ungrounded.
 * - Document numbers 〔2023〕60号 and times 14:30: equal.
 * Not values: 【…】 markers, list and heading numbering (1. 2、 (3) 1.1 at a clause start),
 * ordinals (第1次, 第一), a bare 一/百/千/零 before a measure word in the draft (一次性, 零件), set
 * phrases (三项制度, 两个维护), hotline names (12345热线), figures inside a 《title》 (the title is
 * checked as a whole).
 */

/** Values (figures, percentages, amounts, dates, 《document titles》) in a text, normalised. */
export function extractValues(text: string): { raw: string; normal: string; context: string }[] {
  return scanText(text).map((v) => ({
    raw: v.raw,
    normal: v.normal,
    context: sentenceAt(text, v.index, v.raw.length),
  }));
}

/** Every value of `draft` not found among the values of `sources`; `section` is copied into each result. */
export function findUngrounded(
  section: string,
  draft: string,
  sources: readonly string[],
): Ungrounded[] {
  const index = indexOf(sources);
  const out: Ungrounded[] = [];
  const seen = new Set<string>();
  for (const v of scanText(draft)) {
    if (isGrounded(v, index)) continue;
    const context = sentenceAt(draft, v.index, v.raw.length);
    const key = `${v.raw}\u0000${context}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ section, value: v.raw, context });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const KINDS: Record<string, readonly string[]> = {
  person: ["人", "人次", "名", "位"],
  household: ["户", "户次"],
  count: [
    ...["件", "件次", "次", "起", "宗", "例", "场", "场次", "期", "轮", "堂", "批", "批次"],
    ...["项", "条", "类", "款", "卷", "车次", "个", "份", "册", "本", "套", "张", "幅", "篇"],
    ...["家", "家次", "所", "处", "座", "台", "辆", "块", "支"],
  ],
  day: ["天", "日", "工作日"],
  lesson: ["课时"],
};

/** The kind of thing a unit measures; a unit not listed is its own kind (元, %, 小时, 平方米 …). */
const UNIT_KIND = new Map<string, string>(
  Object.entries(KINDS).flatMap(([kind, units]) => units.map((u) => [u, kind] as const)),
);

function kindOf(unit: string): string {
  return UNIT_KIND.get(unit) ?? unit;
}

function unitsCompatible(a: string, b: string): boolean {
  return a === "" || b === "" || kindOf(a) === kindOf(b);
}

interface SourceIndex {
  /** Canonical number → the units it was written with ("" for none). */
  numbers: Map<string, Set<string>>;
  years: Set<number>;
  dates: FoundValue[];
  titles: Set<string>;
  /** Each source's text outside its 《》, title-normalised, for a title quoted without 《》. */
  plain: string[];
  exact: Set<string>;
}

const indexes = new WeakMap<readonly string[], SourceIndex>();

/** A draft checks every section against the same sources: they are indexed once, not per section. */
function indexOf(sources: readonly string[]): SourceIndex {
  let index = indexes.get(sources);
  if (!index) {
    index = indexSources(sources);
    indexes.set(sources, index);
  }
  return index;
}

function indexSources(sources: readonly string[]): SourceIndex {
  const index: SourceIndex = {
    numbers: new Map(),
    years: new Set(),
    dates: [],
    titles: new Set(),
    plain: [],
    exact: new Set(),
  };
  for (const source of sources) {
    for (const v of scanText(source, true)) addSource(index, v);
    index.plain.push(normaliseTitle(toHalfWidth(source).replace(/《[^》\n]*》/g, "\n")));
  }
  return index;
}

function addSource(index: SourceIndex, v: FoundValue): void {
  switch (v.kind) {
    case "number": {
      const num = v.num ?? "";
      const units = index.numbers.get(num) ?? new Set<string>();
      units.add(v.unit ?? "");
      index.numbers.set(num, units);
      if (v.unit === "" && /^\d{4}$/.test(num)) index.years.add(Number(num));
      break;
    }
    case "date":
      index.dates.push(v);
      if (v.y !== undefined) index.years.add(v.y);
      break;
    case "title":
      index.titles.add(v.title ?? "");
      break;
    case "docno":
      if (v.y !== undefined) index.years.add(v.y);
      index.exact.add(v.normal);
      break;
    case "time":
      index.exact.add(v.normal);
      break;
  }
}

function isGrounded(v: FoundValue, index: SourceIndex): boolean {
  switch (v.kind) {
    case "number": {
      const unit = v.unit ?? "";
      const units = index.numbers.get(v.num ?? "");
      if (units && [...units].some((u) => unitsCompatible(unit, u))) return true;
      return unit === "" && /^\d{4}$/.test(v.num ?? "") && index.years.has(Number(v.num));
    }
    case "date":
      return dateGrounded(v, index);
    case "title": {
      const title = v.title ?? "";
      return index.titles.has(title) || index.plain.some((p) => p.includes(title));
    }
    case "docno":
    case "time":
      return index.exact.has(v.normal);
  }
}

function dateGrounded(v: FoundValue, index: SourceIndex): boolean {
  if (v.m === undefined && v.d === undefined) return v.y !== undefined && index.years.has(v.y);
  return index.dates.some((s) => {
    if (s.m !== v.m) return false;
    if (v.d !== undefined && s.d !== v.d) return false;
    if (v.y === undefined) return true;
    return s.y === v.y || (s.y === undefined && index.years.has(v.y));
  });
}
