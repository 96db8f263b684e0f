/** Text helpers shared by the checker's pieces. */

/**
 * Line endings to \n, full-width digits and Latin letters to ASCII (one character for one, so
 * evidence stays readable), no-break spaces to spaces. Chinese punctuation is kept.
 */
export function normaliseText(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) - 0xfee0),
    )
    .replace(/\u00A0/g, " ");
}

/** Full-width forms of the ASCII marks that web pages and hand-made Word files use in Chinese text. */
const FULL_WIDTH: Record<string, string> = {
  ",": "，",
  ";": "；",
  ":": "：",
  "(": "（",
  ")": "）",
  "?": "？",
  "!": "！",
  ".": "。",
};

/**
 * The text the rules match against: ASCII punctuation as full-width (rules stop at "，" and "；"),
 * quotation marks removed (“八五”普法 reads as 八五普法). A comma inside a number (1,471), a
 * colon inside a time (14:05) and a point that is not a full stop (6.26, 1.依法) are kept.
 */
export function matchingText(text: string): string {
  return text
    .replace(
      /[,;:()?!]|(?<=\p{Script=Han}|[）)”"%％])\.(?=\s*$|\p{Script=Han})/gmu,
      (c, at: number) =>
        c === "," && /\d/.test(text[at - 1] ?? "") && /^\d{3}(?!\d)/.test(text.slice(at + 1))
          ? c
          : c === ":" && /\d/.test(text[at - 1] ?? "") && /\d/.test(text[at + 1] ?? "")
            ? c
            : (FULL_WIDTH[c] ?? c),
    )
    .replace(/[“”‘’"「」『』]/gu, "");
}

/** Trims ASCII and ideographic spaces. */
export function trimLine(line: string): string {
  return line.replace(/^[\s\u3000]+|[\s\u3000]+$/g, "");
}

/**
 * Splits into sentences and clauses at 。！？；(and ASCII !?;, and an ASCII full stop between
 * Chinese words), keeping each non-empty piece.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[。！？；!?;])|(?<=(?<=[\p{Script=Han}）)”"%％])\.)(?=[\p{Script=Han}“"（(])/u)
    .map(trimLine)
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

export function matchesAny(text: string, patterns: RegExp[]): boolean {
  return patterns.some((p) => p.test(text));
}

function firstMatch(text: string, patterns: RegExp[]): RegExpExecArray | null {
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m;
  }
  return null;
}

/** Shortens a sentence for evidence; whole when short. Cut first, so a huge text costs little. */
export function excerpt(text: string, max = 80): string {
  const clean = text
    .slice(0, max * 2)
    .replace(/\s+/g, " ")
    .trim();
  return clean.length <= max && text.length <= max * 2 ? clean : `${clean.slice(0, max - 1)}…`;
}

/** An excerpt of a long sentence that shows the words at `index` (a matched term). */
export function excerptAt(text: string, index: number, max = 60): string {
  if (text.length <= max) return text.replace(/\s+/g, " ").trim();
  const start = Math.max(0, Math.min(index - Math.floor(max / 3), text.length - max));
  const head = start > 0 ? "…" : "";
  const tail = start + max < text.length ? "…" : "";
  return `${head}${text
    .slice(start, start + max)
    .replace(/\s+/g, " ")
    .trim()}${tail}`;
}

/** Quotes the part of a sentence around the first match of any of the patterns. */
export function quoteMatch(text: string, patterns: RegExp[], max = 60): string {
  const m = firstMatch(text, patterns);
  return `“${excerptAt(text, m?.index ?? 0, max)}”`;
}

/** Quotes an excerpt for a Chinese explanation. */
export function quote(text: string, max = 60): string {
  return `“${excerpt(text, max)}”`;
}

/** Counts CJK ideographs; part lengths are measured in them so numbering and spaces do not count. */
export function cjkLength(text: string): number {
  // A loop over code units, not a regular expression: called for every line and sentence.
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      c === 0x3007
    ) {
      count++;
    } else if (c >= 0xd840 && c <= 0xd87f) {
      // A high surrogate of the supplementary ideograph planes: one character, two units.
      count++;
      i++;
    }
  }
  return count;
}
