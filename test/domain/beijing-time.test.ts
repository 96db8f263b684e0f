import { describe, expect, it } from "vitest";
import {
  beijingDate,
  beijingDay,
  beijingDayOf,
  beijingFields,
  beijingMinute,
  endOfBeijingDay,
  isoDateOfDay,
  parseTypedDate,
  weekday,
} from "../../src/domain/beijing-time.js";

/** Beijing is UTC+8 all year; 16:00 UTC is midnight in Beijing. */
describe("Beijing time", () => {
  it("turns the day at 16:00 UTC", () => {
    expect(beijingFields(new Date("2025-12-31T15:59:59.999Z"))).toEqual({
      year: 2025,
      month: 12,
      day: 31,
    });
    expect(beijingDate(new Date("2025-12-31T16:00:00Z"))).toBe("2026年1月1日");
    expect(beijingMinute(new Date("2026-01-10T02:05:00Z"))).toBe("2026-01-10 10:05");
  });

  it("numbers calendar days and ends them at 23:59:59.999 Beijing", () => {
    const day = beijingDayOf(2026, 3, 15);
    expect(day).toBe(beijingDay(new Date("2026-03-15T04:00:00Z")));
    expect(endOfBeijingDay(day ?? 0).toISOString()).toBe("2026-03-15T15:59:59.999Z");
    expect(beijingDayOf(2026, 2, 30)).toBeUndefined();
  });

  it("names the weekday of a day number, before 1970 too", () => {
    expect(weekday(beijingDayOf(2026, 3, 15) ?? 0)).toBe(0); // a Sunday
    expect(weekday(beijingDayOf(2026, 3, 13) ?? 0)).toBe(5);
    expect(weekday(beijingDayOf(1969, 12, 31) ?? 0)).toBe(3);
  });

  it("reads a typed date: ISO, slashes, dots, 年月日, full-width, spaces", () => {
    const day = beijingDayOf(2026, 3, 15);
    for (const typed of [
      "2026-03-15",
      "2026/3/15",
      "2026.3.15",
      "2026年3月15日",
      "２０２６－３－１５",
      " 2026 年 3 月 15 号 ",
    ]) {
      expect(parseTypedDate(typed), typed).toEqual({ year: 2026, day });
    }
    expect(isoDateOfDay(day ?? 0)).toBe("2026-03-15");
  });

  it("reads a date without its year only when a default year is given", () => {
    const day = beijingDayOf(2026, 3, 15);
    for (const typed of ["3月15日", "3月15号", "3/15", "3.15"]) {
      expect(parseTypedDate(typed, 2026), typed).toEqual({ year: 2026, day });
      expect(parseTypedDate(typed), typed).toBeUndefined();
    }
  });

  it("refuses what is no date", () => {
    for (const typed of ["2026-02-30", "2026-13-01", "2026-3/15", "明天", "", "15"]) {
      expect(parseTypedDate(typed, 2026), typed).toBeUndefined();
    }
  });
});
