/**
 * The structure of a report as 公文 numbering shows it: title, headings by level (一、 （一） 1.
 * （1）), body paragraphs, and the 落款. Parsed from the draft's plain text, so a draft revised by
 * hand or by /revise exports exactly as it reads.
 */

export type HeadingLevel = 1 | 2 | 3 | 4;

export type Block =
  /** A heading on a line of its own. */
  | { kind: "heading"; level: HeadingLevel; text: string }
  /** Body text; `lead` is a run-in heading ending in 。 ("（一）加强学习。全年……"). */
  | { kind: "paragraph"; text: string; lead?: { level: HeadingLevel; text: string } };

export interface ReportOutline {
  title: string;
  blocks: Block[];
  /** Issuing unit and date, as at the end of the text. */
  signoff: { unit: string; date: string } | null;
}

const NUMERAL = "[一二三四五六七八九十]+";
const LEVELS: { level: HeadingLevel; pattern: RegExp }[] = [
  { level: 1, pattern: new RegExp(`^${NUMERAL}、`) },
  { level: 2, pattern: new RegExp(`^[（(]${NUMERAL}[）)]`) },
  { level: 3, pattern: /^\d{1,2}[.．](?!\d)/ },
  { level: 4, pattern: /^[（(]\d{1,2}[）)]/ },
];
/** Longer lines are body text that happens to start with a number. */
const MAX_HEADING_CHARS = 40;
const DATE_LINE = /^\d{4}年\d{1,2}月\d{1,2}日$/;

export function parseOutline(text: string): ReportOutline {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const title = lines.shift() ?? "";
  const signoff = takeSignoff(lines);
  return { title, blocks: lines.map(toBlock), signoff };
}

function takeSignoff(lines: string[]): ReportOutline["signoff"] {
  const date = lines.at(-1);
  const unit = lines.at(-2);
  if (!date || !unit || !DATE_LINE.test(date) || unit.length > MAX_HEADING_CHARS) return null;
  lines.splice(-2, 2);
  return { unit, date };
}

function toBlock(line: string): Block {
  const level = LEVELS.find((l) => l.pattern.test(line))?.level;
  if (!level) return { kind: "paragraph", text: line };
  const stop = line.indexOf("。");
  const alone = stop === -1 || stop === line.length - 1;
  if (alone && Array.from(line).length <= MAX_HEADING_CHARS)
    return { kind: "heading", level, text: line };
  if (stop > 0 && stop < MAX_HEADING_CHARS) {
    return {
      kind: "paragraph",
      lead: { level, text: line.slice(0, stop + 1) },
      text: line.slice(stop + 1),
    };
  }
  return { kind: "paragraph", text: line };
}
