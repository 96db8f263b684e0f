import Keyv from "keyv";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Org } from "../src/domain/types.js";
import { TEXT } from "../src/messages/zh.js";
import { memoryAtomic } from "../src/store/atomic.js";
import { type Committed, keyvRecords, type Records } from "../src/store/records.js";
import {
  CHECK_TIMEOUT_MS,
  STORE_TIMEOUT_MS,
  Store,
  StoreError,
  UnconfirmedWriteError,
} from "../src/store/store.js";
import { Harness, register } from "./helpers/harness.js";

type Trouble = "lost reply" | "late" | "dead";

/**
 * A memory store whose backend misbehaves on demand, as one that stops answering would. The
 * next commit "lost reply": applies, then never answers. "late": answers nothing and applies
 * only once released. "dead": answers nothing, nor does anything after it, until released.
 */
function troubledStore() {
  const keyv = new Keyv({ namespace: "fazhi" });
  const inner = keyvRecords(keyv);
  const held: (() => void)[] = [];
  const hold = () => new Promise<void>((resolve) => held.push(resolve));
  let trouble: Trouble | undefined;
  let dead = false;
  const late: Promise<Committed>[] = [];
  const records: Records = {
    meter: inner.meter,
    read: async (keys) => {
      if (dead) await hold();
      return inner.read(keys);
    },
    commit: async (change) => {
      const now = trouble;
      trouble = undefined;
      dead ||= now === "dead";
      if (dead) await hold();
      if (now === "late") {
        const applied = hold().then(() => inner.commit(change));
        late.push(applied);
        await applied;
      }
      const committed = await inner.commit(change);
      if (now === "lost reply") await hold();
      return committed;
    },
  };
  const store = new Store(keyv, memoryAtomic(), records);
  return {
    store,
    late,
    next: (t: Trouble) => {
      trouble = t;
    },
    release: () => {
      dead = false;
      for (const resolve of held.splice(0)) resolve();
    },
  };
}

const ORG = { id: "T1", year: 2025 } as Org;
const v = (text: string) => ({ text, author: 1, authorName: "小王", at: "2026-01-10T02:00:00Z" });

describe("a commit that times out", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] }));
  afterEach(() => vi.useRealTimers());

  it("is reported as saved when the check finds it committed", async () => {
    const t = troubledStore();
    await t.store.saveAnswer(ORG, "q", v("第一版"), "replace");
    t.next("lost reply");
    const saving = t.store.saveAnswer(ORG, "q", v("第二版"), "replace");
    await vi.advanceTimersByTimeAsync(STORE_TIMEOUT_MS + 1);
    await expect(saving).resolves.toMatchObject({ text: "第二版" });
    expect((await t.store.getAnswerWithHistory(ORG, "q"))?.history?.map((h) => h.text)).toEqual([
      "第一版",
    ]);
    t.release();
  });

  it("is reported as failed only once it can never apply, and then never does", async () => {
    const t = troubledStore();
    await t.store.saveAnswer(ORG, "q", v("第一版"), "replace");
    t.next("late");
    const saving = t.store.saveAnswer(ORG, "q", v("第二版"), "replace");
    const outcome = saving.then(
      () => "saved",
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(STORE_TIMEOUT_MS + 1);
    const error = await outcome;
    expect(error).toBeInstanceOf(StoreError);
    expect(error).not.toBeInstanceOf(UnconfirmedWriteError);
    // The backend wakes up and runs the commit it had: it must not apply.
    t.release();
    expect(await t.late[0]).toBe(false);
    expect((await t.store.getAnswer(ORG, "q"))?.text).toBe("第一版");
  });

  it("tells the user it is not known whether the answer was saved when the check fails too", async () => {
    const t = troubledStore();
    const h = new Harness(t.store);
    const chat = h.chat(7);
    await register(chat);
    t.next("dead");
    const replies = h.run(() => chat.send("一条回答"));
    await vi.advanceTimersByTimeAsync(STORE_TIMEOUT_MS + CHECK_TIMEOUT_MS + 1);
    expect(await replies).toEqual([TEXT.storeUnsure]);
    t.release();
  });
});
