/**
 * Messages that must not be saved as an answer without asking: a file path (the user meant a
 * file) or a whole report (meant for /check). Pure tests on the text.
 */

const REPORT_EXTENSIONS = /\.(docx|doc|wps|txt|text|md|markdown|pdf)$/i;
const PATH_START = /^(\/|\.{1,2}\/|~\/|[A-Za-z]:[\\/])/;
/** Headings of a report: "一、", "（二）", "## ". */
const HEADING = /^\s*(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|#{1,4}\s)/;
/** A report has many lines and several headings; an answer seldom does. */
const REPORT_MIN_LINES = 8;
const REPORT_MIN_HEADINGS = 3;

/** The path a message names, without surrounding quotes (a dragged file), or undefined. */
export function pathIn(text: string): string | undefined {
  const line = text.trim().replace(/^(['"])(.*)\1$/, "$2");
  if (line === "" || line.includes("\n")) return undefined;
  return REPORT_EXTENSIONS.test(line) || PATH_START.test(line) ? line : undefined;
}

export function looksLikeReport(text: string): boolean {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return (
    lines.length >= REPORT_MIN_LINES &&
    lines.filter((l) => HEADING.test(l)).length >= REPORT_MIN_HEADINGS
  );
}
