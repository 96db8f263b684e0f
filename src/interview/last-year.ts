import type { LastYearReport } from "../domain/types.js";
import { IMPORTING } from "../messages/zh.js";
import { withLastYearItems } from "../template/last-year.js";
import type { Template } from "../template/load.js";

/**
 * The interview on last year's report, in the office's wording: the one pure function that
 * merges the questions on an org's last-year record into the template (template/last-year.ts).
 */

export function withLastYear(template: Template, report: LastYearReport | undefined): Template {
  return withLastYearItems(template, report, IMPORTING);
}
