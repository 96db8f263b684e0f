import type { LastYearReport } from "../domain/types.js";
import { IMPORTING } from "../messages/zh.js";
import { lastYearQuestions as questionsWith, withLastYearItems } from "../template/last-year.js";
import type { Question, Template } from "../template/load.js";

/**
 * The interview on last year's report, in the office's wording: the one pure function that
 * merges the questions on an org's last-year record into the template (template/last-year.ts).
 */

export function withLastYear(template: Template, report: LastYearReport | undefined): Template {
  return withLastYearItems(template, report, IMPORTING);
}

export function lastYearQuestions(
  template: Template,
  report: LastYearReport | undefined,
): Question[] {
  return questionsWith(template, report, IMPORTING);
}
