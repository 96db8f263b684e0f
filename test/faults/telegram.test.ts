import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/bot.js";
import type { BotContext } from "../../src/bot/context.js";
import { LOCAL_BOT_INFO } from "../../src/bot/local-api.js";
import { prepare } from "../../src/bot/run.js";
import { createLogger, type Logger } from "../../src/log.js";
import { HELP_TEXT } from "../../src/messages/commands.js";
import { Store } from "../../src/store/store.js";
import { template } from "../helpers/harness.js";
import {
  BAD_GATEWAY_HTML,
  FakeBotApi,
  INTERNAL_ERROR,
  type Request,
  TOO_MANY_REQUESTS,
} from "./fake-bot-api.js";
import { sleep, waitUntil } from "./wait.js";

/**
 * Telegram's Bot API failing under the real bot: createBot on a local Bot API server, prepare()
 * (which installs @grammyjs/auto-retry with the bot's retry limits), and grammY's runner polling
 * getUpdates, as `fazhi-report bot` runs it.
 */
const TOKEN = "123:abc";
const ALICE = { id: 601, first_name: "小李" };
const BOB = { id: 602, first_name: "小王" };

// prepare(bot) gained a logger argument; this call compiles with either signature.
const prepareBot: (bot: Bot<BotContext>, logger: Logger) => Promise<void> = prepare;

let api: FakeBotApi;
let store: Store;
let bot: Bot<BotContext>;
let runner: RunnerHandle;
let logs: string[];

beforeEach(async () => {
  api = new FakeBotApi(TOKEN, LOCAL_BOT_INFO);
  await api.start();
  store = Store.open("memory://");
  logs = [];
  const logger = createLogger("error", (line) => logs.push(line));
  bot = createBot({
    token: TOKEN,
    apiRoot: api.apiRoot,
    botInfo: LOCAL_BOT_INFO,
    store,
    template,
    logger,
  });
  await prepareBot(bot, logger);
  runner = run(bot);
});

afterEach(async () => {
  if (runner.isRunning()) await runner.stop();
  await api.close();
  await store.close();
});

/** The requests so far, for failure messages. */
function seen(): string {
  return JSON.stringify(api.requests.map((r) => [r.method, r.status]));
}

/** Milliseconds between consecutive requests. */
function gaps(requests: Request[]): number[] {
  return requests.slice(1).map((r, i) => r.at - (requests[i]?.at ?? 0));
}

describe("Telegram API faults", () => {
  it("registers the command menu through the local Bot API server", () => {
    expect(api.calls("setMyCommands")).toHaveLength(1);
    expect(api.calls("getMe")).toHaveLength(0); // botInfo is preset
  });

  it("waits retry_after on a 429 and delivers the reply once", async () => {
    api.failNext("sendMessage", TOO_MANY_REQUESTS(1));
    api.sendText(ALICE, "/help");
    await waitUntil(
      () => api.delivered(ALICE.id).length > 0,
      10_000,
      () => `no reply delivered; requests: ${seen()}; logs: ${logs.join("")}`,
    );
    await sleep(200); // a duplicate, if any, would come now
    const sends = api.calls("sendMessage", ALICE.id);
    expect(sends.map((r) => r.status)).toEqual([429, 200]);
    expect(api.delivered(ALICE.id)).toEqual([HELP_TEXT]);
    const [waited = 0] = gaps(sends);
    console.log(`429 retry_after 1: retried after ${Math.round(waited)} ms`);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(3_000);
    expect(logs).toEqual([]);
  }, 15_000);

  it("retries a 500 and an HTML 502 with backoff, then delivers once", async () => {
    api.failNext("sendMessage", INTERNAL_ERROR, BAD_GATEWAY_HTML);
    api.sendText(ALICE, "/help");
    await waitUntil(
      () => api.delivered(ALICE.id).length > 0,
      20_000,
      () => `no reply delivered; requests: ${seen()}; logs: ${logs.join("")}`,
    );
    await sleep(200);
    const sends = api.calls("sendMessage", ALICE.id);
    expect(sends.map((r) => r.status)).toEqual([500, 502, 200]);
    expect(api.delivered(ALICE.id)).toEqual([HELP_TEXT]);
    // auto-retry's backoff for 5xx and network errors: 3 s, then 6 s, 12 s… (capped at one hour).
    const waited = gaps(sends);
    console.log(
      `500 then 502: retried after ${waited.map((ms) => Math.round(ms)).join(" and ")} ms`,
    );
    expect(waited[0]).toBeGreaterThanOrEqual(2_950);
    expect(waited[1]).toBeGreaterThanOrEqual(5_950);
    expect(waited[1]).toBeLessThan(9_000);
    expect(logs).toEqual([]);
  }, 25_000);

  it("gives up when Telegram keeps failing, logs it, and goes on serving", async () => {
    let aliceBlocked = true;
    api.failWhen((method, payload) =>
      method === "sendMessage" && payload.chat_id === ALICE.id && aliceBlocked
        ? TOO_MANY_REQUESTS(1)
        : undefined,
    );
    const started = performance.now();
    api.sendText(ALICE, "/help");
    await waitUntil(
      () => api.calls("sendMessage", ALICE.id).length > 0,
      5_000,
      () => "the bot did not try to reply",
    );

    // While Alice's reply waits out the rate limit, another user is served at once.
    const bobAsked = performance.now();
    api.sendText(BOB, "/help");
    await waitUntil(
      () => api.delivered(BOB.id).length > 0,
      2_000,
      () => "Bob got no reply while Alice's was being retried",
    );
    const bobServed = performance.now() - bobAsked;

    await waitUntil(
      () => logs.length > 0,
      15_000,
      () => "the failure was not logged",
    );
    const gaveUp = performance.now() - started;
    const attempts = api.calls("sendMessage", ALICE.id);
    console.log(
      `429 forever: ${attempts.length} attempts, gave up after ${Math.round(gaveUp)} ms; ` +
        `another user served in ${Math.round(bobServed)} ms meanwhile`,
    );
    // 1 + maxRetryAttempts (prepare sets it); auto-retry also waits retry_after once more after
    // the last attempt before it gives up, so each attempt costs one retry_after.
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.length).toBeLessThanOrEqual(7);
    expect(attempts.every((r) => r.status === 429)).toBe(true);
    expect(gaveUp).toBeGreaterThanOrEqual(attempts.length * 1_000 - 50);
    expect(api.delivered(ALICE.id)).toEqual([]);
    expect(logs).toHaveLength(1);
    const logged = JSON.parse(logs[0] ?? "{}") as Record<string, unknown>;
    expect(logged).toMatchObject({ level: "error", msg: "unhandled bot error" });
    expect(String(logged.error)).toContain("429");

    // The runner is still polling, and Alice's next message is answered.
    aliceBlocked = false;
    expect(runner.isRunning()).toBe(true);
    api.sendText(ALICE, "/help");
    await waitUntil(
      () => api.delivered(ALICE.id).length > 0,
      5_000,
      () => "Alice's next message got no reply",
    );
    expect(api.delivered(ALICE.id)).toEqual([HELP_TEXT]);
    expect(api.delivered(BOB.id)).toEqual([HELP_TEXT]);
    expect(logs).toHaveLength(1);
  }, 25_000);
});
