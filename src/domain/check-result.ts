/** The public result of a check (the `check --json` contract of docs/design.md). */

export type ItemStatus = "present" | "weak" | "missing";

export interface CheckItem {
  id: string;
  title: string;
  status: ItemStatus;
  /** The sentence that satisfied the item, or a Chinese explanation of why it is weak/missing. */
  evidence: string;
}

/** Stable warning kinds; tools outside the repo may rely on them. */
export type WarningKind =
  | "placeholder"
  /** A staff note (待查, 不清楚 …) left in the text. */
  | "note"
  /** A year that contradicts the report year (title, body, headings, arrangements). */
  | "year"
  /** A misquoted title of a well-known document. */
  | "title"
  /** The title, sign-off or self-designation names a 县/市/区 government or a department. */
  | "level"
  /** Pre-2020 wording where current wording exists (法制宣传, 依法治国新理念新思想新战略). */
  | "stale-term"
  /** The township claims to have accepted or decided 行政复议 cases as the review body. */
  | "review-body"
  /** Sibling headings numbered twice or with a number skipped. */
  | "numbering"
  /** A stated rate that its two counts contradict. */
  | "rate-mismatch"
  /** The document reads as a work plan (工作方案/工作要点), not a report on the year. */
  | "plan";

export interface CheckWarning {
  kind: WarningKind;
  text: string;
  evidence: string;
}

export interface CheckResult {
  /** Every checklist id, in checklist.yaml order. */
  items: CheckItem[];
  missing: string[];
  weak: string[];
  warnings: CheckWarning[];
}
