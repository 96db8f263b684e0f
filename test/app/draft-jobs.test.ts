import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  claimJob,
  DRAFT_BEAT_MS,
  DRAFT_STALE_MS,
  isOrphaned,
  runJob,
  takeOrphans,
} from "../../src/app/draft-jobs.js";
import type { DraftJob, Seat } from "../../src/store/store.js";
import { type AppWorld, appWorld, orgWith } from "./app-helpers.js";

let w: AppWorld;
let seat: Seat;
const START = { kind: "draft" as const, userId: 11, chatId: 11 };

beforeEach(async () => {
  w = appWorld();
  seat = await orgWith(w, "a", 11);
});
afterEach(() => vi.useRealTimers());

function running(change: Partial<DraftJob>): DraftJob {
  const at = "2026-01-10T02:00:00.000Z";
  return {
    orgId: "a",
    gen: 0,
    kind: "draft",
    userId: 11,
    chatId: 11,
    startedAt: at,
    beatAt: at,
    host: hostname(),
    pid: process.pid,
    processStart: 0,
    state: "running",
    ...change,
  };
}

describe("whether a running job's process is gone", () => {
  const now = new Date("2026-01-10T02:01:00.000Z");

  it("is not for this very process, nor for another live one that beats", async () => {
    const mine = await claimJob(w.store, seat.org, START, now);
    expect(mine && isOrphaned(mine, now)).toBe(false);
    expect(isOrphaned(running({ pid: process.ppid, processStart: 5 }), now)).toBe(false);
    expect(isOrphaned(running({ host: "elsewhere", pid: 1 }), now)).toBe(false);
  });

  it("is for this pid in an earlier process, a dead pid here, and a silent job anywhere", () => {
    expect(isOrphaned(running({ processStart: 1 }), now)).toBe(true);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    expect(isOrphaned(running({ pid: dead, processStart: 5 }), now)).toBe(true);
    const silent = new Date(Date.parse("2026-01-10T02:00:00.000Z") + DRAFT_STALE_MS + 1);
    expect(isOrphaned(running({ host: "elsewhere", pid: 1 }), silent)).toBe(true);
    expect(isOrphaned(running({ processStart: 1, state: "done" }), now)).toBe(false);
  });
});

describe("running a job", () => {
  it("beats while it works, records the progress message, and ends done", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const job = await claimJob(w.store, seat.org, START, w.clock.now);
    if (!job) throw new Error("slot taken");
    const beats: string[] = [];
    await runJob(w.store, job, w.deps.now, async (progress) => {
      await progress.progressMessage(77);
      for (const minute of [1, 2]) {
        w.clock.now = new Date(Date.parse("2026-01-10T02:00:00Z") + minute * 60_000);
        vi.advanceTimersByTime(DRAFT_BEAT_MS);
        await vi.waitFor(async () => {
          const beat = (await w.store.getDraftJob("a"))?.beatAt ?? "";
          expect(beat).toBe(w.clock.now.toISOString());
          beats.push(beat);
        });
      }
      expect(await claimJob(w.store, seat.org, { ...START, userId: 12 }, w.clock.now)).toBe(
        undefined,
      );
    });
    expect(beats).toEqual(["2026-01-10T02:01:00.000Z", "2026-01-10T02:02:00.000Z"]);
    const ended = await w.store.getDraftJob("a");
    expect(ended).toMatchObject({ state: "done", progressMessageId: 77, gen: 0 });
    // A timer left running would revive the record; none is.
    expect(vi.getTimerCount()).toBe(0);
    expect(await takeOrphans(w.store, w.clock.now)).toEqual([]);
  });

  it("frees the slot when the work fails", async () => {
    const job = await claimJob(w.store, seat.org, START, w.clock.now);
    if (!job) throw new Error("slot taken");
    const failing = runJob(w.store, job, w.deps.now, async () => {
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    expect((await claimJob(w.store, seat.org, START, w.clock.now))?.gen).toBe(1);
  });
});
