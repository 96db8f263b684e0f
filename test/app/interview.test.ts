import { beforeEach, describe, expect, it } from "vitest";
import { InviteTakenError, runInterview } from "../../src/app/interview.js";
import { BUTTONS } from "../../src/interview/callbacks.js";
import { questionsOf } from "../../src/interview/progress.js";
import { templateForKind } from "../../src/messages/wording.js";
import { INTERVIEW, TEXT } from "../../src/messages/zh.js";
import type { Seat } from "../../src/store/store.js";
import { JOIN_ATTEMPTS, newInvite } from "../../src/team/invites.js";
import { template } from "../helpers/harness.js";
import { type AppWorld, appWorld, orgWith } from "./app-helpers.js";

const ADMIN = { id: 11, name: "小王" };
const NEWCOMER = { id: 12, name: "老李" };
const LATE = { id: 13, name: "小张" };
let w: AppWorld;
let seat: Seat;

beforeEach(async () => {
  w = appWorld();
  seat = await orgWith(w, "a", ADMIN.id, "乡");
});

describe("the interview use case", () => {
  it("registers an office through the store, step by step", async () => {
    const me = { id: 31, name: "小赵" };
    for (const input of [
      { kind: "command", name: "start", arg: "" } as const,
      { kind: "text", text: "城关街道" } as const,
      { kind: "button", data: BUTTONS.kind.pack("街道") } as const,
      { kind: "text", text: "武侯区" } as const,
    ]) {
      await runInterview(w.deps, me, input);
    }
    const done = await runInterview(w.deps, me, {
      kind: "button",
      data: BUTTONS.year.pack(2025),
    });
    const mine = await w.store.seatOf(me.id);
    expect(mine?.org).toMatchObject({ name: "城关街道", kind: "街道", superior: "武侯区" });
    expect(mine?.member.role).toBe("admin");
    expect(await w.store.getRegistration(me.id)).toBeUndefined();
    // The first question, in a 街道's words.
    const first = questionsOf(templateForKind(template, "街道"))[0];
    expect(done.replies.at(-1)?.text).toContain(first?.text);
  });

  it("saves an answer with its author and the injected clock before replying", async () => {
    w.clock.now = new Date("2026-01-20T03:00:00Z");
    const outcome = await runInterview(w.deps, ADMIN, { kind: "text", text: "《实施方案》" });
    const first = questionsOf(template)[0];
    expect(outcome.replies[0]?.text).toContain("已保存");
    expect(await w.store.getAnswer(seat.org, first?.id ?? "")).toMatchObject({
      text: "《实施方案》",
      author: ADMIN.id,
      authorName: ADMIN.name,
      at: "2026-01-20T03:00:00.000Z",
    });
    expect((await w.store.answersOf(seat.org, template)).size).toBe(1);
  });

  it("joins with a code and counts wrong codes until the user must wait", async () => {
    const joined = await runInterview(w.deps, NEWCOMER, { kind: "join", code: "ACODE" });
    expect(joined.replies[0]?.text).toBe(INTERVIEW.joined(seat.org.name, 2025));
    expect((await w.store.seatOf(NEWCOMER.id))?.org.id).toBe("a");

    for (let i = 0; i < JOIN_ATTEMPTS; i++) {
      const wrong = await runInterview(w.deps, LATE, { kind: "join", code: "WRONG" });
      expect(wrong.replies[0]?.text).toBe(TEXT.joinRefused("WRONG", "unknown"));
    }
    const limited = await runInterview(w.deps, LATE, { kind: "join", code: "ACODE" });
    expect(limited.replies[0]?.text).toBe(TEXT.joinRefused("ACODE", "limited"));
    expect(await w.store.seatOf(LATE.id)).toBeUndefined();
    // Ten minutes later the right code works.
    w.clock.now = new Date(w.clock.now.getTime() + 10 * 60_000);
    await runInterview(w.deps, LATE, { kind: "join", code: "ACODE" });
    expect((await w.store.seatOf(LATE.id))?.org.id).toBe("a");
  });

  it("throws InviteTakenError for the second of two people racing for a one-time code", async () => {
    await w.store.putInvite(newInvite("ONCE2345", "a", ADMIN.id, w.clock.now, "once"));
    const results = await Promise.allSettled(
      [NEWCOMER, LATE].map((user) =>
        runInterview(w.deps, user, { kind: "join", code: "ONCE2345" }),
      ),
    );
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed).toHaveLength(1);
    expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(InviteTakenError);
    const seats = await Promise.all([NEWCOMER, LATE].map((u) => w.store.seatOf(u.id)));
    expect(seats.filter(Boolean)).toHaveLength(1);
  });

  it("appends a reply to an earlier question, found as the office's kind reads it", async () => {
    const party = questionsOf(template).find((q) => q.text.includes("{party}"));
    const shown = templateForKind(template, "乡").question(party?.id ?? "")?.text ?? "";
    expect(shown).toContain("乡党委");
    await runInterview(w.deps, ADMIN, {
      kind: "text",
      text: "研究3次",
      quoting: `【二】\n${shown}`,
    });
    expect((await w.store.getAnswer(seat.org, party?.id ?? ""))?.text).toBe("研究3次");
  });
});
