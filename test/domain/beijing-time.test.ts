import { describe, expect, it } from "vitest";
import {
  beijingDate,
  beijingDay,
  beijingDayOf,
  beijingFields,
  beijingMinute,
  endOfBeijingDay,
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
});
