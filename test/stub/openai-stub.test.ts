import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../faults/wait.js";
import {
  changeUnit,
  englishReply,
  estimateTokens,
  junkReply,
  markdownReply,
  moveFigure,
  type OpenAIStub,
  promptText,
  type StubOptions,
  startOpenAIStub,
} from "./openai-stub.js";

const stubs: OpenAIStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.close()));
});

async function stub(options?: StubOptions): Promise<OpenAIStub> {
  const s = await startOpenAIStub(options);
  stubs.push(s);
  return s;
}

function client(s: OpenAIStub, opts: { maxRetries?: number; timeout?: number } = {}): OpenAI {
  return new OpenAI({
    apiKey: "test",
    baseURL: s.baseURL,
    maxRetries: opts.maxRetries ?? 0,
    timeout: opts.timeout ?? 2_000,
    // The SDK logs unparsable SSE data at level "error"; the malformed test expects that.
    logLevel: "off",
  });
}

const ask = (c: OpenAI, text = "请起草第一部分") =>
  c.chat.completions.create({ model: "m", messages: [{ role: "user", content: text }] });

/** Which of `n` sequential calls succeed (true) or fail (false), with no SDK retries. */
async function pattern(s: OpenAIStub, n: number): Promise<boolean[]> {
  const c = client(s);
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await ask(c).then(
        () => true,
        () => false,
      ),
    );
  }
  return out;
}

describe("OpenAI stub with the real openai client", () => {
  it("answers a chat completion with the reply and usage, and records the request", async () => {
    const s = await stub({ reply: () => "盘龙镇2023年度法治政府建设情况良好。" });
    const c = client(s);
    const messages = [
      { role: "system" as const, content: "你是公文写作助手。" },
      { role: "user" as const, content: "请根据以下材料起草：制定规范性文件3件。" },
    ];
    const res = await c.chat.completions.create({ model: "qwen-plus", messages });
    expect(res.choices[0]?.message.content).toBe("盘龙镇2023年度法治政府建设情况良好。");
    expect(res.choices[0]?.finish_reason).toBe("stop");
    expect(res.model).toBe("qwen-plus");
    const usage = res.usage;
    expect(usage?.completion_tokens).toBe(estimateTokens("盘龙镇2023年度法治政府建设情况良好。"));
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));

    expect(s.requests).toHaveLength(1);
    const req = s.requests[0];
    expect(req?.body.messages).toEqual(messages);
    expect(req?.body.model).toBe("qwen-plus");
    expect(req?.headers.authorization).toBe("Bearer test");
    expect(req?.outcome).toBe("ok");
    expect(req && promptText(req)).toContain("制定规范性文件3件");

    // prompt_tokens grows with the prompt; `reply: undefined` restores the default reply.
    s.set({ reply: undefined });
    const longer = await ask(c, "请根据以下材料起草：".repeat(20));
    expect(longer.usage?.prompt_tokens).toBeGreaterThan(usage?.prompt_tokens ?? 0);
    // The default reply names the last user message's length.
    expect(longer.choices[0]?.message.content).toContain("200");

    const models = await c.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["stub-model"]);
  });

  it("streams the content in several chunks, with a usage chunk when asked", async () => {
    const reply = "一、主要举措和成效。全年制定规范性文件三件，行政复议案件二十二件。";
    const s = await stub({ reply: () => reply });
    const c = client(s);
    const stream = await c.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "起草" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    const finish: (string | null | undefined)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) pieces.push(piece);
      finish.push(chunk.choices[0]?.finish_reason);
      if (chunk.usage) {
        expect(chunk.choices).toEqual([]);
        usage = chunk.usage;
      }
    }
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.join("")).toBe(reply);
    expect(finish).toContain("stop");
    expect(usage?.completion_tokens).toBe(estimateTokens(reply));
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));

    // Without include_usage there is no usage chunk.
    const plain = await c.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "起草" }],
      stream: true,
    });
    let sawUsage = false;
    let text = "";
    for await (const chunk of plain) {
      if (chunk.usage) sawUsage = true;
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(sawUsage).toBe(false);
    expect(text).toBe(reply);
    expect(s.requests.map((r) => r.body.stream)).toEqual([true, true]);
  });

  it("applies the configured latency per call", async () => {
    const s = await stub({ latencyMs: 60_000 });
    const c = client(s, { timeout: 120_000 });
    let settled = false;
    const held = ask(c).finally(() => {
      settled = true;
    });
    await waitUntil(
      () => s.requests.length === 1,
      5_000,
      () => "the first call never arrived",
    );
    // Counted, not timed: a call made after the latency drops to 0 is answered while the first
    // one is still held.
    s.set({ latencyMs: 0 });
    await expect(ask(c)).resolves.toBeTruthy();
    expect(settled).toBe(false);
    expect(s.inFlight).toBe(1);
    await s.close();
    await expect(held).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it("runs calls concurrently and reports the peak number in flight", async () => {
    // The gate answers nothing until all five calls are in flight at once.
    const s = await stub({ gate: 5 });
    const c = client(s);
    await Promise.all(Array.from({ length: 5 }, () => ask(c)));
    expect(s.maxInFlight).toBe(5);
    expect(s.inFlight).toBe(0);
  });

  it("429 twice then success: recovers with maxRetries 2, throws RateLimitError with 0", async () => {
    const s = await stub({ failures: { kind: "status", status: 429, times: 2 } });
    const res = await ask(client(s, { maxRetries: 2 }));
    expect(res.choices[0]?.message.content).toBeTruthy();
    expect(s.requests).toHaveLength(3);
    expect(s.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(s.requests.map((r) => r.outcome)).toEqual(["status", "status", "ok"]);

    s.set({ failures: { kind: "status", status: 429, times: 2 } });
    s.clear();
    const err = await ask(client(s, { maxRetries: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe("rate_limit_exceeded");
    expect(s.requests).toHaveLength(1);
  });

  it("500 once then success recovers with SDK retries; 503 likewise", async () => {
    const s = await stub({ failures: { kind: "status", status: 500, times: 1 } });
    const c = client(s, { maxRetries: 2 });
    await expect(ask(c)).resolves.toBeTruthy();
    expect(s.requests.map((r) => r.status)).toEqual([500, 200]);

    s.set({ failures: { kind: "status", status: 503, times: 1 } });
    await expect(ask(c)).resolves.toBeTruthy();
    expect(s.requests.map((r) => r.status)).toEqual([500, 200, 503, 200]);

    s.set({ failures: { kind: "status", status: 500, times: 1 } });
    await expect(ask(client(s))).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });

  it("always failing: every call and retry fails", async () => {
    const s = await stub({ failures: { kind: "always", status: 503 } });
    const err = await ask(client(s, { maxRetries: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(s.requests).toHaveLength(3);
    s.set({ failures: undefined });
    await expect(ask(client(s))).resolves.toBeTruthy();
  });

  it("a hanging call makes the client throw APIConnectionTimeoutError", async () => {
    const s = await stub({ failures: { kind: "hang", times: 1 } });
    const err = await ask(client(s, { timeout: 300, maxRetries: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(s.requests.map((r) => r.outcome)).toEqual(["hang"]);
    // The plan is used up: the next call is answered.
    await expect(ask(client(s))).resolves.toBeTruthy();
  });

  it("close() ends hanging calls and latency waits instead of leaving them open", async () => {
    const s = await stub({ failures: { kind: "hang", times: 1 } });
    const c = client(s, { timeout: 20_000 });
    const hanging = ask(c).catch((e: unknown) => e);
    const s2 = await stub({ latencyMs: 20_000 });
    const slow = ask(client(s2, { timeout: 20_000 })).catch((e: unknown) => e);
    while (s.requests.length === 0 || s2.requests.length === 0) {
      await new Promise((r) => setTimeout(r, 5));
    }
    // Without close() both calls would wait 20 s, far past the test's time limit.
    await Promise.all([s.close(), s2.close()]);
    expect(await hanging).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(await slow).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it("a malformed body makes the client throw a SyntaxError (not an APIError)", async () => {
    const s = await stub({ failures: { kind: "malformed", times: 2 } });
    // Not retried: the SDK retries by status only; a 200 with bad JSON fails while parsing.
    const err = await ask(client(s, { maxRetries: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyntaxError);
    expect(err).not.toBeInstanceOf(OpenAI.APIError);
    expect(s.requests).toHaveLength(1);

    // Streaming: the first chunk parses, then the broken line throws while iterating.
    const stream = await client(s).chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "起草" }],
      stream: true,
    });
    const seen: unknown[] = [];
    const streamErr = await (async () => {
      for await (const chunk of stream) seen.push(chunk);
    })().catch((e: unknown) => e);
    expect(streamErr).toBeInstanceOf(SyntaxError);
    expect(seen).toHaveLength(1);
    expect(s.requests.map((r) => r.outcome)).toEqual(["malformed", "malformed"]);
  });

  it("seeded rate failures are reproducible and recoverable with retries", async () => {
    const plan = { kind: "rate", status: 500, rate: 0.3, seed: 42 } as const;
    const a = await pattern(await stub({ failures: plan }), 30);
    const b = await pattern(await stub({ failures: plan }), 30);
    expect(a).toEqual(b);
    const failed = a.filter((ok) => !ok).length;
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(30);
    const other = await pattern(await stub({ failures: { ...plan, seed: 7 } }), 30);
    expect(other).not.toEqual(a);

    // set() restarts the PRNG, so the same stub repeats the pattern.
    const s = await stub({ failures: plan });
    const first = await pattern(s, 30);
    s.set({ failures: plan });
    expect(await pattern(s, 30)).toEqual(first);

    // With SDK retries, 30 % failures are absorbed. Parallel calls draw in arrival order, so
    // retries are generous: a call fails only after 11 failed draws (odds about 2 in a million).
    s.set({ failures: { ...plan, retryAfterMs: 0 } });
    s.clear();
    const c = client(s, { maxRetries: 10 });
    const results = await Promise.all(Array.from({ length: 15 }, () => ask(c)));
    expect(results).toHaveLength(15);
    expect(s.requests.length).toBeGreaterThan(15);
  });

  it("rejects a request without messages with 400 and records it", async () => {
    const s = await stub();
    const res = await fetch(`${s.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "not json",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe(
      "invalid_request_error",
    );
    expect(s.requests.map((r) => r.outcome)).toEqual(["invalid"]);
  });

  /** The content and finish_reasons of one streamed call. */
  async function streamed(c: OpenAI, extra: { max_tokens?: number } = {}) {
    const stream = await c.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "起草" }],
      stream: true,
      ...extra,
    });
    let text = "";
    const finish: string[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      const reason = chunk.choices[0]?.finish_reason;
      if (reason) finish.push(reason);
    }
    return { text, finish };
  }

  it("misbehaving streams: finish_reason length, no finish at all, chunk size", async () => {
    const reply = "全年开展普法宣传活动二十场次，覆盖群众一万余人次。";
    const s = await stub({ reply: () => reply, stream: { finishReason: "length" } });
    const c = client(s);
    expect(await streamed(c)).toMatchObject({ text: reply, finish: ["length"] });
    s.set({ stream: { finishReason: null, chunkChars: 1 } });
    expect(await streamed(c)).toMatchObject({ text: reply, finish: [] });
    s.set({ stream: undefined });
    expect(await streamed(c)).toMatchObject({ text: reply, finish: ["stop"] });
  });

  it("honours max_tokens like a real server: the reply is cut and finishes with length", async () => {
    const reply = "全年开展普法宣传活动二十场次，覆盖群众一万余人次。";
    const s = await stub({ reply: () => reply });
    const c = client(s);
    const cut = await streamed(c, { max_tokens: 10 });
    expect(cut.finish).toEqual(["length"]);
    expect(estimateTokens(cut.text)).toBe(10);
    expect(reply.startsWith(cut.text)).toBe(true);
    expect((await streamed(c, { max_tokens: 1000 })).finish).toEqual(["stop"]);
  });

  it("a stall keeps the connection open until the client aborts it, which the stub records", async () => {
    const s = await stub({
      reply: () => "一是加强领导。二是完善制度。",
      stream: { stallAfter: "一是" },
    });
    const c = client(s);
    const controller = new AbortController();
    const stream = await c.chat.completions.create(
      { model: "m", messages: [{ role: "user", content: "起草" }], stream: true },
      { signal: controller.signal },
    );
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (text.includes("一是")) controller.abort();
    }
    await s.idle();
    expect(s.inFlight).toBe(0);
    expect(s.requests.map((r) => r.aborted)).toEqual([true]);
    await ask(c);
    expect(s.requests.map((r) => r.aborted)).toEqual([true, false]);
  });

  it("writes what a bad model writes", () => {
    expect(junkReply(200, 3)).toHaveLength(200);
    expect(junkReply(200, 3)).toBe(junkReply(200, 3));
    expect(junkReply(200, 3)).toMatch(/^[a-z. ]+$/);
    expect(markdownReply("依法化解矛盾纠纷", "调解56件\n信访22件")).toBe(
      "## 依法化解矛盾纠纷\n\n**调解56件**\n- 信访22件",
    );
    expect(englishReply("调解56件")).toMatch(/^调解56件\n[A-Z][a-z]+( [a-z-]+){8,}/);
    expect(moveFigure("群众满意度96%。", "96%", "群众满意度", "按时办结率")).toBe(
      "按时办结率96%。",
    );
    expect(changeUnit("收缴315.95公斤。", "315.95", "公斤", "吨")).toBe("收缴315.95吨。");
  });
});
