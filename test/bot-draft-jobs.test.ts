import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { summary } from "../src/bot/features/drafting.js";
import { InFlight } from "../src/bot/in-flight.js";
import type { DraftResult } from "../src/draft/drafter.js";
import { LlmClient } from "../src/llm/client.js";
import { createLogger } from "../src/log.js";
import { Store } from "../src/store/store.js";
import { Harness, register, template } from "./helpers/harness.js";
import { junkReply, type OpenAIStub, startOpenAIStub } from "./stub/openai-stub.js";

/**
 * Drafting in the chat (issue 12.6, 14.6, 16.3): a /draft runs outside the chat's lane and
 * holds the org's draft slot in the store; interrupted drafts are reported; /revise offline.
 */

const ME = 701;
const BUSY = "正在起草，请稍候。起草完成后会发来草稿；这期间可以继续回答问题。";
let store: Store;
let stub: OpenAIStub | undefined;

beforeEach(() => {
  store = Store.open("memory://");
});
afterEach(async () => {
  await stub?.close();
  stub = undefined;
  await store.close();
});

function llm(baseURL: string): LlmClient {
  return new LlmClient(
    { apiKey: "t", baseURL, model: "stub-model", timeoutMs: 60_000, concurrency: 8, maxRetries: 0 },
    createLogger("silent"),
  );
}

/** Registers and answers the leadership section. */
async function answered(h: Harness): Promise<void> {
  const chat = h.chat(ME, "小王");
  await register(chat);
  await chat.press("sec:leadership");
  for (const [i] of (template.section("leadership")?.questions ?? []).entries()) {
    await chat.send(`第${i + 1}题：全年开展专题学法${i + 4}次。`);
  }
}

/** Resolves once `ok` holds, checking after each turn of the event loop (no time assumed). */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; !ok(); i++) {
    if (i > 100_000) throw new Error("condition never held");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function orgOf(userId: number) {
  const org = await store.getOrg((await store.getMember(userId))?.orgId ?? "");
  if (!org) throw new Error("no org");
  return org;
}

describe("/draft outside the chat's lane", () => {
  it("acknowledges an answer sent while the draft hangs, and refuses a second /draft", async () => {
    stub = await startOpenAIStub({ failures: { kind: "hang", times: 1_000 } });
    const inFlight = new InFlight();
    const h = new Harness(store, { llm: llm(stub.baseURL), inFlight });
    await answered(h);
    const chat = h.chat(ME);

    const started = await h.run(() => chat.send("/draft"));
    expect(started).toEqual(["起草中…"]);
    await until(() => (stub?.inFlight ?? 0) > 0);

    const replies = await h.run(() => chat.send("本年度共办理行政复议案件3件。"));
    expect(replies[0]).toMatch(/^✅ 已保存：/);
    expect(replies.at(-1)).toBe(
      "（这条回答已保存，但不在正在起草的草稿中；起草完成后再发送 /draft 即可纳入。）",
    );
    // Ordering, not timing: the draft is still waiting on the endpoint when the ack went out.
    expect(stub.inFlight).toBeGreaterThan(0);
    expect(await store.latestDraft(await orgOf(ME))).toBeUndefined();
    expect(inFlight.count).toBe(1);

    expect(await h.run(() => chat.send("/draft"))).toEqual([BUSY]);
    // Another instance on the same store sees the running draft too.
    const other = new Harness(store, { llm: llm(stub.baseURL), inFlight: new InFlight() });
    expect(await other.run(() => other.chat(ME).send("/draft"))).toEqual([BUSY]);
    expect(await h.run(() => chat.send("/revise 领导 更简洁"))).toEqual([BUSY]);

    // Closing the endpoint fails the hanging calls: every section falls back and the draft ends.
    await stub.close();
    await inFlight.idle(120_000);
    expect(inFlight.count).toBe(0);
    const org = await orgOf(ME);
    expect((await store.latestDraft(org))?.n).toBe(1);
    expect((await store.getDraftJob(org.id))?.state).toBe("done");
    const texts = h.texts(0, ME);
    expect(texts.some((t) => t.startsWith("草稿说明："))).toBe(true);
    expect(h.errors).toEqual([]);

    // The slot is free again.
    const again = await h.run(() => chat.send("/draft"));
    expect(again).toEqual(["起草中…"]);
    await inFlight.idle(120_000);
    expect((await store.latestDraft(org))?.n).toBe(2);
  });
});

describe("an interrupted draft", () => {
  /** A job left running by a process that is gone (same pid, another process start). */
  async function orphan(orgId: string, progressMessageId: number) {
    const at = "2026-01-10T01:50:00.000Z";
    const job = await store.claimDraftJob({
      orgId,
      kind: "draft",
      userId: ME,
      chatId: ME,
      startedAt: at,
      beatAt: at,
      host: hostname(),
      pid: process.pid,
      processStart: 1,
    });
    if (!job) throw new Error("slot taken");
    await store.putDraftJob({ ...job, progressMessageId });
  }

  it("is reported on the user's next message, its progress message unfrozen", async () => {
    const h = new Harness(store, { inFlight: new InFlight() });
    await answered(h);
    const org = await orgOf(ME);
    await orphan(org.id, 4242);
    const mark = h.api.calls.length;
    const replies = await h.run(() => h.chat(ME).send("补充：全年学法5次。"));
    expect(replies).toContain(
      "北京时间 2026-01-10 09:50 开始的起草因程序重启而中断，没有生成新版本。已保存的回答不受影响，请重新发送 /draft。",
    );
    const edit = h.since(mark).find((c) => c.method === "editMessageText");
    expect(edit?.payload).toMatchObject({
      chat_id: ME,
      message_id: 4242,
      text: "起草已中断（程序重启），请重新发送 /draft。",
    });
    expect((await store.getDraftJob(org.id))?.state).toBe("interrupted");
    // Reported once only; the next /draft runs.
    expect(await h.run(() => h.chat(ME).send("再补充一句。"))).not.toContain(replies.at(-1));
    expect(await store.runningDraftJobs()).toEqual([]);
  });

  it("is reported by /draft itself, which then drafts", async () => {
    const inFlight = new InFlight();
    const h = new Harness(store, { inFlight });
    await answered(h);
    const org = await orgOf(ME);
    await orphan(org.id, 4243);
    const replies = await h.run(() => h.chat(ME).send("/draft"));
    expect(replies[0]).toContain("开始的起草因程序重启而中断");
    expect(replies[1]).toBe("起草中（未配置大模型，使用离线生成）…");
    await inFlight.idle(60_000);
    expect((await store.latestDraft(org))?.n).toBe(1);
  });
});

describe("/revise without an LLM", () => {
  it("offers to edit the section's answers and makes no new version", async () => {
    const h = new Harness(store);
    await answered(h);
    const chat = h.chat(ME);
    await chat.send("/draft");
    const mark = h.api.calls.length;
    const replies = await h.run(() => chat.send("/revise 执法 更突出数据"));
    expect(replies).toEqual([
      "未配置大模型，离线时无法按修改要求改写「坚持严格规范公正文明执法」，没有生成新版本。\n可以修改这一章的回答，再发送 /draft 重新起草：",
    ]);
    const [button] = h.buttons(mark);
    expect(button).toEqual({
      label: "修改「坚持严格规范公正文明执法」的回答",
      data: "edsec:enforcement",
    });
    expect((await store.listDrafts(await orgOf(ME))).map((d) => d.n)).toEqual([1]);
    const menu = await h.run(() => chat.press(button?.data ?? ""));
    expect(menu.at(-1)).toContain("选择要修改的问题");
  });
});

describe("the chat summary", () => {
  it("gives each fallback's reason and each unsourced figure's reason with its sentence", async () => {
    stub = await startOpenAIStub({
      reply: (req) =>
        JSON.stringify(req.body.messages.at(-1)).includes("严格规范公正文明执法")
          ? junkReply(400)
          : "我镇全年开展专题学法987次，领导干部带头学法用法，干部职工法治意识明显增强，法治政府建设稳步推进。",
    });
    const inFlight = new InFlight();
    const h = new Harness(store, { llm: llm(stub.baseURL), inFlight });
    await answered(h);
    await h.chat(ME).press("sec:enforcement");
    await h.chat(ME).send("执法人员18名，全年培训2期。");
    await h.chat(ME).send("/draft");
    await inFlight.idle(60_000);
    const text = h.texts(0, ME).find((t) => t.startsWith("草稿说明：")) ?? "";
    expect(text).toContain(
      "· 「坚持严格规范公正文明执法」大模型回复未采用（非中文），已改用离线生成。",
    );
    expect(text).toMatch(/ {2}- 987次（不在回答中）：.*987次/);
  });

  it("never says no item is missing while required parts hold 【待补充】", () => {
    const required = template.sections.find((s) => s.required);
    const result = {
      sections: [
        {
          id: required?.id ?? "",
          title: "",
          text: "一是【待补充：学法】。二是【待补充：述法】。",
          source: "offline",
        },
      ],
      check: { missing: [], weak: [] },
      ungrounded: [],
      failures: [],
      text: "一是【待补充：学法】。二是【待补充：述法】。",
    } as unknown as DraftResult;
    const lines = summary(template, result).text.split("\n");
    expect(lines).toContain(
      "· 必备要素缺失：未发现缺项，但必备部分仍有 2 处【待补充】，补齐后才算完整",
    );
    expect(lines.some((l) => l.endsWith("必备要素缺失：无"))).toBe(false);
  });
});
