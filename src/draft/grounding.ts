import { replaceTitles } from "../text/titles.js";
import type { Ungrounded, UngroundedReason } from "./types.js";
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
 * - Figures are grounded fact by fact: each occurrence of a number in an answer grounds only the
 *   draft figures about the same fact, i.e. whose words share a subject with its own (see
 *   sameFact). "按时办结率96%" is not grounded by "群众满意度96%", nor "普法宣传活动20场次" by
 *   "执法检查20场次" (reason `elsewhere`); "315.95吨" is not grounded by "315.95公斤" (`unit`).
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
    const reason = groundingOf(v, draft, index);
    if (reason === "grounded") continue;
    const context = sentenceAt(draft, v.index, v.raw.length);
    const key = `${v.raw}\u0000${context}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ section, value: v.raw, context, reason });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const KINDS: Record<string, readonly string[]> = {
  person: ["人", "人次", "名", "位"],
  household: ["户", "户次"],
  count: [
    ...["件", "件次", "次", "起", "宗", "笔", "例", "场", "场次", "期", "轮", "堂", "批", "批次"],
    ...["项", "条", "类", "款", "卷", "车次", "个", "份", "册", "本", "套", "张", "幅", "篇"],
    ...["家", "家次", "所", "处", "座", "台", "辆", "块", "支"],
  ],
  day: ["天", "日", "工作日"],
  lesson: ["课时"],
};

/** The kind of thing a unit measures; a unit not listed is its own kind (元, %, 吨, 公斤, 亩 …). */
const UNIT_KIND = new Map<string, string>(
  Object.entries(KINDS).flatMap(([kind, units]) => units.map((u) => [u, kind] as const)),
);

function kindOf(unit: string): string {
  return UNIT_KIND.get(unit) ?? unit;
}

function unitsCompatible(a: string, b: string): boolean {
  return a === "" || b === "" || kindOf(a) === kindOf(b);
}

/** One figure of an answer: its unit and the words of the fact it belongs to. */
interface Occurrence {
  unit: string;
  fact: FactWords;
}

interface SourceIndex {
  /** Canonical number → every occurrence in the answers. */
  numbers: Map<string, Occurrence[]>;
  years: Set<number>;
  dates: FoundValue[];
  titles: Set<string>;
  /** Each source's text outside its 《》, title-normalised, for a title quoted without 《》. */
  plain: string[];
  exact: Set<string>;
}

const indexes = new WeakMap<readonly string[], SourceIndex>();

/**
 * Indexes `sources` ahead of findUngrounded (same array): the drafter does it while its calls
 * wait on the network, so the draft's end does not pay for it.
 */
export function prepareGrounding(sources: readonly string[]): void {
  indexOf(sources);
}

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
    for (const v of scanText(source, true)) addSource(index, v, source);
    index.plain.push(normaliseTitle(replaceTitles(toHalfWidth(source), () => "\n")));
  }
  return index;
}

function addSource(index: SourceIndex, v: FoundValue, source: string): void {
  switch (v.kind) {
    case "number": {
      const num = v.num ?? "";
      const occurrences = index.numbers.get(num) ?? [];
      occurrences.push({ unit: v.unit ?? "", fact: factWords(source, v.index, v.raw.length) });
      index.numbers.set(num, occurrences);
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

type Verdict = "grounded" | UngroundedReason;

function groundingOf(v: FoundValue, draft: string, index: SourceIndex): Verdict {
  const verdict = (ok: boolean): Verdict => (ok ? "grounded" : "absent");
  switch (v.kind) {
    case "number":
      return numberGrounding(v, draft, index);
    case "date":
      return verdict(dateGrounded(v, index));
    case "title": {
      const title = v.title ?? "";
      return verdict(index.titles.has(title) || index.plain.some((p) => p.includes(title)));
    }
    case "docno":
    case "time":
      return verdict(index.exact.has(v.normal));
  }
}

/** Same number, compatible unit, same fact; else why not. */
function numberGrounding(v: FoundValue, draft: string, index: SourceIndex): Verdict {
  const unit = v.unit ?? "";
  const num = v.num ?? "";
  const occurrences = index.numbers.get(num) ?? [];
  const compatible = occurrences.filter((o) => unitsCompatible(unit, o.unit));
  if (compatible.length > 0) {
    const words = factWords(draft, v.index, v.raw.length);
    return compatible.some((o) => sameFact(words, o.fact)) ? "grounded" : "elsewhere";
  }
  if (unit === "" && /^\d{4}$/.test(num) && index.years.has(Number(num))) return "grounded";
  return occurrences.length > 0 ? "unit" : "absent";
}

// ---------------------------------------------------------------------------------------------
// Which fact a figure belongs to

/**
 * The words of the fact a figure states: Han bigrams of its clause (the figure itself left out)
 * and, as a wider view, of its whole sentence. Clauses end at ，；。、！？ and line breaks; a colon
 * does not end one ("信访：22件" is about 信访). Sentences end at 。；！？ and line breaks.
 */
interface FactWords {
  own: Set<string>;
  wide: Set<string>;
}

const CLAUSE_END = /[，,；;。！？!?、\n]/;
const SENTENCE_END = /[；;。！？!?\n]/;
/** Bigrams that name no subject: time, totals, the office itself, words every fact uses. */
const EMPTY_BIGRAMS = new Set([
  ...["全年", "本年", "年度", "今年", "共计", "累计", "合计", "其中", "分别", "共有", "以上"],
  ...["开展", "组织", "完成", "实现", "达到", "进行", "工作", "相关", "全镇", "全乡", "我镇"],
  ...["我乡", "街道", "辖区", "目前", "已经", "全部", "左右", "同比", "案件", "群众", "人员"],
  ...["活动", "法治", "依法", "法律"],
]);
/** A clause naming its subject in at least this many bigrams is compared on its own. */
const NAMED_SUBJECT = 3;

function factWords(text: string, at: number, length: number): FactWords {
  const outside = (from: number, to: number) =>
    `${text.slice(from, at)}\u0000${text.slice(at + length, to)}`;
  const own = bigrams(outside(clauseStart(text, at), clauseEnd(text, at + length)));
  const sentence = bigrams(
    outside(clauseStart(text, at, SENTENCE_END), clauseEnd(text, at + length, SENTENCE_END)),
  );
  return { own, wide: new Set([...own, ...sentence]) };
}

function clauseStart(text: string, at: number, end = CLAUSE_END): number {
  let i = at;
  while (i > 0 && !end.test(text[i - 1] ?? "")) i--;
  return i;
}

function clauseEnd(text: string, at: number, end = CLAUSE_END): number {
  let i = at;
  while (i < text.length && !end.test(text[i] ?? "")) i++;
  return i;
}

/** Bigrams within each run of Han characters, less the empty ones. */
function bigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const run of text.match(/\p{Script=Han}{2,}/gu) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = `${chars[i]}${chars[i + 1]}`;
      if (!EMPTY_BIGRAMS.has(pair)) out.add(pair);
    }
  }
  return out;
}

const shares = (a: Set<string>, b: Set<string>) => [...a].some((w) => b.has(w));

/**
 * Whether a draft figure and an answer's figure state the same fact: their clauses share a word;
 * when both clauses name their subject and share none (满意度 vs 办结率, 普法 vs 执法), they do not;
 * when one says little ("共设立12个"), their whole sentences are compared.
 */
function sameFact(draft: FactWords, source: FactWords): boolean {
  if (shares(draft.own, source.own)) return true;
  if (draft.own.size >= NAMED_SUBJECT && source.own.size >= NAMED_SUBJECT) return false;
  return shares(draft.wide, source.wide);
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
