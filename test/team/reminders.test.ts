import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { Store } from "../../src/store/store.js";
import { remindDue } from "../../src/team/reminders.js";
import { Harness, register, tempDir, template } from "../helpers/harness.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const A1 = 1001;
const A2 = 1002;
const A3 = 1003;
const URL = `sqlite://${join(tmp.dir, "reminders.sqlite")}`;
/** Required questions of enforcement (老李 answers none): the count the reminders name. */
const REQUIRED = template.section("enforcement")?.questions.filter((q) => q.required).length ?? 0;

/** The org (洪梅镇, report year 2025, default deadline Sunday 15 March 2026): A2 owns enforcement, A3 rules. */
async function setUp(): Promise<void> {
  const store = Store.open(URL);
  const h = new Harness(store, { now: () => new Date("2026-01-10T02:00:00Z") });
  await register(h.chat(A1, "小王"));
  const org = await store.getOrg((await store.getMember(A1))?.orgId ?? "");
  for (const [id, name] of [
    [A2, "老李"],
    [A3, "小张"],
  ] as const) {
    await h.chat(id, name).send(`/join ${org?.inviteCode}`);
  }
  await h.chat(A1, "小王").press("as:enforcement");
  await h.chat(A1, "小王").press(`asm:enforcement:${A2}`);
  await h.chat(A1, "小王").press("as:rules");
  await h.chat(A1, "小王").press(`asm:rules:${A3}`);
  // 小张 answers every required question of rules; 老李 nothing.
  for (const q of template.section("rules")?.questions.filter((x) => x.required) ?? []) {
    await h.chat(A3, "小张").press(`ed:${q.id}`);
    await h.chat(A3, "小张").send("未制定。");
  }
  await store.close();
}

/** One reminder round in a fresh process-like setup (new store on the same file). */
async function round(at: string): Promise<[number, string][]> {
  const store = Store.open(URL);
  const sent: [number, string][] = [];
  const deps = {
    store,
    template,
    logger: createLogger("silent"),
    send: async (userId: number, text: string) => void sent.push([userId, text]),
  };
  await remindDue(deps, new Date(at));
  await store.close();
  return sent;
}

describe("reminders with a fake clock", () => {
  it("reminds the right people on the right days, once each, also across restarts", async () => {
    await setUp();
    expect(await round("2026-02-26T10:00:00Z")).toEqual([]);

    const first = await round("2026-02-27T01:31:00Z"); // Friday 27 Feb, 09:31 Beijing: 14-day slot
    expect(first.map(([id]) => id)).toEqual([A2, A1]);
    expect(first[0]?.[1]).toBe(
      `提醒：「洪梅镇」2025年度法治政府建设报告的截止日期是 2026年3月15日（还有 16 天）。\n您负责的以下章节还有必答问题未填：\n· 坚持严格规范公正文明执法（缺 ${REQUIRED} 题）\n发送 /next 继续填写，/missing 查看缺项。`,
    );
    expect(first[1]?.[1]).toBe(
      `进度提醒：截止日期 2026年3月15日（还有 16 天），以下同事负责的章节还有必答问题未填（已分别提醒）：\n· 老李：坚持严格规范公正文明执法 ${REQUIRED} 题`,
    );
    // Later the same day, and after a restart: nothing again.
    expect(await round("2026-02-27T06:00:00Z")).toEqual([]);
    expect(await round("2026-03-01T02:00:00Z")).toEqual([]);

    const second = await round("2026-03-06T01:45:00Z"); // 7-day slot
    expect(second.map(([id]) => id)).toEqual([A2, A1]);
    expect(await round("2026-03-06T01:50:00Z")).toEqual([]);

    // Down from 7 March to 13 March 10:00: only the latest slot (1 day, on Friday 13th) goes out.
    const late = await round("2026-03-13T02:00:00Z");
    expect(late.map(([id]) => id)).toEqual([A2, A1]);
    expect(late[0]?.[1]).toContain("（还有 2 天）");
    expect(await round("2026-03-13T03:00:00Z")).toEqual([]);
    expect(await round("2026-03-16T02:00:00Z")).toEqual([]);
  });

  it("tells the admin when everyone assigned is done, and starts afresh for a new deadline", async () => {
    const store = Store.open(URL);
    const h = new Harness(store, { now: () => new Date("2026-03-14T02:00:00Z") });
    for (const q of template.section("enforcement")?.questions.filter((x) => x.required) ?? []) {
      await h.chat(A2, "老李").press(`ed:${q.id}`);
      await h.chat(A2, "老李").send("已填写。");
    }
    await h.chat(A1, "小王").send("/deadline 2026-03-31");
    await store.close();
    const done = await round("2026-03-17T01:40:00Z"); // Tuesday: 14-day slot of the new deadline
    expect(done).toEqual([
      [
        A1,
        "进度提醒：截止日期 2026年3月31日（还有 14 天），已分配章节的必答问题都已填写。发送 /missing 查看全部缺项。",
      ],
    ]);
    expect(await round("2026-03-17T02:40:00Z")).toEqual([]);
  });
});
