import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LlmClient } from "../src/llm/client.js";
import { createLogger } from "../src/log.js";
import { Store } from "../src/store/store.js";
import { Harness, register, template } from "./helpers/harness.js";
import { type OpenAIStub, startOpenAIStub } from "./stub/openai-stub.js";

const ME = 601;
let store: Store;
let stub: OpenAIStub;

beforeAll(async () => {
  stub = await startOpenAIStub({
    reply: () =>
      "我镇全年开展专题学法4次，组织法治培训2期，领导干部带头学法用法，干部职工法治意识明显增强。",
  });
});
afterAll(() => stub.close());
beforeEach(() => {
  store = Store.open("memory://");
  stub.clear();
});
afterEach(() => store.close());

function llm(): LlmClient {
  return new LlmClient(
    {
      apiKey: "t",
      baseURL: stub.baseURL,
      model: "stub-model",
      timeoutMs: 5_000,
      concurrency: 8,
      maxRetries: 0,
    },
    createLogger("silent"),
  );
}

/** Registers and answers the leadership and enforcement sections. */
async function answered(h: Harness): Promise<void> {
  const chat = h.chat(ME, "小王");
  await register(chat);
  for (const id of ["leadership", "enforcement"]) {
    await chat.press(`sec:${id}`);
    for (const [i] of (template.section(id)?.questions ?? []).entries()) {
      await chat.send(`${id}第${i + 1}题：全年开展${i + 4}次，覆盖${(i + 1) * 120}人次。`);
    }
  }
}

describe("/draft in chat", () => {
  it("shows progress, sends the draft in parts of at most 4096 characters and a summary", async () => {
    const h = new Harness(store);
    await answered(h);
    const mark = h.api.calls.length;
    await h.chat(ME).send("/draft");
    const calls = h.since(mark);
    const sent = calls.filter((c) => c.method === "sendMessage").map((c) => String(c.payload.text));
    expect(sent[0]).toBe("起草中（未配置大模型，使用离线生成）…");
    expect(calls.some((c) => c.method === "sendChatAction" && c.payload.action === "typing")).toBe(
      true,
    );
    const edits = calls
      .filter((c) => c.method === "editMessageText")
      .map((c) => String(c.payload.text));
    const drafted = template.sections.filter(
      (s) => s.required || ["leadership", "enforcement"].includes(s.id),
    ).length;
    expect(edits.at(-1)).toBe("起草完成：第 1 版");
    expect(edits.slice(0, -1)).toEqual(
      Array.from({ length: drafted }, (_, i) => `起草中 ${i + 1}/${drafted}`),
    );

    const org = await store.getOrg((await store.getMember(ME))?.orgId ?? "");
    const saved = org && (await store.latestDraft(org));
    expect(saved?.n).toBe(1);
    const parts = sent.slice(1, -1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join("\n").trimEnd()).toBe(saved?.text.trimEnd());
    expect(parts[0]?.startsWith("洪梅镇关于2025年度法治政府建设情况的报告")).toBe(true);
    expect(saved?.text).toContain("全年开展4次，覆盖120人次");
    const summary = sent.at(-1) ?? "";
    expect(summary).toContain("草稿说明：");
    expect(summary).toContain("· 由大模型起草：无");
    expect(summary).toContain("· 所有数字、日期和文件名称都能在回答中找到出处。");
    expect(summary).toMatch(/· 【待补充】标记：\d+ 处/);
    expect(h.errors).toEqual([]);
  });

  it("lists versions with /drafts and adds the draft's gaps to /missing", async () => {
    const h = new Harness(store);
    await answered(h);
    const chat = h.chat(ME);
    expect(await h.run(() => chat.send("/drafts"))).toEqual(["还没有草稿，发送 /draft 起草。"]);
    await chat.send("/draft");
    await chat.send("/draft");
    const [list] = await h.run(() => chat.send("/drafts"));
    expect(list?.split("\n")[0]).toBe("洪梅镇2025年度报告的草稿：");
    expect(list).toMatch(
      /第 1 版 · .* · 小王 · 大模型 0 节 \/ 离线 \d+ 节 · 缺项 \d+ · 待核数值 0/,
    );
    expect(list).toContain("第 2 版");
    const missing = (await h.run(() => chat.send("/missing"))).join("\n");
    expect(missing).toContain("最新草稿（第 2 版）的必备要素：");
    // The part holds only 【待补充】: a heading alone proves nothing, so it is missing, not weak.
    expect(missing).toContain("✗ 缺少：存在的不足（补充：三、存在的不足和原因）");
    expect(missing).toContain("✗ 缺少：不足的原因（补充：三、存在的不足和原因）");
    const buttons = h.buttons(h.api.calls.length - 1).map((b) => b.data);
    expect(buttons).toContain("sec:shortcomings");
    expect(new Set(buttons).size).toBe(buttons.length);
  });

  it("drafts through the LLM and redrafts one section with /revise, keeping the others", async () => {
    const h = new Harness(store, { llm: llm() });
    await answered(h);
    const chat = h.chat(ME);
    await chat.send("/draft");
    expect(stub.requests).toHaveLength(2);
    // The model reads the questions as the office does: no placeholder reaches it.
    expect(JSON.stringify(stub.requests)).not.toMatch(/\{(self|party|head|org)\}/);
    expect(JSON.stringify(stub.requests)).toContain("镇党委");
    const org = await store.getOrg((await store.getMember(ME))?.orgId ?? "");
    if (!org) throw new Error("no org");
    const first = await store.latestDraft(org);
    expect(first?.sections.filter((s) => s.source === "llm").map((s) => s.id)).toEqual([
      "leadership",
      "enforcement",
    ]);

    stub.set({
      reply: () =>
        "我镇严格规范执法，全年开展4次专项行动，执法全过程记录和重大执法决定法制审核全面落实。",
    });
    const replies = await h.run(() => chat.send("/revise 执法 更突出数据"));
    expect(replies[0]).toBe("正在按“更突出数据”重写「坚持严格规范公正文明执法」…");
    expect(replies[1]).toBe(
      "【坚持严格规范公正文明执法】（第 2 版）\n我镇严格规范执法，全年开展4次专项行动，执法全过程记录和重大执法决定法制审核全面落实。",
    );
    const second = await store.latestDraft(org);
    expect(second?.n).toBe(2);
    for (const s of second?.sections ?? []) {
      if (s.id !== "enforcement") expect(s).toEqual(first?.sections.find((x) => x.id === s.id));
    }
    expect(await h.run(() => chat.send("/revise"))).toHaveLength(1);
    const [usage] = await h.run(() => chat.send("/revise nowhere 简洁"));
    expect(usage?.startsWith("用法：/revise 章节 修改要求")).toBe(true);
  });

  it("says which sections fell back to the offline composer when the LLM fails", async () => {
    stub.set({ failures: { kind: "always", status: 500, retryAfterMs: 0 } });
    const h = new Harness(store, { llm: llm() });
    await answered(h);
    const replies = await h.run(() => h.chat(ME).send("/draft"));
    const summary = replies.at(-1) ?? "";
    expect(summary).toContain(
      "· 「加强党的领导，统筹推进法治政府建设」大模型调用失败，已改用离线生成。",
    );
    expect(summary).toContain("· 由大模型起草：无");
    stub.set({ failures: undefined });
  });

  it("refuses /draft to someone outside any org", async () => {
    const h = new Harness(store);
    expect(await h.run(() => h.chat(999).send("/draft"))).toEqual([
      "您还没有加入任何单位。发送 /start 登记本单位，或发送“/join 邀请码”加入同事已登记的单位。",
    ]);
  });
});
