/**
 * Beijing time (China Standard Time) for every date a user sees or a rule depends on. It is UTC+8
 * all year with no daylight saving, so calendar arithmetic is done in UTC with a fixed offset and
 * the machine's own time zone never matters.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** Beijing calendar day number: whole days since 1970-01-01 in Beijing. */
export function beijingDay(instant: Date | number): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS);
}

/** The instant at which Beijing day `day` starts (00:00 Beijing). */
export function beijingDayStart(day: number): number {
  return day * DAY_MS - BEIJING_OFFSET_MS;
}

/** The last millisecond of a Beijing day (23:59:59.999 Beijing). */
export function endOfBeijingDay(day: number): Date {
  return new Date(beijingDayStart(day + 1) - 1);
}

/** The weekday of a Beijing day number: 0 = Sunday … 6 = Saturday (day 0 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Beijing calendar fields of an instant. */
export function beijingFields(date: Date): { year: number; month: number; day: number } {
  const shifted = new Date(date.getTime() + BEIJING_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/** Beijing day number of a calendar date, or undefined if the date does not exist. */
export function beijingDayOf(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return ms / DAY_MS;
}

/** A date for Chinese text in Beijing time: "2026年3月15日" (also the 落款 date of a report). */
export function beijingDate(date: Date): string {
  const { year, month, day } = beijingFields(date);
  return `${year}年${month}月${day}日`;
}

/** Date and minute in Beijing time for a list: "2026-01-10 10:00". */
export function beijingMinute(date: Date): string {
  const t = new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

const FULL_DATE = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const CHINESE_DATE = /^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?$/;
const SHORT_DATE = /^(\d{1,2})([-/.])(\d{1,2})$/;

/**
 * A calendar date as a person types it: "2026-03-15", "2026/3/15", "2026.3.15", "2026年3月15日";
 * with a `defaultYear`, also "3月15日", "3月15号" and "3/15" in that year. Full-width digits and
 * punctuation and any spaces are accepted. Its year and Beijing day number, or undefined when it
 * is no existing date (or has no year and none is given).
 */
export function parseTypedDate(
  text: string,
  defaultYear?: number,
): { year: number; day: number } | undefined {
  const input = text.normalize("NFKC").replace(/\s+/g, "");
  const full = FULL_DATE.exec(input);
  const chinese = CHINESE_DATE.exec(input);
  const short = defaultYear === undefined ? null : SHORT_DATE.exec(input);
  const fields = full
    ? [full[1], full[3], full[4]]
    : chinese
      ? [chinese[1] ?? defaultYear, chinese[2], chinese[3]]
      : short
        ? [defaultYear, short[1], short[3]]
        : undefined;
  if (!fields) return undefined;
  const [year, month, day] = fields.map(Number) as [number, number, number];
  const dayNumber = beijingDayOf(year, month, day);
  return dayNumber === undefined ? undefined : { year, day: dayNumber };
}

/** The ISO form of a Beijing day number: "2026-03-15". */
export function isoDateOfDay(day: number): string {
  // The day number counts days since 1970-01-01, so its UTC date is the calendar date.
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
