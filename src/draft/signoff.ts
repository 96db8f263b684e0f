import {
  beijingDayOf,
  beijingDayStart,
  beijingFields,
  parseTypedDate,
} from "../domain/beijing-time.js";
import type { OrgBasics } from "../domain/types.js";

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

function deadlineDay(org: SignoffOrg): number {
  if (org.deadline !== undefined) {
    const at = new Date(org.deadline);
    if (!Number.isNaN(at.getTime())) {
      const { year, month, day } = beijingFields(at);
      const found = beijingDayOf(year, month, day);
      if (found !== undefined) return found;
    }
  }
  const day = beijingDayOf(org.year + 1, 3, 15);
  if (day === undefined) throw new RangeError(`report year ${org.year} is out of range`);
  return day;
}

/** 0 = Sunday … 6 = Saturday. Day 0 (1970-01-01) was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function lastWorkingDayBefore(day: number): number {
  let d = day - 1;
  while (weekday(d) === 0 || weekday(d) === 6) d--;
  return d;
}
