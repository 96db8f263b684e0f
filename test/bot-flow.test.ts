import { beforeEach, describe, expect, it } from "vitest";
import type { LocalChat } from "../src/bot/local-api.js";
import { isNoteOnly, isRequired, questionsOf } from "../src/interview/progress.js";
import { forKind } from "../src/messages/wording.js";
import { Store } from "../src/store/store.js";
import type { Question } from "../src/template/load.js";
import { Harness, register, template } from "./helpers/harness.js";

const ME = 601;
let h: Harness;
let chat: LocalChat;

beforeEach(async () => {
  h = new Harness(Store.open("memory://"));
  chat = h.chat(ME, "小王");
  await register(chat);
});

const all = questionsOf(template);
const required = all.filter((q) => isRequired(template, q));
const optional = all.filter((q) => !isRequired(template, q));
/** A question's text as a 镇 reads it, cut short enough to be in any reply that shows it. */
const textOf = (q: Question | undefined) => forKind(q?.text ?? "", "镇").slice(0, 16);

async function answer(q: Question, text = "全年开展3次。"): Promise<void> {
  await chat.press(`ed:${q.id}`);
  await chat.send(text);
}

describe("/next", () => {
  it("takes required questions first, says when they are all in, then offers optional ones", async () => {
    const [last, ...rest] = [...required].reverse();
    for (const q of rest) await answer(q);
    // The cursor is past the last required question: /next wraps to it, not to an optional one.
    const first = await h.run(() => chat.send("/next"));
    expect(first.join("\n")).toContain(textOf(last));
    if (last) await answer(last);

    const done = await h.run(() => chat.send("/next"));
    expect(done[0]).toBe("必答题已全部完成，可发送 /draft 起草。");
    expect(done[1]).toContain("（选答）");
    expect(optional.some((q) => done[1]?.includes(textOf(q)))).toBe(true);

    for (const q of optional) await answer(q);
    expect(await h.run(() => chat.send("/next"))).toEqual([
      "所有问题都已回答。发送 /sections 选择章节修改，或 /missing 检查缺项。\n必答题已全部完成，可发送 /draft 起草。",
    ]);
  });
});

describe("staff notes as answers", () => {
  it("tells the user a note will show as 【待补充】 and keeps the question open", async () => {
    const q = required[0] as Question;
    const [ack] = await h.run(() => chat.send("没有统计"));
    expect(ack).toContain("✅ 已保存");
    expect(ack).toContain("起草时该处显示为【待补充】");
    const missing = (await h.run(() => chat.send("/missing"))).join("\n");
    expect(missing).toContain(textOf(q));
    for (const other of required.slice(1)) await answer(other);
    const next = await h.run(() => chat.send("/next"));
    expect(next.join("\n")).toContain(textOf(q));

    // An explicit "没有" is an answer, not a note.
    await answer(q, "没有");
    expect((await h.run(() => chat.send("/missing"))).join("\n")).not.toContain(textOf(q));
  });

  it("counts an answer as a note only when every line is one", () => {
    const notes = template.staffNotes;
    expect(isNoteOnly("待查", notes)).toBe(true);
    expect(isNoteOnly("没有统计。", notes)).toBe(true);
    expect(isNoteOnly("待查\n不清楚", notes)).toBe(true);
    expect(isNoteOnly("没有", notes)).toBe(false);
    expect(isNoteOnly("培训3次\n人数待统计", notes)).toBe(false);
    expect(isNoteOnly("部分干部对权责清单不清楚", notes)).toBe(false);
  });
});

describe("times", () => {
  it("shows /drafts and /history in Beijing time, labelled", async () => {
    await chat.send("依据文件");
    await chat.send("/draft");
    const [drafts] = await h.run(() => chat.send("/drafts"));
    // The harness clock is 02:00 UTC, 10:00 in Beijing.
    expect(drafts).toContain("第 1 版 · 2026-01-10 10:00（北京时间） · 小王");
    expect(drafts).not.toContain("UTC");
    const history = (await h.run(() => chat.send("/history 导语 1"))).join("\n");
    expect(history).toContain("当前 · 2026-01-10 10:00（北京时间） · 小王");
  });
});
