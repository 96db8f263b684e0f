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
  | "year-mismatch"
  | "misquoted-title"
  | "heading-numbering"
  | "rate-mismatch";

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
