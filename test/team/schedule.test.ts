import { afterEach, describe, expect, it } from "vitest";
import { beijingDate } from "../../src/domain/beijing-time.js";
import {
  daysLeft,
  defaultDeadline,
  dueSlots,
  nextCheck,
  parseDeadline,
  type ReminderSlot,
  reminderSlots,
} from "../../src/team/schedule.js";

/** A Beijing wall-clock time as an instant: "2026-03-15T09:30" → 2026-03-15T01:30Z. */
const bj = (local: string): Date => new Date(`${local}+08:00`);
const iso = (date: Date | undefined): string | undefined => date?.toISOString();
const plain = (slots: ReminderSlot[]) =>
  slots.map((s) => ({ id: s.id, daysBefore: s.daysBefore, at: s.at.toISOString() }));
const ids = (slots: ReminderSlot[]): string[] => slots.map((s) => s.id);

/** Report year 2025: default deadline Sunday 15 March 2026, end of day in Beijing. */
const SUNDAY_DEADLINE = new Date("2026-03-15T15:59:59.999Z");

describe("defaultDeadline", () => {
  it("is 15 March of the next year, 23:59:59.999 Beijing", () => {
    expect(defaultDeadline(2025).toISOString()).toBe("2026-03-15T15:59:59.999Z");
    expect(defaultDeadline(2025).getTime()).toBe(bj("2026-03-15T23:59:59.999").getTime());
    expect(defaultDeadline(2026).toISOString()).toBe("2027-03-15T15:59:59.999Z");
    expect(beijingDate(defaultDeadline(2025))).toBe("2026年3月15日");
  });

  it("2026-03-15 is a Sunday (the fixture the slot tests rely on)", () => {
    expect(new Date("2026-03-15T12:00:00Z").getUTCDay()).toBe(0);
  });
});

describe("reminderSlots", () => {
  it("lists the slots for Sunday 2026-03-15 exactly, weekend slots moved to Friday", () => {
    expect(plain(reminderSlots(SUNDAY_DEADLINE))).toEqual([
      // 14 days before is Sunday 1 March → Friday 27 February
      { id: "d14", daysBefore: 16, at: "2026-02-27T01:30:00.000Z" },
      // 7 days before is Sunday 8 March → Friday 6 March
      { id: "d7", daysBefore: 9, at: "2026-03-06T01:30:00.000Z" },
      // Thursday 12 March stays
      { id: "d3", daysBefore: 3, at: "2026-03-12T01:30:00.000Z" },
      // Saturday 14 March → Friday 13 March; the deadline day (Sunday) would also move to
      // Friday 13 March and collapses into d1
      { id: "d1", daysBefore: 2, at: "2026-03-13T01:30:00.000Z" },
    ]);
  });

  it("every slot is at 09:30 Beijing on a weekday, before the deadline", () => {
    for (const slot of reminderSlots(SUNDAY_DEADLINE)) {
      const local = new Date(slot.at.getTime() + 8 * 3_600_000);
      expect(local.getUTCHours()).toBe(9);
      expect(local.getUTCMinutes()).toBe(30);
      expect([1, 2, 3, 4, 5]).toContain(local.getUTCDay());
      expect(slot.at.getTime()).toBeLessThan(SUNDAY_DEADLINE.getTime());
      expect(daysLeft(SUNDAY_DEADLINE, slot.at)).toBe(slot.daysBefore);
    }
  });

  it("a weekday deadline keeps weekday slots and adds the deadline day itself", () => {
    // Wednesday 18 March 2026: only 3 days before (Sunday 15) moves, to Friday 13.
    const deadline = bj("2026-03-18T23:59:59.999");
    expect(plain(reminderSlots(deadline))).toEqual([
      { id: "d14", daysBefore: 14, at: "2026-03-04T01:30:00.000Z" },
      { id: "d7", daysBefore: 7, at: "2026-03-11T01:30:00.000Z" },
      { id: "d3", daysBefore: 5, at: "2026-03-13T01:30:00.000Z" },
      { id: "d1", daysBefore: 1, at: "2026-03-17T01:30:00.000Z" },
      { id: "d0", daysBefore: 0, at: "2026-03-18T01:30:00.000Z" },
    ]);
  });

  it("a Monday deadline: d1 (Sunday) moves onto d3's Friday and collapses into it", () => {
    const deadline = bj("2026-03-16T23:59:59.999");
    expect(plain(reminderSlots(deadline))).toEqual([
      { id: "d14", daysBefore: 14, at: "2026-03-02T01:30:00.000Z" },
      { id: "d7", daysBefore: 7, at: "2026-03-09T01:30:00.000Z" },
      { id: "d3", daysBefore: 3, at: "2026-03-13T01:30:00.000Z" },
      { id: "d0", daysBefore: 0, at: "2026-03-16T01:30:00.000Z" },
    ]);
  });

  it("a Saturday deadline: the deadline day moves onto d1's Friday", () => {
    const deadline = bj("2026-03-14T23:59:59.999");
    expect(ids(reminderSlots(deadline))).toEqual(["d14", "d7", "d3", "d1"]);
    expect(iso(reminderSlots(deadline).at(-1)?.at)).toBe("2026-03-13T01:30:00.000Z");
  });

  it("drops a slot that would not be before the deadline instant", () => {
    // Deadline at 08:00 Beijing on Wednesday 18 March: the 09:30 slot that day would be late.
    expect(ids(reminderSlots(bj("2026-03-18T08:00")))).toEqual(["d14", "d7", "d3", "d1"]);
    expect(ids(reminderSlots(bj("2026-03-18T09:30")))).toEqual(["d14", "d7", "d3", "d1"]);
    expect(ids(reminderSlots(bj("2026-03-18T09:31")))).toEqual(["d14", "d7", "d3", "d1", "d0"]);
  });

  it("uses the Beijing day of the deadline, not the UTC one", () => {
    // 2026-03-17T16:30Z is 00:30 on Wednesday 18 March in Beijing (still Tuesday in UTC).
    const slots = reminderSlots(new Date("2026-03-17T16:30:00Z"));
    expect(ids(slots)).toEqual(["d14", "d7", "d3", "d1"]);
    expect(iso(slots.at(-1)?.at)).toBe("2026-03-17T01:30:00.000Z");
  });
});

describe("dueSlots", () => {
  const none = new Set<string>();

  it("nothing before the first slot", () => {
    expect(dueSlots(SUNDAY_DEADLINE, new Date("2026-01-01T00:00:00Z"), none)).toEqual([]);
    expect(dueSlots(SUNDAY_DEADLINE, new Date("2026-02-27T01:29:59.999Z"), none)).toEqual([]);
  });

  it("the 14-day slot from its instant on", () => {
    expect(plain(dueSlots(SUNDAY_DEADLINE, new Date("2026-02-27T01:30:00.000Z"), none))).toEqual([
      { id: "d14", daysBefore: 16, at: "2026-02-27T01:30:00.000Z" },
    ]);
    expect(ids(dueSlots(SUNDAY_DEADLINE, new Date("2026-02-27T01:31:00Z"), none))).toEqual(["d14"]);
  });

  it("nothing once d14 is sent, until d7 is due", () => {
    const sent = new Set(["d14"]);
    expect(dueSlots(SUNDAY_DEADLINE, new Date("2026-02-27T01:31:00Z"), sent)).toEqual([]);
    expect(dueSlots(SUNDAY_DEADLINE, new Date("2026-03-06T01:29:59.999Z"), sent)).toEqual([]);
    expect(ids(dueSlots(SUNDAY_DEADLINE, new Date("2026-03-06T01:30:00Z"), sent))).toEqual(["d7"]);
  });

  it("after a long downtime past d7 and d3 with nothing sent: only d3", () => {
    expect(ids(dueSlots(SUNDAY_DEADLINE, bj("2026-03-12T15:00"), none))).toEqual(["d3"]);
  });

  it("an earlier unsent slot is stale once a later one was sent", () => {
    expect(dueSlots(SUNDAY_DEADLINE, bj("2026-03-12T15:00"), new Set(["d3"]))).toEqual([]);
  });

  it("the last slot stays due until the deadline, never after", () => {
    expect(ids(dueSlots(SUNDAY_DEADLINE, bj("2026-03-15T23:59:59.998"), none))).toEqual(["d1"]);
    expect(dueSlots(SUNDAY_DEADLINE, bj("2026-03-15T23:59:59.999"), none)).toEqual([]);
    expect(dueSlots(SUNDAY_DEADLINE, bj("2026-03-16T09:30"), none)).toEqual([]);
    expect(dueSlots(SUNDAY_DEADLINE, bj("2026-04-01T09:30"), none)).toEqual([]);
  });

  it("walking a fake clock through the schedule sends each slot exactly once", () => {
    const sent = new Set<string>();
    const log: string[] = [];
    // Every half hour from 1 February to 20 March (Beijing).
    for (let t = bj("2026-02-01T00:00").getTime(); t < bj("2026-03-20T00:00").getTime(); ) {
      for (const slot of dueSlots(SUNDAY_DEADLINE, new Date(t), sent)) {
        sent.add(slot.id);
        log.push(`${slot.id}@${new Date(t).toISOString()}`);
      }
      t += 30 * 60_000;
    }
    expect(log).toEqual([
      "d14@2026-02-27T01:30:00.000Z",
      "d7@2026-03-06T01:30:00.000Z",
      "d3@2026-03-12T01:30:00.000Z",
      "d1@2026-03-13T01:30:00.000Z",
    ]);
  });

  it("driven by nextCheck alone (one timer at a time), also across a restart", () => {
    const sent = new Set<string>();
    const log: string[] = [];
    let now: Date | undefined = bj("2026-02-01T12:00");
    while (now !== undefined) {
      for (const slot of dueSlots(SUNDAY_DEADLINE, now, sent)) {
        sent.add(slot.id);
        log.push(slot.id);
      }
      // A restart after d7: the persisted `sent` survives, the clock is whatever it is.
      if (log.at(-1) === "d7" && !log.includes("restart")) {
        log.push("restart");
        now = bj("2026-03-06T18:00");
        continue;
      }
      now = nextCheck(SUNDAY_DEADLINE, now, sent);
    }
    expect(log).toEqual(["d14", "d7", "restart", "d3", "d1"]);
  });
});

describe("nextCheck", () => {
  const none = new Set<string>();

  it("is the first slot before the schedule starts", () => {
    expect(iso(nextCheck(SUNDAY_DEADLINE, new Date("2026-01-01T00:00:00Z"), none))).toBe(
      "2026-02-27T01:30:00.000Z",
    );
  });

  it("is strictly after now: at a slot's own instant it names the following one", () => {
    expect(iso(nextCheck(SUNDAY_DEADLINE, new Date("2026-02-27T01:30:00Z"), none))).toBe(
      "2026-03-06T01:30:00.000Z",
    );
    expect(iso(nextCheck(SUNDAY_DEADLINE, bj("2026-03-12T15:00"), new Set(["d3"])))).toBe(
      "2026-03-13T01:30:00.000Z",
    );
  });

  it("skips slots already sent", () => {
    expect(iso(nextCheck(SUNDAY_DEADLINE, bj("2026-03-01T12:00"), new Set(["d7"])))).toBe(
      "2026-03-12T01:30:00.000Z",
    );
  });

  it("is undefined when no slot is left", () => {
    expect(nextCheck(SUNDAY_DEADLINE, bj("2026-03-13T09:30"), none)).toBeUndefined();
    expect(nextCheck(SUNDAY_DEADLINE, bj("2026-03-14T12:00"), none)).toBeUndefined();
    expect(nextCheck(SUNDAY_DEADLINE, bj("2026-03-20T12:00"), none)).toBeUndefined();
  });
});

describe("parseDeadline", () => {
  const now = bj("2026-01-10T10:00");
  const expected = "2026-03-15T15:59:59.999Z";

  it.each([
    "2026-03-15",
    "2026-3-15",
    "2026/3/15",
    "2026/03/15",
    "2026.3.15",
    "2026年3月15日",
    "2026年03月15日",
    " 2026 年 3 月 15 日 ",
    "２０２６年３月１５日",
    "２０２６／３／１５",
  ])("accepts %j as the end of 15 March 2026 in Beijing", (text) => {
    expect(iso(parseDeadline(text, 2025, now))).toBe(expected);
  });

  it.each(["3月15日", "3月15号", "3月15", "03月15日", "3/15", "3-15"])(
    "infers the year of %j as the report year + 1",
    (text) => {
      expect(iso(parseDeadline(text, 2025, now))).toBe(expected);
    },
  );

  it("the inferred year follows the report year, not the clock", () => {
    expect(iso(parseDeadline("3月31日", 2026, now))).toBe("2027-03-31T15:59:59.999Z");
    // With report year 2024 the inferred date (15 March 2025) is already over.
    expect(parseDeadline("3月15日", 2024, now)).toBeUndefined();
  });

  it.each([
    "",
    "   ",
    "明天",
    "soon",
    "2026",
    "2026-03",
    "15.03.2026",
    "2026-13-01",
    "2026-02-30",
    "2026/3-15",
    "2026年2月29日",
    "0月1日",
    "3月32日",
    "26-03-15",
    "2026-03-15 extra",
    "2099-03-15",
  ])("rejects %j", (text) => {
    expect(parseDeadline(text, 2025, now)).toBeUndefined();
  });

  it("accepts a leap day that exists", () => {
    expect(iso(parseDeadline("2028-02-29", 2027, now))).toBe("2028-02-29T15:59:59.999Z");
  });

  it("rejects a day that is over, accepts today until its Beijing midnight", () => {
    expect(parseDeadline("2026-01-09", 2025, now)).toBeUndefined();
    expect(parseDeadline("2025-03-15", 2025, now)).toBeUndefined();
    expect(iso(parseDeadline("2026-01-10", 2025, now))).toBe("2026-01-10T15:59:59.999Z");
    expect(parseDeadline("2026-01-10", 2025, bj("2026-01-11T00:00"))).toBeUndefined();
    // 2026-01-10T20:00Z is already 11 January in Beijing: the 10th is over there.
    expect(parseDeadline("2026-01-10", 2025, new Date("2026-01-10T20:00:00Z"))).toBeUndefined();
  });

  it("allows up to two years beyond the current Beijing year", () => {
    expect(iso(parseDeadline("2028-12-31", 2025, now))).toBe("2028-12-31T15:59:59.999Z");
    expect(parseDeadline("2029-01-01", 2025, now)).toBeUndefined();
  });
});

describe("beijingDate", () => {
  it("formats in Beijing time across the UTC midnight boundary", () => {
    expect(beijingDate(new Date("2026-03-14T15:59:59.999Z"))).toBe("2026年3月14日");
    expect(beijingDate(new Date("2026-03-14T16:00:00.000Z"))).toBe("2026年3月15日");
    expect(beijingDate(new Date("2026-03-14T17:00:00Z"))).toBe("2026年3月15日");
    expect(beijingDate(new Date("2025-12-31T16:00:00Z"))).toBe("2026年1月1日");
    expect(beijingDate(SUNDAY_DEADLINE)).toBe("2026年3月15日");
  });
});

describe("daysLeft", () => {
  it("counts Beijing calendar days, the deadline day being 0", () => {
    expect(daysLeft(SUNDAY_DEADLINE, bj("2026-03-15T00:00"))).toBe(0);
    expect(daysLeft(SUNDAY_DEADLINE, bj("2026-03-15T23:59:59.999"))).toBe(0);
    expect(daysLeft(SUNDAY_DEADLINE, bj("2026-03-14T23:59:59.999"))).toBe(1);
    // 2026-03-14T16:00Z is already the 15th in Beijing.
    expect(daysLeft(SUNDAY_DEADLINE, new Date("2026-03-14T15:59:59Z"))).toBe(1);
    expect(daysLeft(SUNDAY_DEADLINE, new Date("2026-03-14T16:00:00Z"))).toBe(0);
    expect(daysLeft(SUNDAY_DEADLINE, bj("2026-03-01T09:30"))).toBe(14);
    expect(daysLeft(SUNDAY_DEADLINE, bj("2026-03-16T09:00"))).toBe(-1);
  });
});

describe("independence of the machine's time zone", () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it.each(["UTC", "America/New_York", "Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Pago_Pago"])(
    "gives the same answers with TZ=%s",
    (tz) => {
      process.env.TZ = tz;
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(tz);
      expect(defaultDeadline(2025).toISOString()).toBe("2026-03-15T15:59:59.999Z");
      expect(plain(reminderSlots(SUNDAY_DEADLINE)).map((s) => s.at)).toEqual([
        "2026-02-27T01:30:00.000Z",
        "2026-03-06T01:30:00.000Z",
        "2026-03-12T01:30:00.000Z",
        "2026-03-13T01:30:00.000Z",
      ]);
      expect(iso(parseDeadline("3月15日", 2025, bj("2026-03-15T23:00")))).toBe(
        "2026-03-15T15:59:59.999Z",
      );
      expect(beijingDate(new Date("2026-03-14T17:00:00Z"))).toBe("2026年3月15日");
      expect(daysLeft(SUNDAY_DEADLINE, new Date("2026-03-14T16:00:00Z"))).toBe(0);
    },
  );
});
