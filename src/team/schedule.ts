import {
  beijingDay,
  beijingDayOf,
  beijingDayStart,
  beijingFields,
  endOfBeijingDay,
  parseTypedDate,
  weekday,
} from "../domain/beijing-time.js";

/**
 * Reminder schedule for a team's report deadline: pure functions of (deadline, now, sent).
 * No I/O, no timers, no store — the caller persists the deadline and the set of sent slot ids
 * and sets one timer for `nextCheck`.
 *
 * All calendar arithmetic is in Beijing calendar days (domain/beijing-time).
 *
 * Working days are Monday to Friday. Public holidays and the make-up working weekends (调休) are
 * ignored on purpose: they change every year by State Council notice and a reminder on a
 * holiday is harmless, while a wrong table would be silently wrong.
 */

/** Reminders go out at 09:30 Beijing time, start of the working morning. */
const REMINDER_MINUTE_OF_DAY = 9 * 60 + 30;
/** Nominal offsets in days before the deadline day; 0 is the deadline day itself. */
const REMINDER_DAYS = [14, 7, 3, 1, 0] as const;
/** A typed deadline more than this many years after the current Beijing year is a typo. */
const MAX_YEARS_AHEAD = 2;

export interface ReminderSlot {
  /**
   * Stable id from the nominal offset ("d14", "d7", "d3", "d1", "d0"): used as the "sent" key
   * so a slot is sent once. It does not change when the slot moves off a weekend.
   */
  id: string;
  /**
   * Beijing calendar days from the slot's day to the deadline day, after any weekend move
   * (so "d1" moved from Saturday to Friday before a Sunday deadline has `daysBefore` 2).
   * Equal to `daysLeft(deadline, slot.at)`; safe to put into the reminder text.
   */
  daysBefore: number;
  /** When it becomes due (an instant). */
  at: Date;
}

/** Default deadline: 15 March of the year after the report year, end of that day, Beijing time. */
export function defaultDeadline(reportYear: number): Date {
  const day = beijingDayOf(reportYear + 1, 3, 15);
  if (day === undefined) throw new RangeError(`report year ${reportYear} is out of range`);
  return endOfBeijingDay(day);
}

/**
 * Parses what an admin types for a deadline: "2026-03-15", "2026/3/15", "2026.3.15",
 * "2026年3月15日", "3月15日" / "3月15号" / "3/15" (year inferred: the report year + 1).
 * Full-width digits and punctuation and any spaces are accepted. The deadline is the end of
 * that day in Beijing. Returns undefined for nonsense (unparseable, a date that does not exist,
 * a year more than two years after the current one) or a day that is over at `now`; today is
 * still accepted, its end being in the future.
 */
export function parseDeadline(text: string, reportYear: number, now: Date): Date | undefined {
  const date = parseTypedDate(text, reportYear + 1);
  if (!date || date.year > beijingFields(now).year + MAX_YEARS_AHEAD) return undefined;
  const deadline = endOfBeijingDay(date.day);
  return deadline.getTime() > now.getTime() ? deadline : undefined;
}

/**
 * The reminder slots for a deadline, earliest first: 14, 7, 3 and 1 days before and the
 * deadline day itself, each at 09:30 Beijing time on a working day. A slot falling on a
 * Saturday or Sunday moves to the Friday before (never later, so never past the deadline).
 * Two slots landing on the same day collapse into the earlier-listed one (larger nominal
 * offset); a slot not strictly before the deadline instant is dropped.
 */
export function reminderSlots(deadline: Date): ReminderSlot[] {
  const deadlineDay = beijingDay(deadline);
  const slots: ReminderSlot[] = [];
  const usedDays = new Set<number>();
  for (const nominal of REMINDER_DAYS) {
    let day = deadlineDay - nominal;
    const wd = weekday(day);
    if (wd === 6) day -= 1;
    else if (wd === 0) day -= 2;
    if (usedDays.has(day)) continue;
    const at = beijingDayStart(day) + REMINDER_MINUTE_OF_DAY * 60_000;
    if (at >= deadline.getTime()) continue;
    usedDays.add(day);
    slots.push({ id: `d${nominal}`, daysBefore: deadlineDay - day, at: new Date(at) });
  }
  return slots;
}

/**
 * The slots due at `now` that were not sent yet: at <= now, not in `sent`, and not stale.
 * A slot is stale once the next slot is due or the deadline has passed, so at most one slot
 * is ever returned: after a long downtime only the latest due slot goes out, not a burst, and
 * if that one was already sent nothing does.
 */
export function dueSlots(deadline: Date, now: Date, sent: ReadonlySet<string>): ReminderSlot[] {
  if (now.getTime() >= deadline.getTime()) return [];
  const latest = reminderSlots(deadline)
    .filter((slot) => slot.at.getTime() <= now.getTime())
    .at(-1);
  return latest === undefined || sent.has(latest.id) ? [] : [latest];
}

/**
 * When to look again: the time of the first unsent slot strictly after `now`, or undefined when
 * none is left. A slot already due at `now` is `dueSlots`' business, not this one's: call
 * `dueSlots` first, mark what was sent, then set one timer for this instant.
 */
export function nextCheck(deadline: Date, now: Date, sent: ReadonlySet<string>): Date | undefined {
  return reminderSlots(deadline).find(
    (slot) => slot.at.getTime() > now.getTime() && !sent.has(slot.id),
  )?.at;
}

/**
 * Whole days from now to the deadline in Beijing calendar days (the deadline day itself = 0,
 * the day before = 1, the day after = -1).
 */
export function daysLeft(deadline: Date, now: Date): number {
  return beijingDay(deadline) - beijingDay(now);
}
