import { beijingDay, beijingDayStart, parseTypedDate, weekday } from "../domain/beijing-time.js";
import type { OrgBasics } from "../domain/types.js";
import { defaultDeadline } from "../team/schedule.js";

/**
 * The 落款 date: the report's own date, not the day it was drafted. An explicit `signoff` (ISO
 * date, set with /signoff or `org.signoff` of an answers file) wins; otherwise the last working
 * day (Monday to Friday, Beijing time) before the deadline day — the org's deadline, or 15 March of
 * the year after the report year — so that the report is dated when it can still be submitted.
 * Public holidays are not known here: a date falling on one can be set with /signoff.
 */

/** What the date depends on: the report year, the org's deadline (ISO instant), a set date. */
export type SignoffOrg = Pick<OrgBasics, "year" | "signoff" | "deadline">;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The 落款 date as the instant its Beijing day starts. */
export function signoffDate(org: SignoffOrg): Date {
  const set = org.signoff === undefined ? undefined : parseSignoff(org.signoff);
  if (set !== undefined) return new Date(beijingDayStart(set));
  return new Date(beijingDayStart(lastWorkingDayBefore(deadlineDay(org))));
}

/**
 * The Beijing day number of a sign-off date written as "2025-03-10", "2025/3/10", "2025.3.10" or
 * "2025年3月10日" (full-width digits allowed; the year is required); undefined when it is no real
 * date.
 */
export function parseSignoff(text: string): number | undefined {
  return parseTypedDate(text)?.day;
}

/** True for "2025-03-10": the stored form. */
export function isIsoDate(text: string): boolean {
  return ISO_DATE.test(text) && parseSignoff(text) !== undefined;
}

/** The deadline's Beijing day: the org's own, else the default (15 March of the next year). */
function deadlineDay(org: SignoffOrg): number {
  const set = org.deadline === undefined ? undefined : new Date(org.deadline);
  return beijingDay(set && !Number.isNaN(set.getTime()) ? set : defaultDeadline(org.year));
}

function lastWorkingDayBefore(day: number): number {
  let d = day - 1;
  while (weekday(d) === 0 || weekday(d) === 6) d--;
  return d;
}
