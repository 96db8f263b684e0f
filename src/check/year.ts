import { replaceTitles } from "../text/titles.js";

/** Years in the text: which year the report is about, and the years a sentence names. */

const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

/** Text with document titles, document numbers and year ranges blanked (their years are not claims). */
function withoutCitedYears(text: string): string {
  return replaceTitles(text, blank)
    .replace(/[〔［[]\d{4}[〕］\]]/gu, blank)
    .replace(/\d{4}\s*[—–\-－~～至]\s*\d{4}/gu, blank);
}

const blank = (m: string): string => " ".repeat(m.length);

export interface YearMention {
  year: number;
  index: number;
}

/** Years written as "2024年" outside titles, document numbers and ranges. */
export function yearsIn(text: string): YearMention[] {
  const found: YearMention[] = [];
  for (const m of withoutCitedYears(text).matchAll(/(?<!\d)(\d{4})\s*年/gu)) {
    const year = Number(m[1]);
    if (year >= MIN_YEAR && year <= MAX_YEAR) found.push({ year, index: m.index ?? 0 });
  }
  return found;
}

/**
 * The report year: given, else the year in the title, else the year in the sentence that
 * introduces the report ("现将我镇2024年法治政府工作报告如下"), else the year an opening
 * sentence starts with ("2024年，"), else unknown.
 */
export function findReportYear(
  given: number | undefined,
  title: string | null,
  introSentences: string[],
): number | null {
  if (given !== undefined) return given;
  const inTitle = title ? yearsIn(title)[0] : undefined;
  if (inTitle) return inTitle.year;
  for (const sentence of introSentences) {
    if (!/报告|汇报|总结/u.test(sentence)) continue;
    const first = yearsIn(sentence)[0];
    if (first) return first.year;
  }
  // A report without a title often opens "2024年，我镇……".
  for (const sentence of introSentences) {
    const opening = /^(\d{4})\s*年度?(?:以来|来)?[，,]/u.exec(sentence);
    if (opening) return Number(opening[1]);
  }
  return null;
}
