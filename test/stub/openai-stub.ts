/**
 * A local OpenAI-compatible server for tests: the real `openai` client talks HTTP to it on
 * 127.0.0.1, so retries, timeouts, streaming and error mapping are the SDK's own.
 *
 *   POST /v1/chat/completions  JSON, or SSE when `stream: true` (usage chunk with
 *                              `stream_options.include_usage`)
 *   GET  /v1/models            a list with one model
 *
 * Behaviour (latency, reply, injected failures) can be changed between test steps with `set`.
 * Everything is deterministic: the only randomness is a seeded PRNG for `{ kind: "rate" }`.
 *
 * Misbehaving servers, for the client's guards: `stream` trickles chunks, stalls after a phrase
 * (the connection stays open), ends with `finish_reason: "length"` or with none; `max_tokens` is
 * honoured as a real server does (the reply is cut and finishes with "length"). The reply helpers
 * at the end write what a bad model writes: latin junk, Markdown with the heading repeated, an
 * English paragraph, a figure moved to another fact, a changed unit.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A message as the client sent it (content may be a string or an array of parts). */
export interface StubMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  [key: string]: unknown;
}

/** The JSON body of a chat completion request (loosely typed: it is whatever the client sent). */
export interface StubChatBody {
  model?: string;
  messages: StubMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean | null } | null;
  [key: string]: unknown;
}

/**
 * What happened to a request: answered normally, an injected HTTP error status, an injected hang,
 * an injected malformed body, or a request the stub itself rejected (bad JSON / no messages: 400).
 */
export type StubOutcome = "ok" | "status" | "hang" | "malformed" | "invalid";

export interface StubRequest {
  body: StubChatBody;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** `Date.now()` when the request body had been read. */
  at: number;
  outcome: StubOutcome;
  /** The HTTP status answered (200 for ok / malformed; none for a hang: 0). */
  status: number;
  /** The client closed the connection before the answer was complete (aborted on the wire). */
  aborted: boolean;
}

/** How a streamed reply is sent. */
export interface StreamPlan {
  /** Wait before each content chunk, in ms (a trickling server). */
  chunkDelayMs?: number;
  /** Characters per content chunk (default 8). */
  chunkChars?: number;
  /** Send nothing more, and keep the connection open, once the text sent contains this phrase. */
  stallAfter?: string;
  /** finish_reason of the last chunk (default "stop"); null ends the stream without one. */
  finishReason?: "stop" | "length" | null;
}

/**
 * Failure injection; counts and the PRNG apply to `POST /v1/chat/completions` only, in order of
 * arrival. Error statuses carry an OpenAI-style JSON error body and a `retry-after-ms` header
 * (`retryAfterMs`, default 0, so SDK retries are immediate; `null` omits the header so the SDK
 * falls back to its own exponential backoff of ~0.5 s, 1 s, 2 s ...).
 */
export type FailurePlan =
  /** The next `times` calls answer `status`. */
  | { kind: "status"; status: number; times: number; retryAfterMs?: number | null }
  /** Each call fails with probability `rate`, drawn from a PRNG seeded with `seed`. */
  | { kind: "rate"; status: number; rate: number; seed: number; retryAfterMs?: number | null }
  /** The next `times` calls never answer (until the client gives up or the stub is closed). */
  | { kind: "hang"; times: number }
  /** The next `times` calls answer 200 with invalid JSON (streams: one valid chunk, then a broken line). */
  | { kind: "malformed"; times: number }
  /** Every call answers `status`. */
  | { kind: "always"; status: number; retryAfterMs?: number | null };

export interface StubOptions {
  /** Delay before answering each call, in ms (default 0); a function may vary it per request. */
  latencyMs?: number | ((req: StubRequest) => number);
  /** The assistant content (default: a short Chinese sentence naming the last user message's length). */
  reply?: (req: StubRequest) => string | Promise<string>;
  failures?: FailurePlan;
  /**
   * Hold every answer until this many calls have been in flight at once (then answer all): proves
   * that calls run in parallel by counting, not by timing. Setting it again re-arms the gate.
   */
  gate?: number;
  /** The model id listed by `GET /v1/models` (default "stub-model"). */
  model?: string;
  /** How streamed replies are sent (default: at once, 8 characters a chunk, finish "stop"). */
  stream?: StreamPlan | ((req: StubRequest) => StreamPlan | undefined);
}

export interface OpenAIStub {
  /** E.g. "http://127.0.0.1:PORT/v1" — pass as `baseURL` to `new OpenAI(...)`. */
  readonly baseURL: string;
  /** Every `POST /v1/chat/completions` received (failed ones too), in order of arrival. */
  readonly requests: StubRequest[];
  /** Chat completion calls currently being handled (hangs included until their socket closes). */
  readonly inFlight: number;
  /** The highest `inFlight` seen since start (or since `clear()`). */
  readonly maxInFlight: number;
  /** Resolves once no chat completion call is being handled (aborted ones closed too). */
  idle(): Promise<void>;
  /** Change behaviour between test steps; passing `failures` (even `undefined`) restarts the plan. */
  set(options: Partial<StubOptions>): void;
  /** Forget recorded requests and reset `maxInFlight`. */
  clear(): void;
  /** Stop listening and destroy every open socket (hanging calls included). Idempotent. */
  close(): Promise<void>;
}

/** Characters counted as one token each: Han, kana, Hangul, CJK punctuation and full-width forms. */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/**
 * A deterministic token estimate (not a real tokenizer): every CJK character counts 1; every other
 * run of non-space characters counts ceil(length / 4). Never shrinks as text is appended.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  let run = 0;
  const flush = () => {
    tokens += Math.ceil(run / 4);
    run = 0;
  };
  for (const ch of text) {
    if (CJK.test(ch)) {
      flush();
      tokens += 1;
    } else if (/\s/u.test(ch)) {
      flush();
    } else {
      run += 1;
    }
  }
  flush();
  return tokens;
}

/** The text of a message's content (string, or the text parts of an array). */
export function messageText(content: StubMessage["content"]): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => p.text ?? "").join("");
  return "";
}

/** All message texts of a recorded request, joined with blank lines (for "contains" assertions). */
export function promptText(req: StubRequest): string {
  return req.body.messages.map((m) => messageText(m.content)).join("\n\n");
}

/**
 * prompt_tokens = 3 + Σ over messages (4 + estimateTokens(content)), like OpenAI's per-message
 * overhead; completion_tokens = estimateTokens(reply).
 */
export function promptTokens(body: StubChatBody): number {
  return body.messages.reduce((sum, m) => sum + 4 + estimateTokens(messageText(m.content)), 3);
}

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters per streamed content chunk. */
const CHUNK_CHARS = 8;

/** `retryAfterMs` defaults to 0 (immediate SDK retry); `null` means "send no header". */
const retryAfter = (plan: { retryAfterMs?: number | null }): number | null =>
  plan.retryAfterMs === undefined ? 0 : plan.retryAfterMs;

type Decision =
  | { outcome: "ok" }
  | { outcome: "status"; status: number; retryAfterMs: number | null }
  | { outcome: "hang" }
  | { outcome: "malformed" };

const ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request (stub)." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Bad API key (stub)." },
  404: { type: "invalid_request_error", code: null, message: "Not found (stub)." },
  429: {
    type: "requests",
    code: "rate_limit_exceeded",
    message: "Rate limit reached (stub, injected).",
  },
  500: { type: "server_error", code: null, message: "Internal server error (stub, injected)." },
  503: {
    type: "server_error",
    code: "service_unavailable",
    message: "The server is overloaded (stub, injected).",
  },
};

function errorBody(status: number, message?: string): string {
  const known = ERROR_TYPES[status] ?? {
    type: "server_error",
    code: null,
    message: `Error ${status} (stub).`,
  };
  return JSON.stringify({
    error: { message: message ?? known.message, type: known.type, param: null, code: known.code },
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function defaultReply(req: StubRequest): string {
  const lastUser = [...req.body.messages].reverse().find((m) => m.role === "user");
  const length = [...messageText(lastUser?.content)].length;
  return `已收到，最后一条用户消息共${length}个字符。`;
}

/** The reply cut to `max_tokens` (estimateTokens), as a server stops a model that runs long. */
function withinMaxTokens(reply: string, maxTokens: unknown): { content: string; cut: boolean } {
  if (typeof maxTokens !== "number" || estimateTokens(reply) <= maxTokens) {
    return { content: reply, cut: false };
  }
  const chars = [...reply];
  let n = chars.length;
  while (n > 0 && estimateTokens(chars.slice(0, n).join("")) > maxTokens) n--;
  return { content: chars.slice(0, n).join(""), cut: true };
}

export async function startOpenAIStub(initial: StubOptions = {}): Promise<OpenAIStub> {
  let options: StubOptions = { ...initial };
  const requests: StubRequest[] = [];
  const sockets = new Set<Socket>();
  /** Pending latency waits: close() clears the timer and lets the handler finish (and see `closed`). */
  const timers = new Map<NodeJS.Timeout, () => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  const idlers: (() => void)[] = [];
  let seq = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  // Calls held by `gate`; released together once enough calls are in flight.
  let held: (() => void)[] = [];
  let gateOpen = false;
  const checkGate = () => {
    if (options.gate === undefined || inFlight >= options.gate) gateOpen = true;
    if (!gateOpen) return;
    for (const release of held) release();
    held = [];
  };
  const passGate = () =>
    gateOpen || closed ? Promise.resolve() : new Promise<void>((resolve) => held.push(resolve));

  // Failure plan state, restarted whenever `failures` is set.
  let left = 0;
  let draw: () => number = () => 1;
  const resetPlan = () => {
    const plan = options.failures;
    left = plan && "times" in plan ? plan.times : 0;
    draw = plan?.kind === "rate" ? mulberry32(plan.seed) : () => 1;
  };
  resetPlan();

  const decide = (): Decision => {
    const plan = options.failures;
    if (!plan) return { outcome: "ok" };
    switch (plan.kind) {
      case "status":
        if (left <= 0) return { outcome: "ok" };
        left -= 1;
        return { outcome: "status", status: plan.status, retryAfterMs: retryAfter(plan) };
      case "rate":
        return draw() < plan.rate
          ? {
              outcome: "status",
              status: plan.status,
              retryAfterMs: retryAfter(plan),
            }
          : { outcome: "ok" };
      case "hang":
      case "malformed":
        if (left <= 0) return { outcome: "ok" };
        left -= 1;
        return { outcome: plan.kind };
      case "always":
        return {
          outcome: "status",
          status: plan.status,
          retryAfterMs: retryAfter(plan),
        };
    }
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.set(t, resolve);
    });

  const alive = (res: ServerResponse) => !closed && !res.destroyed && !res.writableEnded;

  const sendJSON = (
    res: ServerResponse,
    status: number,
    body: string,
    extra: Record<string, string> = {},
  ) => {
    if (!alive(res)) return;
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      ...extra,
    });
    res.end(body);
  };

  const handleChat = async (req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    checkGate();
    const record: StubRequest = {
      body: { messages: [] },
      headers: flatHeaders(req),
      at: Date.now(),
      outcome: "ok",
      status: 200,
      aborted: false,
    };
    res.on("close", () => {
      inFlight -= 1;
      record.aborted = !res.writableFinished;
      if (inFlight === 0) for (const resolve of idlers.splice(0)) resolve();
    });
    const raw = await readBody(req);
    record.at = Date.now();
    seq += 1;
    const id = `chatcmpl-stub-${seq}`;
    const requestId = { "x-request-id": `req_stub_${seq}` };
    requests.push(record);

    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (
      !parsed ||
      typeof parsed !== "object" ||
      !Array.isArray((parsed as { messages?: unknown }).messages)
    ) {
      record.outcome = "invalid";
      record.status = 400;
      record.body = { messages: [], raw };
      sendJSON(
        res,
        400,
        errorBody(400, "Request body must be JSON with a `messages` array."),
        requestId,
      );
      return;
    }
    record.body = parsed as StubChatBody;

    const decision = decide();
    record.outcome = decision.outcome;
    if (decision.outcome === "hang") {
      record.status = 0;
      return; // Never answer; the socket stays open until the client aborts or close() runs.
    }

    await passGate();
    const latency =
      typeof options.latencyMs === "function" ? options.latencyMs(record) : options.latencyMs;
    await wait(latency ?? 0);
    if (!alive(res)) return;

    if (decision.outcome === "status") {
      record.status = decision.status;
      const extra: Record<string, string> =
        decision.retryAfterMs === null ? {} : { "retry-after-ms": String(decision.retryAfterMs) };
      sendJSON(res, decision.status, errorBody(decision.status), { ...requestId, ...extra });
      return;
    }

    const body = record.body;
    const model = typeof body.model === "string" ? body.model : (options.model ?? "stub-model");
    const created = Math.floor(record.at / 1000);

    if (decision.outcome === "malformed") {
      if (body.stream) {
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          ...requestId,
        });
        const first = {
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
        };
        res.write(`data: ${JSON.stringify(first)}\n\n`);
        res.end(`data: {"id":"${id}","choices":[{"delta":{"content":"半截\n\n`);
      } else {
        const broken = `{"id":"${id}","object":"chat.completion","choices":[{"message":`;
        sendJSON(res, 200, broken, requestId);
      }
      return;
    }

    const full = await (options.reply ?? defaultReply)(record);
    if (!alive(res)) return;
    const { content, cut } = withinMaxTokens(full, body.max_tokens);
    const usage = {
      prompt_tokens: promptTokens(body),
      completion_tokens: estimateTokens(content),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;

    if (!body.stream) {
      sendJSON(
        res,
        200,
        JSON.stringify({
          id,
          object: "chat.completion",
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content, refusal: null },
              logprobs: null,
              finish_reason: cut ? "length" : "stop",
            },
          ],
          usage,
        }),
        requestId,
      );
      return;
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      })}\n\n`;
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      ...requestId,
    });
    res.write(
      chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
    );
    const plan =
      (typeof options.stream === "function" ? options.stream(record) : options.stream) ?? {};
    const size = plan.chunkChars ?? CHUNK_CHARS;
    const chars = [...content];
    let sent = "";
    for (let i = 0; i < chars.length; i += size) {
      await wait(plan.chunkDelayMs ?? 0);
      if (!alive(res)) return;
      const piece = chars.slice(i, i + size).join("");
      res.write(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
      sent += piece;
      if (plan.stallAfter !== undefined && sent.includes(plan.stallAfter)) {
        // Silent but open, until the client gives up or the stub is closed.
        await new Promise((resolve) => res.once("close", resolve));
        return;
      }
    }
    const finish = cut ? "length" : plan.finishReason === undefined ? "stop" : plan.finishReason;
    if (finish !== null) res.write(chunk([{ index: 0, delta: {}, finish_reason: finish }]));
    if (includeUsage) res.write(chunk([], { usage }));
    res.end("data: [DONE]\n\n");
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    const route = `${req.method} ${path}`;
    const handle = async () => {
      if (route === "POST /v1/chat/completions") return handleChat(req, res);
      req.resume();
      if (route === "GET /v1/models") {
        const model = options.model ?? "stub-model";
        sendJSON(
          res,
          200,
          JSON.stringify({
            object: "list",
            data: [{ id: model, object: "model", created: 0, owned_by: "stub" }],
          }),
        );
        return;
      }
      sendJSON(res, 404, errorBody(404, `No route ${route} (stub).`));
    };
    handle().catch((err: unknown) => {
      if (alive(res) && !res.headersSent) sendJSON(res, 500, errorBody(500, `Stub error: ${err}`));
      else if (!res.destroyed) res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => idlers.push(r));
    },
    set(next: Partial<StubOptions>) {
      options = { ...options, ...next };
      if ("failures" in next) resetPlan();
      if ("gate" in next) {
        gateOpen = false;
        checkGate();
      }
    },
    clear() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    close() {
      if (closing) return closing;
      closed = true;
      for (const release of held) release();
      held = [];
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      timers.clear();
      closing = new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}

// --- what a bad model writes -----------------------------------------------------------------

/** Latin junk of `length` characters, deterministic for a seed (what a broken model streams). */
export function junkReply(length: number, seed = 1): string {
  const next = mulberry32(seed);
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let out = "";
  while (out.length < length) {
    const word = Array.from({ length: 2 + Math.floor(next() * 8) }, () =>
      letters.charAt(Math.floor(next() * letters.length)),
    ).join("");
    out += next() < 0.1 ? `${word}. ` : `${word} `;
  }
  return out.slice(0, length);
}

/** The text wrapped in Markdown, starting by repeating the section's heading. */
export function markdownReply(heading: string, text: string): string {
  const [first = "", ...rest] = text.split("\n");
  return [`## ${heading}`, "", `**${first}**`, ...rest.map((line) => `- ${line}`)].join("\n");
}

/** The text followed by an English paragraph. */
export function englishReply(text: string): string {
  return `${text}\nIn the past year the township government has made steady progress in building a law-based government and will continue to improve its work.`;
}

/** "群众满意度96%" → "按时办结率96%": the figure stays, the fact it is stated about changes. */
export function moveFigure(text: string, figure: string, from: string, to: string): string {
  return text.replace(`${from}${figure}`, `${to}${figure}`);
}

/** "315.95公斤" → "315.95吨": the number stays, the unit changes. */
export function changeUnit(text: string, number: string, from: string, to: string): string {
  return text.replace(`${number}${from}`, `${number}${to}`);
}
