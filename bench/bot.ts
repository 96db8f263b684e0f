/**
 * Bot overhead (issue 8, point 1; issue 13): the full bot — createBot on a Store, with
 * sequentialize, the rate limiter ON (a limit no bench reaches), the group guard and a logger at
 * "info" writing to a no-op — against a bare grammY echo bot, both fed through the same
 * in-process transport (BenchApi). Every measured update is an interview answer from a
 * registered user: ack + next question; per answer the store makes 2–3 round trips (the user's
 * records at once, the org's current answers only when its cache is stale) and one commit
 * (answer, its earlier version, the cursor).
 *
 *  (a) memory store, 1 / 50 / 200 concurrent chats (closed loop): updates/s and handler p50/p99 vs
 *      the echo bot; goal ≥ 0.3× echo. Users are registered by driving the bot (/start, name,
 *      kind, superior, year), as in chat. Also: the full bot's floor (an edited message: the whole
 *      middleware, one reply, no store) and a prototype: Keyv's deserializer without its reviver
 *      (fastDeserialize).
 *  (b) SQLite through Store.open (WAL, synchronous=FULL, group commit): answers/s vs the raw
 *      Keyv-SQLite set() rate at the same concurrency with exactly those settings (WAL+FULL and
 *      group commit, TunedSqlite); goal ≥ 0.8×; p99 ≤ 20 ms at 200 chats, saturated (closed
 *      loop) and paced (each chat one answer a second). Users are pre-seeded through the Store
 *      API (one transaction).
 *  Then once through the local Bot API emulator (telegram-test-api, HTTP on 127.0.0.1, grammY's
 *  runner polling it), echo vs full bot (memory store), 1 and 50 chats: round trips/s, p50/p99.
 *
 * Run: npx tsx bench/bot.ts   (BENCH_SECONDS scales the windows; BENCH_PARTS=memory,sqlite,emulator)
 * The GC effect at 200 chats: node --max-semi-space-size=64 --import tsx bench/bot.ts
 */
import { run } from "@grammyjs/runner";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import Keyv from "keyv";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { createBot } from "../src/bot/bot.js";
import type { BotContext } from "../src/bot/context.js";
import { createLogger } from "../src/log.js";
import { DEFAULT_NAMESPACE } from "../src/store/keyv.js";
import { Store } from "../src/store/store.js";
import { loadTemplate } from "../src/template/load.js";
import { freePort } from "../test/e2e/emulator.js";
import {
  answerText,
  BENCH_BOT_INFO,
  BENCH_NOW,
  BenchApi,
  checkFastDeserialize,
  closedLoop,
  type Figure,
  fastDeserialize,
  figure,
  inTransaction,
  isMain,
  type LoadResult,
  num,
  openSqlite,
  pool,
  printFigures,
  quantile,
  type SqliteMode,
  seedOrg,
  sleep,
  sqliteSettings,
  storeOn,
  tempDir,
  Updates,
} from "./lib.js";

const TOKEN = "123456:bench-token";
const template = loadTemplate();
/** Answers a user sends before moving on: fewer than the 79 questions, so every one is stored. */
const ANSWERS_PER_USER = 60;
const HIGH_RATE_LIMIT = { timeFrame: 10_000, limit: 1_000_000_000 };

export interface BotBenchOptions {
  /** Multiplies every measuring window (default 1: 1.5 s per bot run, 0.75 s per raw set() run). */
  scale?: number;
  concurrencies?: number[];
  /** Which parts to run (default all; standalone: BENCH_PARTS=memory,sqlite,emulator). */
  parts?: ("memory" | "sqlite" | "emulator")[];
  log?: (line: string) => void;
}

type Handler = (update: Update) => Promise<void>;

function echoBot(api: BenchApi): Bot {
  const bot = new Bot(TOKEN, { botInfo: BENCH_BOT_INFO });
  bot.api.config.use(api.transformer);
  bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
  return bot;
}

function fullBot(store: Store, api: BenchApi | undefined, apiRoot?: string): Bot<BotContext> {
  return createBot({
    token: TOKEN,
    botInfo: BENCH_BOT_INFO,
    ...(api ? { transport: api.transformer } : {}),
    ...(apiRoot ? { apiRoot } : {}),
    store,
    template,
    logger: createLogger("info", () => {}),
    rateLimit: HIGH_RATE_LIMIT,
    now: () => BENCH_NOW,
  });
}

/** Registers users `first … first + count - 1` by chatting with the bot, each their own org. */
async function registerThroughBot(handle: Handler, updates: Updates, first: number, count: number) {
  await pool(count, 50, async (i) => {
    const user = first + i;
    await handle(updates.text(user, "/start"));
    await handle(updates.text(user, `第${user}镇`));
    await handle(updates.button(user, "kind:镇"));
    await handle(updates.text(user, "东莞市"));
    await handle(updates.button(user, "year:2025"));
  });
}

/**
 * Worker w of `concurrency` answers for users first + w, first + w + concurrency, …, each
 * ANSWERS_PER_USER times, then stops when the users run out.
 */
function answering(
  handle: Handler,
  updates: Updates,
  first: number,
  users: number,
  concurrency: number,
) {
  return async (worker: number, i: number): Promise<boolean> => {
    const slot = worker + concurrency * Math.floor(i / ANSWERS_PER_USER);
    if (slot >= users) return false;
    const user = first + slot;
    await handle(updates.text(user, answerText(user, i % ANSWERS_PER_USER)));
    return true;
  };
}

/** Users needed so no worker runs out within `seconds` at `rate` updates/s. */
const usersFor = (concurrency: number, rate: number, seconds: number) =>
  Math.max(concurrency, Math.ceil((rate * seconds * 1.5) / ANSWERS_PER_USER) + concurrency);

/** Every measured update must have been an answer stored and acknowledged. */
function check(acks: number, failures: number, expected: number, what: string): void {
  if (failures > 0 || acks < expected)
    throw new Error(`${what}: ${acks} answers acknowledged of ${expected}, ${failures} failures`);
}

/** How the memory store is built: as Store.open does, or with a prototype of a product change. */
type MemoryVariant = "product" | "fast-deserialize";

function memoryStore(variant: MemoryVariant): Store {
  if (variant === "product") return Store.open("memory://");
  return new Store(new Keyv({ namespace: DEFAULT_NAMESPACE, deserialize: fastDeserialize }));
}

/** The echo bot at one concurrency. */
async function echoRun(concurrency: number, ms: number): Promise<LoadResult> {
  const updates = new Updates();
  const echo = echoBot(new BenchApi());
  return closedLoop(concurrency, ms, async (w) => {
    await echo.handleUpdate(updates.text(1_000_000 + w, answerText(w, 0)));
    return true;
  });
}

/** (a) the full bot on a memory store at one concurrency; users registered through the bot. */
async function memoryRun(
  concurrency: number,
  ms: number,
  variant: MemoryVariant = "product",
): Promise<LoadResult> {
  const updates = new Updates();
  const store = memoryStore(variant);
  const api = new BenchApi();
  const bot = fullBot(store, api);
  const handle: Handler = (u) => bot.handleUpdate(u);
  const users = usersFor(concurrency, 20_000, ms / 1000);
  await registerThroughBot(handle, updates, 1, users);
  if (!(await store.getMember(users))) throw new Error("registration through the bot failed");
  const acksBefore = api.acks;
  const result = await closedLoop(
    concurrency,
    ms,
    answering(handle, updates, 1, users, concurrency),
  );
  check(api.acks - acksBefore, api.failures, result.updates, `memory ${variant} @${concurrency}`);
  await store.close();
  return result;
}

/**
 * The full bot's floor: an edited message goes through the whole middleware stack (sequentialize,
 * rate limiter, group guard, every command filter) to one reply, with no store access.
 */
async function floorRun(concurrency: number, ms: number): Promise<LoadResult> {
  const updates = new Updates();
  const store = Store.open("memory://");
  const bot = fullBot(store, new BenchApi());
  const result = await closedLoop(concurrency, ms, async (w) => {
    await bot.handleUpdate(updates.edited(1 + w));
    return true;
  });
  await store.close();
  return result;
}

/** A stored answer record as the bot writes it (one earlier version). */
function answerRecord(user: number, i: number) {
  const version = {
    text: answerText(user, i),
    author: user,
    authorName: `用户${user}`,
    at: BENCH_NOW.toISOString(),
  };
  return { questionId: `q${i}`, ...version, history: [version] };
}

/**
 * The raw Keyv-SQLite set() rate: `concurrency` writers on a fresh file with `mode` and group
 * commit: the product's own settings, the baseline an answer is compared with.
 */
async function rawSets(dir: string, mode: SqliteMode, concurrency: number, ms: number) {
  const sqlite = await openSqlite(`${dir}/raw-${mode}-${concurrency}.sqlite`, mode, true);
  const keyv = new Keyv({ store: sqlite, namespace: DEFAULT_NAMESPACE });
  await keyv.set("warm-up", 1);
  const result = await closedLoop(concurrency, ms, async (w, i) => {
    await keyv.set(`answer:RAW${w}:2025:q${i % 79}`, answerRecord(w, i));
    return true;
  });
  await keyv.disconnect();
  return result;
}

/** The SQLite configuration of the full bot: the product, Store.open. */
interface SqliteConfig {
  /** Row label. */
  label: string;
  /** The journal settings Store.open gives the file (and the raw baseline gets). */
  mode: SqliteMode;
}

/**
 * (b)/(c) the full bot on SQLite: users seeded in one transaction, then answering, saturated
 * (closed loop) or paced (each chat one answer every `paceMs`).
 */
async function sqliteRun(
  dir: string,
  config: SqliteConfig,
  concurrency: number,
  ms: number,
  paceMs?: number,
): Promise<{ result: LoadResult; settings: string; batch?: number }> {
  const name = config.label.replace(/[^A-Za-z0-9]+/g, "-");
  const file = `${dir}/bot-${name}-${concurrency}${paceMs ? "-paced" : ""}.sqlite`;
  const users = usersFor(concurrency, 8_000, ms / 1000);
  const seeding = await openSqlite(file, config.mode);
  const seeded = storeOn(seeding);
  await inTransaction(seeding, () =>
    pool(users, 200, (i) => seedOrg(seeded, template, i + 1, i + 1)),
  );
  await seeded.close();
  const store = Store.open(`sqlite://${file}`);
  const sqlite = await openSqlite(file, "default"); // only to read the file's journal mode
  const api = new BenchApi();
  const bot = fullBot(store, api);
  const updates = new Updates();
  const handle: Handler = (u) => bot.handleUpdate(u);
  const answer = answering(handle, updates, 1, users, concurrency);
  const result = paceMs
    ? await pacedLoop(concurrency, ms, paceMs, answer)
    : await closedLoop(concurrency, ms, answer);
  check(api.acks, api.failures, result.updates, `${config.label} @${concurrency}`);
  const settings = await sqliteSettings(sqlite);
  const { commits, transactions } = store.meter;
  await store.close();
  await sqlite.disconnect();
  return {
    result,
    settings: `${settings.split(",")[0]} (file)`,
    ...(transactions > 0 ? { batch: commits / transactions } : {}),
  };
}

/**
 * An open loop: each of `chats` chats sends one update every `intervalMs` (first one at a random
 * offset), for `ms`; latency is each update's handling time, queueing included.
 */
async function pacedLoop(
  chats: number,
  ms: number,
  intervalMs: number,
  op: (worker: number, i: number) => Promise<boolean>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  await Promise.all(
    Array.from({ length: chats }, async (_, worker) => {
      let at = started + random() * intervalMs;
      for (let i = 0; at < started + ms; i++) {
        const wait = at - performance.now();
        if (wait > 0) await sleep(wait);
        const t = performance.now();
        if (!(await op(worker, i))) return;
        latencies.push(performance.now() - t);
        at += intervalMs;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency: chats,
    updates: latencies.length,
    seconds,
    rate: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

// --- through the Bot API emulator ---------------------------------------------------------------

/** Round trips through telegram-test-api: client → emulator → bot (runner) → emulator. */
async function emulatorRuns(concurrencies: number[], ms: number) {
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1" });
  await server.start();
  const apiRoot = server.config.apiURL;
  // Replies are seen in-process (the emulator runs here), not by polling the client API.
  const waiting = new Map<number, { done: (text: string) => boolean; resolve: () => void }>();
  server.on("AddedBotMessage", () => {
    const added = server.storage.botMessages.at(-1) as
      | { message: { chat_id: number | string; text?: string } }
      | undefined;
    const chat = Number(added?.message.chat_id);
    const waiter = waiting.get(chat);
    if (waiter?.done(added?.message.text ?? "")) {
      waiting.delete(chat);
      waiter.resolve();
    }
  });
  const results: { kind: "echo" | "bot"; concurrency: number; result: LoadResult }[] = [];
  try {
    for (const kind of ["echo", "bot"] as const) {
      for (const concurrency of concurrencies) {
        server.storage.userMessages = [];
        server.storage.botMessages = [];
        const store = Store.open("memory://");
        const users = usersFor(concurrency, 1_000, ms / 1000);
        await pool(users, 50, (i) => seedOrg(store, template, i + 1, 10_000 + i));
        let bot: Bot | Bot<BotContext>;
        if (kind === "echo") {
          const echo = new Bot(TOKEN, { botInfo: BENCH_BOT_INFO, client: { apiRoot } });
          echo.on("message:text", (ctx) => ctx.reply(ctx.message.text));
          bot = echo;
        } else bot = fullBot(store, undefined, apiRoot);
        const runner = run(bot as Bot);
        const clients = Array.from({ length: users }, (_, i) =>
          server.getClient(TOKEN, { userId: 10_000 + i, chatId: 10_000 + i, firstName: "用户" }),
        );
        // The full bot's last reply to an answer is the next question (after the ✅ ack).
        const done = kind === "echo" ? () => true : (text: string) => !text.startsWith("✅");
        const op = async (worker: number, i: number) => {
          const slot = worker + concurrency * Math.floor(i / ANSWERS_PER_USER);
          const client = clients[slot];
          if (!client) return false;
          const replied = new Promise<void>((resolve) =>
            waiting.set(10_000 + slot, { done, resolve }),
          );
          await client.sendMessage(client.makeMessage(answerText(slot, i % ANSWERS_PER_USER)));
          await replied;
          return true;
        };
        await closedLoop(concurrency, 300, op); // warm-up: connections, JIT
        results.push({ kind, concurrency, result: await closedLoop(concurrency, ms, op) });
        await runner.stop();
        await store.close();
      }
    }
  } finally {
    await server.stop();
  }
  return results;
}

// --- the bench -------------------------------------------------------------------------------

const plural = (c: number) => `${c} chat${c > 1 ? "s" : ""}`;

export const SQLITE_CONFIGS: SqliteConfig[] = [
  { label: "SQLite Store.open (product: WAL, synchronous=FULL, group commit)", mode: "wal-full" },
];

export async function runBotBench(options: BotBenchOptions = {}): Promise<Figure[]> {
  const scale = options.scale ?? Number(process.env.BENCH_SECONDS ?? 1);
  const concurrencies = options.concurrencies ?? [1, 50, 200];
  const log = options.log ?? (() => {});
  const memMs = 1500 * scale;
  const sqlMs = 1500 * scale;
  const rawMs = 750 * scale;
  const most = Math.max(...concurrencies);
  const parts = new Set(
    options.parts ??
      (process.env.BENCH_PARTS?.split(",") as BotBenchOptions["parts"]) ?? [
        "memory",
        "sqlite",
        "emulator",
      ],
  );
  const figures: Figure[] = [];
  const bench = "bot";

  // Warm-up: JIT for both bots and the store paths.
  await echoRun(50, 300);
  await memoryRun(50, 400);

  // (a) memory store, and prototypes of the changes the profile points at.
  const echoes = new Map<number, LoadResult>();
  for (const c of parts.has("memory") ? concurrencies : []) {
    const echo = await echoRun(c, memMs);
    echoes.set(c, echo);
    const bot = await memoryRun(c, memMs);
    log(
      `memory @${c}: bot ${num(bot.rate)}/s p50 ${num(bot.p50)} p99 ${num(bot.p99)} ms | echo ${num(echo.rate)}/s p50 ${num(echo.p50)} p99 ${num(echo.p99)} ms`,
    );
    figures.push(
      figure({
        bench,
        name: `(a) memory store, ${plural(c)}: updates/s`,
        value: bot.rate,
        unit: "/s",
        baseline: { name: "echo bot", value: echo.rate },
        goal: "≥ 0.3× echo",
        met: bot.rate >= 0.3 * echo.rate,
        note: `${bot.updates} answers in ${num(bot.seconds)} s; echo ${echo.updates} updates`,
      }),
      figure({
        bench,
        name: `(a) memory store, ${plural(c)}: handler p99`,
        value: bot.p99,
        unit: "ms",
        baseline: { name: "echo p99", value: echo.p99 },
        note: `p50 ${num(bot.p50)} ms vs echo p50 ${num(echo.p50)} ms; max ${num(bot.max)} ms`,
      }),
    );
  }
  const floorC = concurrencies[0] ?? 1;
  const floorEcho = echoes.get(floorC);
  const floor = floorEcho ? await floorRun(floorC, memMs) : undefined;
  if (floor)
    log(
      `floor (edited message, no store) @${floorC}: ${num(floor.rate)}/s p50 ${num(floor.p50)} ms`,
    );
  if (floor)
    figures.push(
      figure({
        bench,
        name: `(a) floor: edited message through the full middleware, no store, ${plural(floorC)}: updates/s`,
        value: floor.rate,
        unit: "/s",
        ...(floorEcho ? { baseline: { name: "echo bot", value: floorEcho.rate } } : {}),
        goal: "≥ 0.3× echo",
        met: floorEcho !== undefined && floor.rate >= 0.3 * floorEcho.rate,
        note: `${num(1e6 / floor.rate)} µs per update vs echo ${floorEcho ? num(1e6 / floorEcho.rate) : "-"} µs: the cost before any interview or store work`,
      }),
    );
  if (parts.has("memory")) checkFastDeserialize();
  for (const variant of ["fast-deserialize"] as const) {
    for (const c of parts.has("memory") ? concurrencies : []) {
      const echo = echoes.get(c);
      const bot = await memoryRun(c, memMs, variant);
      log(
        `memory ${variant} @${c}: bot ${num(bot.rate)}/s p50 ${num(bot.p50)} p99 ${num(bot.p99)} ms`,
      );
      figures.push(
        figure({
          bench,
          name: `(a) prototype ${variant}, ${plural(c)}: updates/s`,
          value: bot.rate,
          unit: "/s",
          ...(echo ? { baseline: { name: "echo bot", value: echo.rate } } : {}),
          goal: "≥ 0.3× echo",
          met: echo !== undefined && bot.rate >= 0.3 * echo.rate,
          note: `p50 ${num(bot.p50)} / p99 ${num(bot.p99)} ms`,
          prototype: true,
        }),
      );
    }
  }

  // (b) and (c) SQLite.
  const tmp = tempDir();
  try {
    const raws = new Map<string, LoadResult>();
    const rawOf = async (mode: SqliteMode, c: number) => {
      const key = `${mode}@${c}`;
      let raw = raws.get(key);
      if (!raw) {
        raw = await rawSets(tmp.dir, mode, c, rawMs);
        raws.set(key, raw);
        log(
          `raw set() ${mode} @${c}: ${num(raw.rate)}/s p50 ${num(raw.p50)} p99 ${num(raw.p99)} ms`,
        );
      }
      return raw;
    };
    for (const config of parts.has("sqlite") ? SQLITE_CONFIGS : []) {
      for (const c of concurrencies) {
        const raw = await rawOf(config.mode, c);
        const { result: bot, settings, batch } = await sqliteRun(tmp.dir, config, c, sqlMs);
        log(
          `${config.label} @${c}: bot ${num(bot.rate)}/s p50 ${num(bot.p50)} p99 ${num(bot.p99)} ms [${settings}${batch ? `, ${num(batch)} answers/transaction` : ""}]`,
        );
        figures.push(
          figure({
            bench,
            name: `(b) ${config.label}, ${plural(c)}: answers/s`,
            value: bot.rate,
            unit: "/s",
            baseline: { name: `raw set() ${config.mode}+group commit`, value: raw.rate },
            goal: "≥ 0.8× raw set()",
            met: bot.rate >= 0.8 * raw.rate,
            note:
              `${bot.updates} answers; p50 ${num(bot.p50)} / p99 ${num(bot.p99)} ms; ${settings}` +
              (batch ? `; ${num(batch)} answers per transaction` : ""),
          }),
        );
        if (c !== most) continue;
        figures.push(
          figure({
            bench,
            name: `(b) ${config.label}, ${plural(c)} saturated: handler p99`,
            value: bot.p99,
            unit: "ms",
            baseline: { name: "raw set() p99", value: raw.p99 },
            goal: "≤ 20 ms",
            met: bot.p99 <= 20,
            note: `closed loop, no think time: latency ≈ chats / throughput = ${num((1000 * c) / bot.rate)} ms`,
          }),
        );
        const paced = (await sqliteRun(tmp.dir, config, c, sqlMs, 1000)).result;
        log(
          `${config.label} @${c} paced 1/s per chat: ${num(paced.rate)}/s p50 ${num(paced.p50)} p99 ${num(paced.p99)} ms`,
        );
        figures.push(
          figure({
            bench,
            name: `(b) ${config.label}, ${plural(c)} at 1 answer/s each: handler p99`,
            value: paced.p99,
            unit: "ms",
            baseline: { name: "raw set() p99", value: raw.p99 },
            goal: "≤ 20 ms",
            met: paced.p99 <= 20,
            note: `${paced.updates} answers at ${num(paced.rate)}/s; p50 ${num(paced.p50)} ms`,
          }),
        );
      }
    }
  } finally {
    tmp.cleanup();
  }

  // Through the emulator, briefly.
  if (parts.has("emulator")) {
    const emulated = await emulatorRuns(
      concurrencies.filter((c) => c <= 50),
      1000 * scale,
    );
    for (const c of new Set(emulated.map((e) => e.concurrency))) {
      const echo = emulated.find((e) => e.kind === "echo" && e.concurrency === c)?.result;
      const bot = emulated.find((e) => e.kind === "bot" && e.concurrency === c)?.result;
      if (!echo || !bot) continue;
      log(
        `emulator @${c}: bot ${num(bot.rate)}/s p50 ${num(bot.p50)} p99 ${num(bot.p99)} ms | echo ${num(echo.rate)}/s p50 ${num(echo.p50)} p99 ${num(echo.p99)} ms`,
      );
      figures.push(
        figure({
          bench,
          name: `emulator (HTTP), memory store, ${plural(c)}: round trips/s`,
          value: bot.rate,
          unit: "/s",
          baseline: { name: "echo bot", value: echo.rate },
          note: `p50 ${num(bot.p50)} / p99 ${num(bot.p99)} ms vs echo p50 ${num(echo.p50)} / p99 ${num(echo.p99)} ms (send → last reply; emulator, runner and clients in one process)`,
        }),
      );
    }
  }
  return figures;
}

if (isMain(import.meta.url)) {
  printFigures(await runBotBench({ log: (l) => console.log(l) }));
}
