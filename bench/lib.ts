/**
 * Shared pieces of the bench suite: the figure every bench returns (value, baseline measured in
 * the same run, ratio, goal), the table bench/run.ts prints, percentiles, a closed-loop driver
 * for concurrent chats, a lean in-process Bot API transport, and store helpers (SQLite journal
 * settings, batched seeding through the Store API).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { defaultDeserialize, defaultSerialize } from "@keyv/serialize";
import type KeyvSqlite from "@keyv/sqlite";
import type { Update, UserFromGetMe } from "grammy/types";
import Keyv from "keyv";
import { LOCAL_BOT_INFO, LocalApi } from "../src/bot/local-api.js";
import type { Org } from "../src/domain/types.js";
import { questionsOf } from "../src/interview/progress.js";
import { sqliteAtomic } from "../src/store/atomic.js";
import { DEFAULT_NAMESPACE } from "../src/store/keyv.js";
import { TunedSqlite } from "../src/store/sqlite.js";
import { Store } from "../src/store/store.js";
import { newInvite } from "../src/team/invites.js";
import type { Template } from "../src/template/load.js";

// --- figures and the table -------------------------------------------------------------------

/** One line of the suite's table. `value` and `baseline` are in `unit`; ratio = value / baseline. */
export interface Figure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** What the value is compared with, measured in the same run. */
  baseline?: { name: string; value: number; unit?: string };
  ratio?: number;
  /** The goal in words, e.g. "≥ 0.3× echo"; absent for figures reported for information. */
  goal?: string;
  met?: boolean;
  /** Extra detail shown under the table (p50s, counts…). */
  note?: string;
  /**
   * A what-if: the product with a change this bench prototypes (another SQLite journal, group
   * commit, a cache…). Shown in the table, counted apart from the product's own goals.
   */
  prototype?: boolean;
}

export function figure(f: Omit<Figure, "ratio">): Figure {
  const ratio =
    f.baseline && f.baseline.value !== 0 && Number.isFinite(f.baseline.value)
      ? f.value / f.baseline.value
      : undefined;
  return { ...f, ...(ratio === undefined ? {} : { ratio }) };
}

/** A number with about three significant digits, thousands grouped. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return "-";
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

const withUnit = (value: number, unit: string) => (unit ? `${num(value)} ${unit}` : num(value));

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(ch) ? 2 : 1;
  return w;
}
const padEnd = (s: string, n: number) => s + " ".repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => " ".repeat(Math.max(0, n - width(s))) + s;

/** The suite's table as Markdown-compatible text (a pipe table), plus notes. */
export function table(figures: Figure[]): string {
  const head = ["figure", "value", "baseline (same run)", "ratio", "goal", "met?"];
  const rows = figures.map((f) => [
    `${f.prototype ? "[proto] " : ""}${f.bench}: ${f.name}`,
    withUnit(f.value, f.unit),
    f.baseline
      ? `${f.baseline.name} ${withUnit(f.baseline.value, f.baseline.unit ?? f.unit)}`
      : "-",
    f.ratio === undefined ? "-" : `${num(f.ratio)}×`,
    f.goal ?? "-",
    f.met === undefined ? "-" : f.met ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const right = new Set([1, 3]);
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (right.has(i) ? padStart(c, widths[i] ?? 0) : padEnd(c, widths[i] ?? 0))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (right.has(i) ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(head), rule, ...rows.map(line)].join("\n");
}

export function notes(figures: Figure[]): string {
  return figures
    .filter((f) => f.note)
    .map((f) => `- ${f.bench}: ${f.name}: ${f.note}`)
    .join("\n");
}

/** Prints a bench's own figures when it runs standalone. */
export function printFigures(figures: Figure[]): void {
  console.log(table(figures));
  const n = notes(figures);
  if (n) console.log(`\n${n}`);
}

/** True when the module at `url` is the script node was started with (standalone run). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(url);
}

// --- timing ----------------------------------------------------------------------------------

/** The q-quantile (0…1) of sorted samples (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

export function median(samples: readonly number[]): number {
  return quantile(
    [...samples].sort((a, b) => a - b),
    0.5,
  );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface LoadResult {
  concurrency: number;
  updates: number;
  seconds: number;
  /** Completed operations per second (all workers together). */
  rate: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * A closed loop: `concurrency` workers, each running `op(worker, i)` one after another, until
 * `durationMs` has passed or `op` returns false (the worker has nothing more to send). Latency
 * is the time of each `op`.
 */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  op: (worker: number, i: number) => Promise<boolean>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < until; i++) {
        const t = performance.now();
        if (!(await op(worker, i))) return;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    updates: latencies.length,
    seconds,
    rate: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

// --- an in-process Bot API -------------------------------------------------------------------

/** The bot's identity as the terminal chat and the tests use it (no getMe call). */
export const BENCH_BOT_INFO: UserFromGetMe = LOCAL_BOT_INFO;

/**
 * The in-process transport of the terminal chat and the tests (LocalApi), without its call log
 * (a long run would turn it into a memory leak), counting what the benchmarks report.
 */
export class BenchApi {
  calls = 0;
  sent = 0;
  /** sendMessage texts starting with ✅ (the interview's acknowledgement of a stored answer). */
  acks = 0;
  /** sendMessage texts naming a failure (store down, internal error). */
  failures = 0;
  readonly #api = new LocalApi(BENCH_BOT_INFO, { record: false });
  readonly transformer = this.#api.transformer;

  constructor() {
    this.#api.onCall(({ method, payload }) => {
      this.calls += 1;
      if (method !== "sendMessage") return;
      const text = typeof payload.text === "string" ? payload.text : "";
      this.sent += 1;
      if (text.startsWith("✅")) this.acks += 1;
      if (text.includes("请稍后重试")) this.failures += 1;
    });
  }
}

/** Builds the updates Telegram would deliver from users in private chats. */
export class Updates {
  #updateId = 0;
  #messageId = 0;

  text(userId: number, text: string): Update {
    const command = /^\/[A-Za-z0-9_@]+/.exec(text);
    return {
      update_id: ++this.#updateId,
      message: {
        message_id: ++this.#messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: userId, type: "private", first_name: `用户${userId}` },
        from: { id: userId, is_bot: false, first_name: `用户${userId}` },
        text,
        ...(command
          ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
          : {}),
      },
    } as Update;
  }

  /** An edited text message: the bot only answers that edits are not taken (no store access). */
  edited(userId: number): Update {
    return {
      update_id: ++this.#updateId,
      edited_message: {
        message_id: ++this.#messageId,
        date: Math.floor(Date.now() / 1000),
        edit_date: Math.floor(Date.now() / 1000),
        chat: { id: userId, type: "private", first_name: `用户${userId}` },
        from: { id: userId, is_bot: false, first_name: `用户${userId}` },
        text: "改",
      },
    } as Update;
  }

  button(userId: number, data: string): Update {
    return {
      update_id: ++this.#updateId,
      callback_query: {
        id: String(this.#updateId),
        from: { id: userId, is_bot: false, first_name: `用户${userId}` },
        chat_instance: String(userId),
        message: {
          message_id: ++this.#messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: userId, type: "private", first_name: `用户${userId}` },
          from: BENCH_BOT_INFO,
          text: "",
        },
        data,
      },
    } as Update;
  }
}

/** A realistic answer: a figure, a rate and a document title, ~60 characters. */
export function answerText(userId: number, i: number): string {
  const n = 3 + ((userId * 7 + i * 5) % 17);
  return `全年开展${n}次，覆盖${n * 23 + i}人次，完成率${90 + (i % 10)}%，已写入《工作台账（2025年）》第${i + 1}项。`;
}

// --- the LLM stub's replies -------------------------------------------------------------------

/**
 * The stub's model writes the section from its own answers, one a line: it passes the reply
 * checks (length, language, grounding) as a real model's prose does, so a bench's draft is a real
 * success, not a run of sections composed offline after rejected replies. Shared with the tests.
 */
export { dataOf, faithful as writeBackAnswers } from "../test/helpers/section-data.js";

// --- stores ----------------------------------------------------------------------------------

export function tempDir(prefix = "fazhi-bench-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * SQLite journal settings compared by the bench:
 * - default: what @keyv/sqlite does (rollback journal, synchronous=FULL): every commit fsyncs;
 * - wal-normal: WAL, synchronous=NORMAL: a commit is durable against a process crash (SIGKILL),
 *   the last commits may be lost on power loss or an OS crash (WAL is fsynced at checkpoints);
 * - wal-full: WAL, synchronous=FULL: every commit fsyncs the WAL; durable against power loss.
 */
export type SqliteMode = "default" | "wal-normal" | "wal-full";

/** The PRAGMAs of each mode, run before any other statement (TunedSqlite). */
export function pragmasOf(mode: SqliteMode): string[] {
  if (mode === "default") return [];
  const sync = mode === "wal-full" ? "FULL" : "NORMAL";
  return ["PRAGMA journal_mode=WAL", `PRAGMA synchronous=${sync}`];
}

/** A KeyvSqlite opened as openBackend does (busyTimeout 10 s), with `mode` and group commit. */
export async function openSqlite(
  file: string,
  mode: SqliteMode,
  groupCommit = false,
): Promise<TunedSqlite> {
  const sqlite = new TunedSqlite(
    { uri: `sqlite://${file}`, busyTimeout: 10_000 },
    { pragmas: pragmasOf(mode), groupCommit },
  );
  await sqlite.query("SELECT 1"); // connected, table created, PRAGMAs applied
  return sqlite;
}

/** A Store over a KeyvSqlite opened here, for seeding inside one transaction (commits on its connection). */
export function storeOn(sqlite: KeyvSqlite, namespace = DEFAULT_NAMESPACE): Store {
  return new Store(new Keyv({ store: sqlite, namespace }), sqliteAtomic(sqlite, namespace));
}

/** The journal mode and synchronous level a connection reports. */
export async function sqliteSettings(sqlite: KeyvSqlite): Promise<string> {
  const [journal] = (await sqlite.query("PRAGMA journal_mode")) as { journal_mode: string }[];
  const [sync] = (await sqlite.query("PRAGMA synchronous")) as { synchronous: number }[];
  const level = ["OFF", "NORMAL", "FULL", "EXTRA"][sync?.synchronous ?? -1] ?? "?";
  return `journal_mode=${journal?.journal_mode}, synchronous=${level}`;
}

/**
 * Runs `work` (Store API calls, started concurrently) inside one SQLite transaction: KeyvSqlite
 * has one connection, so every statement issued between BEGIN and COMMIT belongs to it. Seeding
 * 10,000 orgs this way takes seconds instead of one fsync per record.
 */
export async function inTransaction(
  sqlite: KeyvSqlite,
  work: () => Promise<unknown>,
): Promise<void> {
  await sqlite.query("BEGIN");
  try {
    await work();
    await sqlite.query("COMMIT");
  } catch (error) {
    await sqlite.query("ROLLBACK");
    throw error;
  }
}

export const BENCH_NOW = new Date("2026-01-10T02:00:00Z");

/** Org and member records as a registration through the chat leaves them (registration.ts). */
export function orgOf(n: number, adminId: number): Org {
  const id = `B${String(n).padStart(7, "0")}`;
  return {
    id,
    name: `第${n}镇`,
    kind: "镇",
    superior: "东莞市",
    year: 2025,
    inviteCode: `I${String(n).padStart(7, "0")}`,
    admins: [adminId],
    createdAt: BENCH_NOW.toISOString(),
  };
}

/**
 * Registers org `n` with `userId` as its admin through the Store API, writing what the chat's
 * registration writes (org, invite, org list, member, cursor on the first question), plus the
 * first `answers` answers.
 */
export async function seedOrg(
  store: Store,
  template: Template,
  n: number,
  userId: number,
  answers = 0,
): Promise<Org> {
  const org = orgOf(n, userId);
  const questions = questionsOf(template);
  await store.createOrg(org, newInvite(org.inviteCode, org.id, userId, BENCH_NOW, "days"));
  await store.addMember({
    userId,
    orgId: org.id,
    role: "admin",
    displayName: `用户${userId}`,
    joinedAt: BENCH_NOW.toISOString(),
  });
  await store.setCursor(org.id, userId, {
    questionId: questions[answers]?.id ?? null,
    pending: null,
  });
  await Promise.all(
    questions.slice(0, answers).map((q, i) =>
      store.saveAnswer(
        org,
        q.id,
        {
          text: answerText(userId, i),
          author: userId,
          authorName: `用户${userId}`,
          at: BENCH_NOW.toISOString(),
        },
        "replace",
      ),
    ),
  );
  return org;
}

/** Runs `count` async jobs, at most `parallel` at once. */
export async function pool(
  count: number,
  parallel: number,
  job: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

// --- prototypes of product changes, measured by the bench (not used by the product) ----------

/**
 * Keyv's default deserializer runs JSON.parse with a reviver (to undo its escaping of strings
 * that start with ":" and of Buffers), which is several times slower than a plain JSON.parse.
 * Escaped values always appear in the stored text as `"::` or `":base64:`; without either, the
 * reviver changes nothing, so plain JSON.parse gives the same value.
 */
export function fastDeserialize<T>(data: string): T {
  return data.includes('"::') || data.includes('":base64:')
    ? (defaultDeserialize(data) as T)
    : (JSON.parse(data) as T);
}

/** Throws unless fastDeserialize reads back what Keyv's own deserializer reads, escapes included. */
export function checkFastDeserialize(): void {
  const samples: unknown[] = [
    { value: { text: "普通回答", history: [] }, expires: undefined },
    { value: { text: ":以冒号开头", list: [":a", "::b", "c:"] }, expires: 1 },
    { value: ":base64:not a buffer", expires: undefined },
    { value: { quote: 'a"::b', nested: { k: ":" } } },
    { value: Buffer.from("二进制") },
  ];
  for (const sample of samples) {
    const text = defaultSerialize(sample);
    const fast = JSON.stringify(fastDeserialize(text));
    if (fast !== JSON.stringify(defaultDeserialize(text)))
      throw new Error(`fastDeserialize differs on ${text}`);
  }
}
