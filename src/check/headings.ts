/** Recognises heading lines whatever their numbering: 第一部分, 一、, （一）, 1., 1.1, （1）, ①, or none. */

import { parseChineseNumber } from "../text/numerals.js";

export interface HeadingLine {
  /** Numbering style; the level of a style is decided per document by first appearance. */
  style: string;
  /** The number (一 → 1, （3） → 3, 1.2 → 2), or null for an unnumbered heading. */
  number: number | null;
  /** The numbering as written ("（一）"), empty when unnumbered. */
  label: string;
  /** The heading words without numbering. */
  text: string;
  /** Text that follows a run-in heading on the same line ("（一）标题。正文……"). */
  body: string;
}

/** 一 … 九十九 as written in headings (no 两, 零 or 百). */
export function chineseNumber(text: string): number | null {
  return /^[一二三四五六七八九十]{1,3}$/u.test(text) ? parseChineseNumber(text) : null;
}

const CN = "[一二三四五六七八九十]+";
const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

interface Numbering {
  style: string;
  pattern: RegExp;
  number: (m: RegExpExecArray) => number | null;
}

const NUMBERINGS: Numbering[] = [
  {
    style: "part",
    pattern: new RegExp(`^第(${CN})(?:部分|章)[、，,.．:：\\s]*`, "u"),
    number: (m) => chineseNumber(m[1] ?? ""),
  },
  {
    style: "decimal",
    pattern: /^(\d{1,2}(?:[.．]\d{1,2})+)(?:[.．、]\s*|\s+)/u,
    number: (m) => Number((m[1] ?? "").split(/[.．]/).at(-1)),
  },
  {
    style: "paren-cn",
    pattern: new RegExp(`^[（(](${CN})[)）]\\s*[、.．]?\\s*`, "u"),
    number: (m) => chineseNumber(m[1] ?? ""),
  },
  {
    style: "paren-arabic",
    pattern: /^[（(](\d{1,2})[)）]\s*[、.．]?\s*/u,
    number: (m) => Number(m[1]),
  },
  {
    style: "cn",
    pattern: new RegExp(`^(${CN})[、．.，,]\\s*`, "u"),
    number: (m) => chineseNumber(m[1] ?? ""),
  },
  {
    style: "arabic",
    pattern: /^(\d{1,2})(?:[.．](?!\d)|、)\s*/u,
    number: (m) => Number(m[1]),
  },
  {
    style: "circled",
    pattern: new RegExp(`^([${CIRCLED}])\\s*`, "u"),
    number: (m) => CIRCLED.indexOf(m[1] ?? "") + 1,
  },
];

/**
 * Headings are short phrases. A numbered line is a heading when it is short, or a short phrase
 * without a comma before its full stop ("（一）依法全面履行政府职能。正文……"); otherwise it is a
 * numbered item of body text ("1.全年开展普法活动12场，覆盖群众3000余人次。").
 */
const MAX_RUN_IN = 30;
const MAX_HEADING_LINE = 50;
const MAX_SHORT_HEADING = 25;
/** Longest unnumbered line that may be a heading of its own. */
const MAX_PLAIN = 25;

/** A numbered line: its numbering, heading words and any run-in body. Null if not numbered. */
export function parseNumberedLine(line: string): HeadingLine | null {
  for (const numbering of NUMBERINGS) {
    const m = numbering.pattern.exec(line);
    if (!m) continue;
    const number = numbering.number(m);
    if (number === null || Number.isNaN(number)) continue;
    const style =
      numbering.style === "decimal"
        ? `decimal-${(m[1] ?? "").split(/[.．]/).length}`
        : numbering.style;
    const rest = line.slice(m[0].length);
    return { style, number, label: m[0].trim(), ...splitRunIn(rest) };
  }
  return null;
}

/** An unnumbered short line without closing punctuation ("存在的问题"), as a heading. */
export function parsePlainHeading(line: string): HeadingLine | null {
  // A line ending in a full stop is a sentence, whether the stop is 。 or ASCII "." (web copies).
  if (line.length > MAX_PLAIN || /[。；，,、：:！!？?.]$/u.test(line)) return null;
  if ((line.match(/\p{Script=Han}/gu)?.length ?? 0) < 2) return null;
  return { style: "plain", number: null, label: "", text: line, body: "" };
}

function splitRunIn(rest: string): { text: string; body: string } {
  // An ASCII full stop between Chinese words ends the heading too (text copied from the web).
  const stop = rest.search(/[。：:！!]|(?<=\p{Script=Han})\.(?=\p{Script=Han})/u);
  if (stop < 0) {
    const heading =
      rest.length <= MAX_SHORT_HEADING || (rest.length <= MAX_HEADING_LINE && !/[，,]/u.test(rest));
    return heading ? { text: rest, body: "" } : { text: "", body: rest };
  }
  const head = rest.slice(0, stop);
  if (stop <= MAX_RUN_IN && !/[，,]/u.test(head)) {
    return { text: head, body: rest.slice(stop + 1).trim() };
  }
  return { text: "", body: rest };
}
