/**
 * Finds the values a report text states — figures with their unit, percentages, dates,
 * 〔year〕number document numbers and 《titles》 — and normalises them so that a draft's values can
 * be matched against the staff's answers (see grounding.ts).
 *
 * Every pass works on a copy of the text of the same length (full-width forms mapped one character
 * for one), so offsets point into the original and `raw` is the value exactly as written. A pass
 * blanks what it consumed, so a later pass never reads it again: 【…】 markers and 《titles》 first,
 * then list numbering and fixed phrases, dates, Arabic figures, Chinese percentages, Chinese counts.
 */

import { CN_DIGIT, parseChineseNumber } from "../text/numerals.js";
import { titleSpans } from "../text/titles.js";

export type ValueKind = "number" | "date" | "title" | "docno" | "time";

export interface FoundValue {
  kind: ValueKind;
  /** As written in the text. */
  raw: string;
  /** Normalised: "22件", "12000", "25000元", "96.74%", "2024-03-05", "*-03-05", "《…》", "〔2023〕60号". */
  normal: string;
  /** Offset of `raw` in the text. */
  index: number;
  /** number: the quantity as a canonical decimal string ("1471", "96.74", "12000"). */
  num?: string;
  /** number: the canonical unit ("件", "人次", "元", "%"), "" when none. */
  unit?: string;
  /** date parts; docno: y is the year. */
  y?: number;
  m?: number;
  d?: number;
  /** title: the normalised words inside 《》. */
  title?: string;
}

/** Mark for consumed characters: not a digit, letter, space or punctuation any pattern reads. */
const BLANK = "\uE000";

/**
 * Full-width ASCII forms (digits, letters, ％（）．：；！？－ …) to half-width, ideographic space to
 * space. The full-width comma stays: in Chinese text "12，345" is a list, not a thousands separator.
 */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF0B\uFF0D-\uFF5E\u3000]/g, (c) =>
    c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/** The words of a document title compared loosely: brackets, dashes, quotes unified; no spaces. */
export function normaliseTitle(inner: string): string {
  return toHalfWidth(inner)
    .replace(/\s+/g, "")
    .replace(/[〔［[【]/g, "(")
    .replace(/[〕］\]】]/g, ")")
    .replace(/[—–―‐‑‒−~～-]+/g, "-")
    .replace(/[《〈<]/g, "<")
    .replace(/[》〉>]/g, ">")
    .replace(/[“”„"]/g, '"')
    .replace(/[‘’']/g, "'")
    .replace(/[·・•]/g, "·");
}

/** Sentence ends for `context`. The text has been made half-width, so ！？； are !?;. */
const SENTENCE_END = /[。!?;\n]/;
const CONTEXT_MAX = 120;

/** The trimmed sentence around `index`; a window around the value when longer than 120 chars. */
export function sentenceAt(text: string, index: number, length: number): string {
  const work = toHalfWidth(text);
  let start = index;
  while (start > 0 && !SENTENCE_END.test(work[start - 1] ?? "")) start--;
  let end = index + length;
  while (end < work.length && !SENTENCE_END.test(work[end] ?? "")) end++;
  if (end < work.length) end++; // keep the closing punctuation
  while (start < index && /\s/.test(text[start] ?? "")) start++;
  while (end > index + length && /\s/.test(text[end - 1] ?? "")) end--;
  if (end - start <= CONTEXT_MAX) return text.slice(start, end);
  const from = Math.max(start, Math.min(index - 40, end - CONTEXT_MAX));
  const to = Math.min(end, from + CONTEXT_MAX);
  return `${from > start ? "…" : ""}${text.slice(from, to).trim()}${to < end ? "…" : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** A decimal string times 10^shift, canonical: no separators, no leading or trailing zeros. */
function canonicalNumber(written: string, shift = 0): string {
  const [intPart = "", fracPart = ""] = written.replace(/,/g, "").split(".");
  let digits = intPart + fracPart;
  const point = intPart.length + shift;
  if (point > digits.length) digits = digits.padEnd(point, "0");
  const int = digits.slice(0, point).replace(/^0+/, "") || "0";
  const frac = digits.slice(point).replace(/0+$/, "");
  return frac ? `${int}.${frac}` : int;
}

const SCALE: Record<string, number> = { 万: 4, 亿: 8, 千: 3 };

/**
 * Units after an Arabic figure, written form → canonical. Longest first when matched. 万元/万人
 * are a scale plus a unit, read separately.
 */
const UNIT_ALIASES: Record<string, string> = {
  "件(次)": "件次",
  "人(次)": "人次",
  "场(次)": "场次",
  "户(次)": "户次",
  "家(次)": "家次",
  千米: "公里",
  千克: "公斤",
  学时: "课时",
  周岁: "岁",
  个工作日: "工作日",
  "%": "%",
  "‰": "‰",
};

/** Measure words of counts: after an Arabic figure, and after a Chinese numeral (二十二件). */
const COUNT_WORDS = [
  "人次",
  "件次",
  "户次",
  "家次",
  "场次",
  "批次",
  "课时",
  "小时",
  "个月",
  "件",
  "次",
  "人",
  "名",
  "位",
  "项",
  "个",
  "场",
  "期",
  "份",
  "条",
  "家",
  "户",
  "起",
  "批",
  "宗",
  "笔",
  "例",
  "轮",
  "堂",
  "所",
  "处",
  "篇",
  "本",
  "册",
  "套",
  "张",
  "幅",
  "类",
  "天",
  "元",
];

const UNITS = [
  ...Object.keys(UNIT_ALIASES),
  ...[
    "个百分点",
    "平方公里",
    "平方米",
    "立方米",
    "千克",
    "公斤",
    "吨",
    "克",
    "株",
    "棵",
    "头",
    "间",
    "公顷",
    "公里",
    "工作日",
    "分钟",
    "块",
    "款",
    "卷",
    "车次",
    "座",
    "台",
    "辆",
    "支",
    "日",
    "周",
    "年",
    "岁",
    "米",
    "亩",
    "分",
  ],
  ...COUNT_WORDS,
].sort((a, b) => b.length - a.length);

/** Measure words that make a Chinese numeral a count (二十二件, 两次, 三场). */
const CN_MEASURES = ["学时", ...COUNT_WORDS].sort((a, b) => b.length - a.length);

/** Hotlines named by their number ("12345热线"); a unitless one is a name, not a figure. */
const HOTLINES = new Set(["110", "119", "120", "122", "12315", "12345", "12348", "12388"]);

/**
 * Set phrases whose numeral is part of a name, not a count of this year's work (三项制度,
 * 两个维护 …). Blanked before Chinese counts are read.
 */
const SET_PHRASES = [
  "三项制度",
  "八项规定",
  "五项法定程序",
  "五项程序",
  "两个维护",
  "两个确立",
  "两个责任",
  "两个大局",
  "两个务必",
  "两个一百年",
  "两个毫不动摇",
  "三个代表",
  "三个务必",
  "三个规定",
  "三个区分开来",
  "四个意识",
  "四个自信",
  "四个全面",
  "四个最严",
  "四个不直接分管",
  "十个明确",
  "十一个坚持",
  "十四个坚持",
  "千家万户",
  "三张清单",
  "四张清单",
  "两张清单",
  "两张皮",
];

// ---------------------------------------------------------------------------------------------
// Scanning

interface Scan {
  text: string;
  /** Half-width copy, blanked as passes consume it. */
  work: string;
  found: FoundValue[];
  generous: boolean;
}

function blank(scan: Scan, index: number, length: number): void {
  scan.work = scan.work.slice(0, index) + BLANK.repeat(length) + scan.work.slice(index + length);
}

function add(scan: Scan, index: number, length: number, value: Omit<FoundValue, "raw" | "index">) {
  scan.found.push({ ...value, raw: scan.text.slice(index, index + length), index });
  blank(scan, index, length);
}

/** Runs `re` (global) over the current work text; `each` may consume the match or leave it. */
function each(scan: Scan, re: RegExp, fn: (m: RegExpExecArray) => void): void {
  for (const m of [...scan.work.matchAll(re)]) fn(m);
}

const isYear = (y: number) => y >= 1900 && y <= 2099;
const isMonth = (m: number) => m >= 1 && m <= 12;
const isDay = (d: number) => d >= 1 && d <= 31;
const pad = (n: number) => String(n).padStart(2, "0");

function dateValue(y: number | undefined, m: number | undefined, d: number | undefined) {
  const parts = [y === undefined ? "*" : String(y)];
  if (m !== undefined) parts.push(pad(m));
  if (d !== undefined) parts.push(pad(d));
  return { kind: "date" as const, normal: parts.join("-"), y, m, d };
}

/** 【…】 markers (【待补充：…】) say nothing; a 【2023】5号 document number is read first. */
function passBrackets(scan: Scan): void {
  each(scan, /【(\d{4})】(\d{1,4})号/g, (m) => docno(scan, m));
  each(scan, /【[^】\n]*】/g, (m) => blank(scan, m.index, m[0].length));
}

function docno(scan: Scan, m: RegExpExecArray): void {
  const y = Number(m[1]);
  add(scan, m.index, m[0].length, {
    kind: "docno",
    normal: `〔${y}〕${Number(m[2])}号`,
    y,
  });
}

/** 《titles》, nested 《《》》 allowed. Inner figures are read only in generous (source) mode. */
function passTitles(scan: Scan): void {
  const inner: { index: number; text: string }[] = [];
  for (const [start, end] of titleSpans(scan.work)) {
    const words = scan.text.slice(start + 1, end - 1);
    const title = normaliseTitle(words);
    if (title) {
      add(scan, start, end - start, { kind: "title", normal: `《${title}》`, title });
      inner.push({ index: start + 1, text: words });
    }
  }
  if (!scan.generous) return;
  for (const part of inner) {
    for (const v of scanText(part.text, true)) {
      if (v.kind !== "title") scan.found.push({ ...v, index: v.index + part.index });
    }
  }
}

/** 〔2023〕60号, [2023]60号, (2023)60号. */
function passDocumentNumbers(scan: Scan): void {
  each(scan, /[〔[(](\d{4})[〕\])]\s*第?(\d{1,4})\s*号/g, (m) => docno(scan, m));
}

/**
 * List and heading numbering is no value: "1." "2、" "3)" "1.2" at the start of a line or clause,
 * "(1)" anywhere, ordinals (第1, 第一, 第十二).
 */
function passNumbering(scan: Scan): void {
  each(scan, /(^|[\n。!?;:：，,、\s\uE000])(\d{1,2}(?:\.\d{1,2})*(?:[、)]|\.(?!\d)))/gm, (m) => {
    const lead = m[1] ?? "";
    blank(scan, m.index + lead.length, (m[2] ?? "").length);
  });
  each(scan, /^[ \t]*\d{1,2}(?:\.\d{1,2})+(?=[ \t])/gm, (m) => blank(scan, m.index, m[0].length));
  each(scan, /\(\d{1,2}\)/g, (m) => blank(scan, m.index, m[0].length));
  each(scan, /第\s*(?:\d+|[零〇一二两三四五六七八九十百千]+)/g, (m) =>
    blank(scan, m.index, m[0].length),
  );
}

function passDates(scan: Scan): void {
  // 2021—2025年, 2021-2025年: two years.
  each(scan, /(?<![\d.])(\d{4})\s*[-—–~至到]\s*(\d{4})\s*年/g, (m) => {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (!isYear(a) || !isYear(b)) return;
    const second = m.index + m[0].indexOf(m[2] ?? "", 4);
    add(scan, m.index, 4, dateValue(a, undefined, undefined));
    add(
      scan,
      second,
      scan.work.indexOf("年", second) + 1 - second,
      dateValue(b, undefined, undefined),
    );
  });
  // 2024年, 2024年3月, 2024年3月5日
  each(scan, /(?<![\d.])(\d{4})\s?年(?:\s?(\d{1,2})\s?月(?:\s?(\d{1,2})\s?[日号])?)?/g, (m) => {
    const y = Number(m[1]);
    if (!isYear(y)) return;
    let m2 = m[2] === undefined ? undefined : Number(m[2]);
    let d = m[3] === undefined ? undefined : Number(m[3]);
    let length = m[0].length;
    if (m2 !== undefined && (!isMonth(m2) || (d !== undefined && !isDay(d)))) {
      m2 = undefined;
      d = undefined;
      length = m[0].indexOf("年") + 1;
    }
    add(scan, m.index, length, dateValue(y, m2, d));
  });
  // 二〇二四年, 二〇二四年三月, 二〇二四年三月五日
  each(
    scan,
    /([〇零一二三四五六七八九]{4})年(?:([一二三四五六七八九十]{1,2})月(?:([一二三四五六七八九十]{1,3})日)?)?/g,
    (m) => {
      const y = Number([...(m[1] ?? "")].map((c) => CN_DIGIT[c]).join(""));
      const mo = m[2] ? parseChineseNumber(m[2]) : null;
      const d = m[3] ? parseChineseNumber(m[3]) : null;
      if (!isYear(y)) return;
      const ok = mo !== null && isMonth(mo) && (d === null || isDay(d));
      const length = ok ? m[0].length : m[0].indexOf("年") + 1;
      add(
        scan,
        m.index,
        length,
        dateValue(y, ok ? mo : undefined, ok ? (d ?? undefined) : undefined),
      );
    },
  );
  // 2024-03-05, 2024.3.5, 2024/3/5
  each(scan, /(?<![\d.])(\d{4})([-./])(\d{1,2})\2(\d{1,2})(?![\d.]\d|\d)/g, (m) => {
    const [y, mo, d] = [Number(m[1]), Number(m[3]), Number(m[4])];
    if (isYear(y) && isMonth(mo) && isDay(d)) add(scan, m.index, m[0].length, dateValue(y, mo, d));
  });
  // 2024-03, 2024.3 (not a range 2021-2025, not 2024.3.5)
  each(scan, /(?<![\d.])(\d{4})[-./](\d{1,2})(?![\d]|[-./]\d)/g, (m) => {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (isYear(y) && isMonth(mo)) add(scan, m.index, m[0].length, dateValue(y, mo, undefined));
  });
  // 3月5日, 3月 (not 3个月: the 个 stands between)
  each(scan, /(?<![\d.])(\d{1,2})\s?月(?:\s?(\d{1,2})\s?[日号])?/g, (m) => {
    const mo = Number(m[1]);
    const d = m[2] === undefined ? undefined : Number(m[2]);
    if (!isMonth(mo)) return;
    if (d !== undefined && !isDay(d)) {
      add(scan, m.index, m[0].indexOf("月") + 1, dateValue(undefined, mo, undefined));
    } else add(scan, m.index, m[0].length, dateValue(undefined, mo, d));
  });
  // 12·4 (国家宪法日), 6·26
  each(scan, /(?<![\d.])(\d{1,2})[·・•](\d{1,2})(?!\d)/g, (m) => {
    const [mo, d] = [Number(m[1]), Number(m[2])];
    if (isMonth(mo) && isDay(d)) add(scan, m.index, m[0].length, dateValue(undefined, mo, d));
  });
  // 14:30, 14:05:00
  each(scan, /(?<![\d.:])([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?![\d:])/g, (m) => {
    add(scan, m.index, m[0].length, { kind: "time", normal: `${Number(m[1])}:${m[2]}` });
  });
}

/** The unit written at `at` in the work text, longest first: [written, canonical]. */
function unitAt(work: string, at: number, units: readonly string[]): [string, string] | null {
  for (const u of units) {
    if (work.startsWith(u, at)) return [u, UNIT_ALIASES[u] ?? u];
  }
  return null;
}

/** Arabic figures: 1,471件, 96.74%, 1.2万, 2.5万元, 80余人, 3千米. */
function passArabic(scan: Scan): void {
  const re = /(?<![\d.A-Za-z])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?/g;
  each(scan, re, (m) => {
    const written = m[0];
    let at = m.index + written.length;
    const { work } = scan;
    let shift = 0;
    const scaleChar = work[at] ?? "";
    if (scaleChar in SCALE && !(scaleChar === "千" && /[米克瓦]/.test(work[at + 1] ?? ""))) {
      shift = SCALE[scaleChar] ?? 0;
      at++;
    }
    if (/[余多]/.test(work[at] ?? "")) at++;
    let unit = unitAt(work, at, UNITS);
    if (!unit && work[at] === " ") {
      unit = unitAt(work, at + 1, UNITS); // "2 次"
      if (unit) at++;
    }
    if (unit) at += unit[0].length;
    else if (shift === 0 && /[A-Za-z]/.test(work[at] ?? "")) return; // 5G, 3D: a name
    const num = canonicalNumber(written, shift);
    if (!unit && shift === 0 && HOTLINES.has(num) && !/[.,]/.test(written)) {
      blank(scan, m.index, written.length);
      return;
    }
    const canonical = unit?.[1] ?? "";
    const length = unit ? at - m.index : m.index + written.length + (shift ? 1 : 0) - m.index;
    add(scan, m.index, length, {
      kind: "number",
      normal: `${num}${canonical}`,
      num,
      unit: canonical,
    });
  });
}

/** 百分之九十六点七四, 百分之百. */
function passChinesePercent(scan: Scan): void {
  each(scan, /百分之([零〇一二两三四五六七八九十百]+)(?:点([零〇一二三四五六七八九]+))?/g, (m) => {
    const int = m[1] === "百" ? 100 : parseChineseNumber(m[1] ?? "");
    if (int === null) return;
    const frac = [...(m[2] ?? "")].map((c) => CN_DIGIT[c]).join("");
    const num = canonicalNumber(frac ? `${int}.${frac}` : String(int));
    add(scan, m.index, m[0].length, { kind: "number", normal: `${num}%`, num, unit: "%" });
  });
}

/**
 * Chinese counts before a measure word: 二十二件, 两次, 三场, 一百零五人, 两万元. In strict mode a
 * bare 一, 百, 千 or 零 without 万 is not a count (一次性, 一批, 百人宣讲团, 零件); set phrases (三项制度)
 * are blanked first.
 */
function passChineseCounts(scan: Scan): void {
  for (const phrase of SET_PHRASES) {
    each(scan, new RegExp(phrase, "g"), (m) => blank(scan, m.index, m[0].length));
  }
  const measures = CN_MEASURES.join("|");
  const re = new RegExp(`([零〇一二两三四五六七八九十百千]+)(万)?([余多])?(${measures})`, "g");
  each(scan, re, (m) => {
    const numeral = m[1] ?? "";
    const bare = ["一", "百", "千", "零", "〇"].includes(numeral);
    if (bare && !m[2] && !scan.generous) return;
    if (m[4] === "个" && scan.work[m.index + m[0].length] === "一") return; // 六个一, 五个一措施
    const n = parseChineseNumber(numeral);
    if (n === null) return;
    const num = canonicalNumber(String(n), m[2] ? 4 : 0);
    const unit = UNIT_ALIASES[m[4] ?? ""] ?? m[4] ?? "";
    add(scan, m.index, m[0].length, { kind: "number", normal: `${num}${unit}`, num, unit });
  });
}

/**
 * All values in `text`, in order of appearance. `generous` (source mode) also reads values the
 * strict (draft) mode skips as too often idiomatic — a bare 一/百/千 before a measure word (一次,
 * 百人) — and the figures inside 《titles》 (a year cited in a title the staff gave grounds that
 * year).
 */
export function scanText(text: string, generous = false): FoundValue[] {
  const scan: Scan = { text, work: toHalfWidth(text), found: [], generous };
  passBrackets(scan);
  passTitles(scan);
  passDocumentNumbers(scan);
  passNumbering(scan);
  passDates(scan);
  passArabic(scan);
  passChinesePercent(scan);
  passChineseCounts(scan);
  return scan.found.sort((a, b) => a.index - b.index);
}
