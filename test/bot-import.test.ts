import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { LocalChat } from "../src/bot/local-api.js";
import { findCandidates } from "../src/import/candidates.js";
import { readPastReport } from "../src/import/past-report.js";
import { templateForKind } from "../src/messages/wording.js";
import { Store } from "../src/store/store.js";
import { Harness, imports, register, tempDir, template } from "./helpers/harness.js";
import { seedsDir } from "./helpers/seeds-dir.js";

const tmp = tempDir();
/** The template as the registered 镇 reads it. */
const town = templateForKind(template, "镇");
afterAll(() => tmp.cleanup());
const SEED = `${seedsDir()}/panlong-2023.txt`;
const MEMBER = 801;
const STRANGER = 802;
let h: Harness;
let fileNo = 0;

beforeEach(() => {
  h = new Harness(Store.open("memory://"));
});

/** Sends a document the way Telegram delivers one: metadata first, bytes through getFile. */
async function upload(
  chat: LocalChat,
  name: string,
  bytes: Uint8Array | string,
  caption?: string,
): Promise<string[]> {
  fileNo += 1;
  const path = join(tmp.dir, `${fileNo}-${name}`);
  writeFileSync(path, bytes);
  const size = Buffer.byteLength(bytes);
  const fileId = `file-${fileNo}`;
  h.api.addFile(fileId, path, size);
  return h.run(() =>
    chat.sendMessage({
      document: { file_id: fileId, file_unique_id: fileId, file_name: name, file_size: size },
      ...(caption ? { caption } : {}),
    } as never),
  );
}

async function member(id = MEMBER, name = "小王"): Promise<LocalChat> {
  const chat = h.chat(id, name);
  await register(chat);
  return chat;
}

/** Presses the button labelled `label` on the last message sent since `mark`. */
async function press(chat: LocalChat, mark: number, label: string): Promise<string[]> {
  const button = h.buttons(mark).find((b) => b.label === label);
  if (!button) throw new Error(`no button "${label}"`);
  return h.run(() => chat.press(button.data));
}

describe("what an upload is, in chat", () => {
  it("asks a member what the file is, and checks it on 检查这份报告", async () => {
    const chat = await member();
    const mark = h.api.calls.length;
    expect(await upload(chat, "panlong-2023.txt", readFileSync(SEED))).toEqual([
      "收到《panlong-2023.txt》。这是什么文件？",
    ]);
    expect(h.buttons(mark).map((b) => b.label)).toEqual([
      "检查这份报告",
      "这是去年的年度报告",
      "这是今年的工作材料",
    ]);
    const verdict = await press(chat, mark, "检查这份报告");
    expect(verdict[0]).toMatch(/^检查结果（panlong-2023\.txt）：齐全 \d+ 项/);
    // The choice read nothing into the store.
    expect(await h.store.getLastYear((await h.store.seatOf(MEMBER))?.org.id ?? "")).toBeUndefined();
  });

  it("checks a stranger's upload at once, and a member's captioned 检查", async () => {
    const [stranger] = await upload(h.chat(STRANGER), "panlong-2023.txt", readFileSync(SEED));
    expect(stranger).toMatch(/^检查结果（panlong-2023\.txt）/);
    const chat = await member();
    const [captioned] = await upload(chat, "a.txt", readFileSync(SEED), "帮我检查一下");
    expect(captioned).toMatch(/^检查结果（a\.txt）/);
  });

  it("imports last year's report: counts by section, stored for the org", async () => {
    const chat = await member();
    const mark = h.api.calls.length;
    await upload(chat, "panlong-2023.txt", readFileSync(SEED));
    const [summary] = await press(chat, mark, "这是去年的年度报告");
    const expected = readPastReport(readFileSync(SEED, "utf8"), imports);
    expect(expected.plans.length).toBeGreaterThan(0);
    expect(summary?.split("\n")[0]).toBe(
      `已读取去年的报告《panlong-2023.txt》（2023年度）：下一年度安排 ${expected.plans.length} 项，存在的不足 ${expected.shortcomings.length} 项。`,
    );
    // Each section named with its count; the counts add up to the plan items.
    const counts = [...(summary ?? "").matchAll(/^· (.+)：(\d+) 项$/gmu)];
    const sections = new Set(expected.plans.map((p) => p.section));
    expect(counts.map((m) => m[1]).sort()).toEqual(
      town.sections
        .filter((s) => sections.has(s.id))
        .map((s) => s.title)
        .sort(),
    );
    expect(counts.reduce((n, m) => n + Number(m[2]), 0)).toBe(expected.plans.length);
    const seat = await h.store.seatOf(MEMBER);
    const saved = await h.store.getLastYear(seat?.org.id ?? "");
    expect(saved?.plans).toEqual(expected.plans);
    expect(saved?.importedBy).toBe(MEMBER);
    expect(h.errors).toEqual([]);
  });

  it("offers a material's candidates; adoption by one member keeps the source and the author", async () => {
    const admin = await member();
    const code = await inviteCode(admin);
    const second = h.chat(MEMBER + 1, "老李");
    await second.send(`/join ${code}`);
    const text = readFileSync(SEED, "utf8");
    const expected = findCandidates({ text, source: "总结.txt" }, imports);
    expect(expected.length).toBeGreaterThan(0);

    const mark = h.api.calls.length;
    const replies = await upload(second, "总结.txt", text, "今年的工作材料");
    expect(replies[0]).toMatch(/^从《总结\.txt》中找到 \d+ 条候选回答/);
    const offered = replies.slice(1);
    expect(offered.length).toBe(Math.min(expected.length, 20));
    const first = expected[0];
    if (!first) throw new Error("no candidate");
    expect(offered[0]).toContain(`从《总结.txt》找到：${first.quote}`);
    expect(offered[0]).toContain(`问题：${town.question(first.questionId)?.text}`);
    for (const message of offered) expect(message).not.toMatch(/\{[a-z]+\}/);
    // Nothing is adopted before a tap.
    const seat = await h.store.seatOf(MEMBER + 1);
    if (!seat) throw new Error("not a member");
    expect(await h.store.getAnswer(seat.org, first.questionId)).toBeUndefined();

    const buttons = h.since(mark).filter((c) => c.method === "sendMessage")[1]?.payload
      .reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
    const adopt = buttons.inline_keyboard.flat().find((b) => b.text === "采用");
    const [done] = await h.run(() => second.press(adopt?.callback_data ?? ""));
    expect(done).toMatch(/^已采用，记为“.+”的回答，来源已记录/);
    const answer = await h.store.getAnswer(seat.org, first.questionId);
    expect(answer?.text).toBe(first.text);
    expect(answer?.author).toBe(MEMBER + 1);
    expect(answer?.source).toEqual({ file: "总结.txt", quote: first.quote });
    // A second tap adopts nothing more.
    expect(await h.run(() => second.press(adopt?.callback_data ?? ""))).toEqual([
      "这条候选回答已经处理过了。",
    ]);

    // The other member sees the source and the author in /history.
    const [history] = await h.run(() => admin.send(`/history ${first.questionId}`));
    expect(history).toContain("老李");
    expect(history).toContain(`来源：《总结.txt》“${first.quote}”`);
  });

  it("修改 takes the next message as the answer with the source; 跳过 saves nothing", async () => {
    const chat = await member();
    const text = readFileSync(SEED, "utf8");
    const expected = findCandidates({ text, source: "m.txt" }, imports);
    const mark = h.api.calls.length;
    await upload(chat, "m.txt", text, "材料");
    const messages = h.since(mark).filter((c) => c.method === "sendMessage");
    const dataOf = (i: number, label: string): string => {
      const markup = messages[i + 1]?.payload.reply_markup as {
        inline_keyboard: { text: string; callback_data: string }[][];
      };
      return markup.inline_keyboard.flat().find((b) => b.text === label)?.callback_data ?? "";
    };
    const seat = await h.store.seatOf(MEMBER);
    if (!seat) throw new Error("not a member");

    // 跳过 the first candidate whose question has no other candidate offered before it.
    const [skipped] = await h.run(() => chat.press(dataOf(0, "跳过")));
    expect(skipped).toBe("已跳过这条。");
    const firstId = expected[0]?.questionId ?? "";
    expect(await h.store.getAnswer(seat.org, firstId)).toBeUndefined();

    const target = expected.findIndex((c, i) => i > 0 && c.questionId !== firstId);
    const candidate = expected[target];
    if (!candidate) throw new Error("need a candidate for another question");
    const [prompt] = await h.run(() => chat.press(dataOf(target, "修改")));
    expect(prompt).toMatch(/^请发送修改后的回答文字/);
    // A message with nothing to show keeps the edit open.
    expect(await h.run(() => chat.send("\u200b"))).toEqual(["没有收到文字内容，请直接输入回答。"]);
    expect(await h.run(() => chat.send("全年组织学法4次。"))).toEqual([
      `已采用，记为“${town.question(candidate.questionId)?.text}”的回答，来源已记录（/history 可查看）。`,
    ]);
    const answer = await h.store.getAnswer(seat.org, candidate.questionId);
    expect(answer?.text).toBe("全年组织学法4次。");
    expect(answer?.source).toEqual({ file: "m.txt", quote: candidate.quote });
    expect(h.errors).toEqual([]);
  });

  it("asks to resend when a button's file is no longer held", async () => {
    const chat = await member();
    const mark = h.api.calls.length;
    await upload(chat, "panlong-2023.txt", readFileSync(SEED));
    const data = h.buttons(mark).find((b) => b.label === "这是去年的年度报告")?.data ?? "";
    expect(data).not.toBe("");
    // A restarted bot holds no uploads.
    const store = h.store;
    h = new Harness(store);
    const resend = "这份文件已过期（只保留30分钟，且不保存在数据库里），请重新发送。";
    expect(await h.run(() => h.chat(MEMBER, "小王").press(data))).toEqual([resend]);
    expect(await h.run(() => h.chat(MEMBER, "小王").press("cand:AAAAAAAAAAAA:0:adopt"))).toEqual([
      resend,
    ]);
    const seat = await store.seatOf(MEMBER);
    expect(await store.getLastYear(seat?.org.id ?? "")).toBeUndefined();
  });

  it("explains a file that cannot be read, as /check does", async () => {
    const chat = await member();
    expect(await upload(chat, "empty.txt", "")).toEqual([
      "文件“empty.txt”是空的，没有可检查的文字。",
    ]);
  });
});

/** An invite code made by the admin through the chat. */
async function inviteCode(admin: LocalChat): Promise<string> {
  const replies = await h.run(() => admin.press("inv:days"));
  const code = /[A-Z0-9]{6,}/.exec(replies.join("\n"))?.[0];
  if (!code) throw new Error(`no invite code in ${replies.join("\n")}`);
  return code;
}
