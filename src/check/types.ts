import type { ItemStatus } from "../domain/check-result.js";

/** The result types live in domain/ (a stored draft keeps its check); the checker's own types here. */
export type {
  CheckItem,
  CheckResult,
  CheckWarning,
  ItemStatus,
  WarningKind,
} from "../domain/check-result.js";

export interface CheckOptions {
  /** The year the report is about; defaults to the year in its title. */
  year?: number;
}

/** What an item evaluator returns before the checklist title is attached. */
export interface Verdict {
  status: ItemStatus;
  evidence: string;
}
