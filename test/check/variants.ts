/**
 * Variants of a report built from its text, independent of the checker's own heading parser:
 * parts reordered, headings renumbered in other styles, numbering removed, headings removed.
 */

const CN = "一二三四五六七八九十";

function cn(n: number): string {
  if (n <= 10) return CN[n - 1] ?? String(n);
  return `十${CN[n - 11] ?? ""}`;
}

const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩";

/** The four numbering levels used by the seeds: 一、 （一） 1. （1）. */
const LEVELS: RegExp[] = [
  /^[一二三四五六七八九十]+、/u,
  /^[（(][一二三四五六七八九十]+[)）]/u,
  /^\d{1,2}[.、．](?!\d)/u,
  /^[（(]\d{1,2}[)）]/u,
];

interface HeadingParts {
  level: number;
  indent: string;
  rest: string;
}

function headingOf(line: string): HeadingParts | null {
  const indent = /^[\s\u3000]*/u.exec(line)?.[0] ?? "";
  const body = line.slice(indent.length);
  for (const [level, re] of LEVELS.entries()) {
    const m = re.exec(body);
    if (m) return { level, indent, rest: body.slice(m[0].length) };
  }
  return null;
}

/** A heading line that is only a heading (no body text after its first sentence). */
function standalone(rest: string): boolean {
  const stop = rest.search(/[。：:]/u);
  return rest.length <= 40 && (stop < 0 || stop === rest.length - 1);
}

type Numbering = (level: number, path: number[]) => string;

/** Rewrites every heading's numbering; `path` holds the counters of the enclosing levels. */
export function renumber(text: string, numbering: Numbering): string {
  const counters = [0, 0, 0, 0];
  return text
    .split("\n")
    .map((line) => {
      const h = headingOf(line);
      if (!h) return line;
      counters[h.level] = (counters[h.level] ?? 0) + 1;
      for (let l = h.level + 1; l < counters.length; l++) counters[l] = 0;
      return `${h.indent}${numbering(h.level, counters.slice(0, h.level + 1))}${h.rest}`;
    })
    .join("\n");
}

/** Top level as 第一部分, the rest as before. */
export const partNumbering: Numbering = (level, path) => {
  const n = path[level] ?? 1;
  return level === 0
    ? `第${cn(n)}部分 `
    : ([`${cn(n)}、`, `（${cn(n)}）`, `${n}.`, `（${n}）`][level] ?? "");
};

/** Every level one style down: （一） on top, then 1., （1）, ①. */
export const shiftedNumbering: Numbering = (level, path) => {
  const n = path[level] ?? 1;
  return [`（${cn(n)}）`, `${n}.`, `（${n}）`, CIRCLED[n - 1] ?? `${n})`][level] ?? "";
};

/** Outline numbering: 1. then 1.1 then 1.1.1. */
export const decimalNumbering: Numbering = (level, path) =>
  level === 0 ? `${path[0]}.` : `${path.join(".")} `;

/** Removes the numbering; a heading on its own line stays as a short unnumbered line. */
export function unnumbered(text: string): string {
  return renumber(text, () => "");
}

/** Removes heading lines altogether, and the numbering of run-in headings. */
export function headless(text: string): string {
  return text
    .split("\n")
    .flatMap((line) => {
      const h = headingOf(line);
      if (!h) return [line];
      return standalone(h.rest) ? [] : [`${h.indent}${h.rest}`];
    })
    .join("\n");
}

/** The top-level parts in reverse order, renumbered 一、二、三 in their new order. */
export function reordered(text: string): string {
  const lines = text.split("\n");
  const starts = lines.flatMap((line, i) => (headingOf(line)?.level === 0 ? [i] : []));
  const first = starts[0] ?? lines.length;
  const blocks = starts.map((start, i) => lines.slice(start, starts[i + 1] ?? lines.length));
  const reversed = [...lines.slice(0, first), ...blocks.reverse().flat()].join("\n");
  return renumber(reversed, (level, path) => {
    const n = path[level] ?? 1;
    return [`${cn(n)}、`, `（${cn(n)}）`, `${n}.`, `（${n}）`][level] ?? "";
  });
}

/** Removes one top-level part: its heading line and everything up to the next top-level heading. */
export function withoutPart(text: string, heading: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const next = lines.findIndex((line, i) => i > start && headingOf(line)?.level === 0);
  return [...lines.slice(0, start), ...lines.slice(next < 0 ? lines.length : next)].join("\n");
}

/** Every count and percentage written as XX, as in a template filled in halfway (years stay). */
export function numbersAsXX(text: string): string {
  return text.replace(
    /(?<![\d.])\d+(?:\.\d+)?(?=\s*(?:余|多)?(?:人次|件|次|人|起|项|份|场|户|家|个|%|名|幅))/gu,
    "XX",
  );
}

/** Pre-2020 wording swapped in for the current terms. */
export function staleWording(text: string): string {
  return text
    .replaceAll("法治宣传教育", "法制宣传教育")
    .replaceAll("习近平法治思想", "依法治国新理念新思想新战略");
}
