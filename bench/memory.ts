/**
 * Memory (issue 8, point 6; issue 17): heap per active chat, and RSS of the full bot (memory store, in-process transport, the
 * product's default rate limit, logging at "info" to a no-op) after 10,000 answers from 1,000
 * users, at the 5,000 and 10,000 marks; goal: no growth beyond 10% between the two marks. The
 * users first register through the bot (/start, name, kind, superior, year); then each sends 10
 * answers, 50 chats at a time, round robin. With --expose-gc every mark is taken after a full GC.
 *
 * The stored answers themselves stay in the memory store (10,000 records): that much growth is
 * data, not a leak; the note gives the heap growth next to it.
 *
 * Run: node --expose-gc --import tsx bench/memory.ts   (bench/run.ts runs it so, as a child)
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createBot } from "../src/bot/bot.js";
import { createLogger } from "../src/log.js";
import { Store } from "../src/store/store.js";
import { loadTemplate } from "../src/template/load.js";
import {
  answerText,
  BENCH_BOT_INFO,
  BENCH_NOW,
  BenchApi,
  type Figure,
  figure,
  isMain,
  num,
  pool,
  printFigures,
  Updates,
} from "./lib.js";

const USERS = 1_000;
const ANSWERS_PER_USER = 10;
const MB = 1024 * 1024;
const RESULT = "BENCH_RESULT ";

interface Mark {
  updates: number;
  rss: number;
  heapUsed: number;
}

function mark(updates: number): Mark {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 3; i++) gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { updates, rss, heapUsed };
}

/** Measures in this process. */
export async function measureMemory(): Promise<Figure[]> {
  const template = loadTemplate();
  const store = Store.open("memory://");
  const api = new BenchApi();
  const bot = createBot({
    token: "123456:bench-token",
    botInfo: BENCH_BOT_INFO,
    transport: api.transformer,
    store,
    template,
    logger: createLogger("info", () => {}),
    now: () => BENCH_NOW,
  });
  const updates = new Updates();
  const send = (update: ReturnType<Updates["text"]>) => bot.handleUpdate(update);
  // A first update through every middleware, so code loaded on first use is not counted per chat.
  await send(updates.text(USERS + 1, "/help"));
  const empty = mark(0);
  await pool(USERS, 50, async (i) => {
    const user = 1 + i;
    await send(updates.text(user, "/start"));
    await send(updates.text(user, `第${user}镇`));
    await send(updates.button(user, "kind:镇"));
    await send(updates.text(user, "东莞市"));
    await send(updates.button(user, "year:2025"));
  });
  if (!(await store.getMember(USERS))) throw new Error("registration through the bot failed");
  const registered = mark(0);
  const marks: Mark[] = [];
  const total = USERS * ANSWERS_PER_USER;
  const half = total / 2;
  let sent = 0;
  for (const [from, to] of [
    [0, half],
    [half, total],
  ] as const) {
    // Update k is user (k mod USERS)'s answer number floor(k / USERS): round robin over users.
    await pool(to - from, 50, async (j) => {
      const k = from + j;
      const user = 1 + (k % USERS);
      await send(updates.text(user, answerText(user, Math.floor(k / USERS))));
      sent += 1;
    });
    marks.push(mark(sent));
  }
  if (api.acks < total || api.failures > 0)
    throw new Error(`${api.acks} answers acknowledged of ${total}, ${api.failures} failures`);
  await store.close();
  const [at5k, at10k] = marks as [Mark, Mark];
  const gc = typeof (globalThis as { gc?: unknown }).gc === "function";
  const growth = at10k.rss / at5k.rss - 1;
  const perChat = (m: Mark, of: "heapUsed" | "rss") => (m[of] - empty[of]) / USERS;
  return [
    figure({
      bench: "memory",
      name: `heap per active chat, ${num(USERS)} chats with ${ANSWERS_PER_USER} answers each`,
      value: perChat(at10k, "heapUsed"),
      unit: "B",
      baseline: { name: "just registered", value: perChat(registered, "heapUsed") },
      note:
        `(heap used after ${num(total)} answers − before the first registration) / ${num(USERS)}; ` +
        `RSS ${num(perChat(at10k, "rss"))} B per chat (registered: ${num(perChat(registered, "rss"))} B); ` +
        `each stored answer adds ${num((at10k.heapUsed - at5k.heapUsed) / (total / 2))} B of heap (5,000 → 10,000); ` +
        "the memory store keeps every record in the heap: with SQLite, Redis or PostgreSQL that share lives in the database",
    }),
    figure({
      bench: "memory",
      name: `RSS after ${num(at5k.updates)} answers (1,000 users)`,
      value: at5k.rss / MB,
      unit: "MB",
      baseline: { name: "after registration", value: registered.rss / MB },
      note: `heap used ${num(at5k.heapUsed / MB)} MB (after registration ${num(registered.heapUsed / MB)} MB)${gc ? "; after global.gc()" : "; without --expose-gc: no GC before marks"}`,
    }),
    figure({
      bench: "memory",
      name: `RSS after ${num(at10k.updates)} answers (1,000 users)`,
      value: at10k.rss / MB,
      unit: "MB",
      baseline: { name: "at 5,000", value: at5k.rss / MB },
      goal: "≤ 1.10× (growth ≤ 10%)",
      met: growth <= 0.1,
      note: `growth ${num(100 * growth)}%; heap used ${num(at10k.heapUsed / MB)} MB (+${num((at10k.heapUsed - at5k.heapUsed) / MB)} MB for 5,000 more stored answers)`,
    }),
  ];
}

/**
 * Runs the bench in a child `node --expose-gc --import tsx bench/memory.ts`, so the marks follow
 * a full GC and nothing the parent holds (other benches' heaps) counts.
 */
export function runMemoryBench(): Promise<Figure[]> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script], {
      env: { ...process.env, BENCH_MEMORY_CHILD: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(RESULT));
      if (code !== 0 || !line) reject(new Error(`memory bench exited ${code}:\n${out}`));
      else resolve(JSON.parse(line.slice(RESULT.length)) as Figure[]);
    });
  });
}

if (isMain(import.meta.url)) {
  const figures = await measureMemory();
  if (process.env.BENCH_MEMORY_CHILD) console.log(`${RESULT}${JSON.stringify(figures)}`);
  else printFigures(figures);
}
