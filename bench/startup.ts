/**
 * Start-up (issues 8 and 17), every figure against the spawn of `node -e 0` in the same run:
 *  - `node bin/fazhi-report.js check FILE` on a one-page report, spawn to exit (the compiled CLI,
 *    nothing warm); goal ≤ 8× `node -e 0`;
 *  - `node bin/fazhi-report.js bot`: spawn to the first handled update — a /start is waiting in
 *    the local Bot API emulator (telegram-test-api) when the process is spawned, and the clock
 *    stops when the bot's reply reaches the emulator. That includes Node's start, loading the
 *    modules, loading and validating prompts/, opening a fresh SQLite store, getMe,
 *    setMyCommands, the first getUpdates and handling; goal ≤ 10× `node -e 0`;
 *  - the first draft in a fresh process (cold): `draft --answers FILE --json` against the local
 *    OpenAI stub with latency L per call, its `timingsMs.total` (draftReport from its first line
 *    to the result, the first check included); goal ≤ 1.3 L + 200 ms. The stub writes each
 *    section from its own answers, as a model does, so every reply passes the reply checks: the
 *    bench fails unless the draft has no failure and every call's section is the model's. The
 *    spawn → exit of that process is reported beside it;
 *  - the same draft warm: draftReport in this process on the same answers and stub, after a
 *    warm-up draft (modules loaded, code compiled, connections open).
 * The runs interleave (node, check, bot, draft, node, …) so a drifting machine moves all alike.
 *
 * Run: npm run build && npx tsx bench/startup.ts     (BENCH_STARTUP_RUNS, default 5; L = 300 ms)
 */
import { execFile, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { toJson } from "../src/cli/draft.js";
import { loadConfig } from "../src/config.js";
import { draftReport } from "../src/draft/drafter.js";
import { requestFromFile } from "../src/draft/request.js";
import { LlmClient, llmSettings } from "../src/llm/client.js";
import { createLogger } from "../src/log.js";
import { loadTemplate } from "../src/template/load.js";
import { freePort } from "../test/e2e/emulator.js";
import { type OpenAIStub, startOpenAIStub } from "../test/stub/openai-stub.js";
import {
  type Figure,
  figure,
  isMain,
  median,
  num,
  printFigures,
  tempDir,
  writeBackAnswers,
} from "./lib.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TOKEN = "123456:bench-startup";
/** A one-page report (1,446 characters). */
const REPORT = "test/fixtures/check/hongqiao-2024.txt";
const ANSWERS = "test/fixtures/answers/panlong-2023.json";
const CHECK_GOAL = 8;
const BOT_GOAL = 10;

/** Spawns `args` and resolves with the ms until it exits (code 0 expected). */
function timeExit(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(performance.now() - t) : reject(new Error(`${args} exited ${code}`)),
    );
  });
}

interface Startup {
  /** Spawn → the reply to the waiting /start reached the emulator. */
  firstReplyMs: number;
  /** Spawn → the "bot started" log line. */
  startedMs: number;
}

async function startOnce(server: TelegramServer, run: number): Promise<Startup> {
  const tmp = tempDir();
  const chatId = 90_000 + run;
  const client = server.getClient(TOKEN, { userId: chatId, chatId, firstName: "计时" });
  await client.sendCommand(client.makeCommand("/start"));
  const replied = new Promise<number>((resolve) => {
    const onMessage = () => {
      const added = server.storage.botMessages.at(-1) as
        | { message: { chat_id: number | string } }
        | undefined;
      if (Number(added?.message.chat_id) !== chatId) return;
      server.off("AddedBotMessage", onMessage);
      resolve(performance.now());
    };
    server.on("AddedBotMessage", onMessage);
  });
  const t = performance.now();
  const child = spawn(process.execPath, ["bin/fazhi-report.js", "bot"], {
    cwd: ROOT,
    env: {
      ...process.env,
      FAZHI_RUN_SOURCE: "",
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: server.config.apiURL,
      STORE_URL: `sqlite://${tmp.dir}/startup.sqlite`,
      LOG_LEVEL: "info",
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  let startedAt = Number.NaN;
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
    if (Number.isNaN(startedAt) && err.includes('"msg":"bot started"'))
      startedAt = performance.now();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no reply within 20 s:\n${err}`)), 20_000).unref(),
    );
    const at = await Promise.race([replied, timeout, exited.then(() => timeout)]);
    return { firstReplyMs: at - t, startedMs: startedAt - t };
  } finally {
    child.kill("SIGTERM");
    await exited;
    tmp.cleanup();
  }
}

interface ColdDraft {
  /** draftReport's own total (timingsMs.total) in the fresh process. */
  draftMs: number;
  /** Spawn → exit of the whole command. */
  processMs: number;
  calls: number;
}

interface DraftJson {
  timingsMs: { total: number };
  failures: unknown[];
  sections: { id: string; source: string }[];
  calls: { section: string }[];
}

/** Throws unless the draft is a real success: no failure, every call's section the model's. */
function assertDrafted(json: DraftJson, calls: number): void {
  if (json.failures.length > 0) throw new Error(`draft failures: ${JSON.stringify(json.failures)}`);
  const byModel = json.sections.filter((s) => s.source === "llm").length;
  if (calls === 0 || byModel !== calls || json.calls.length !== calls)
    throw new Error(`${calls} calls, ${byModel} sections by the model, ${json.calls.length} used`);
}

/** `draft --answers ANSWERS --json` in a fresh process against the stub. */
function coldDraft(stub: OpenAIStub): Promise<ColdDraft> {
  stub.clear();
  const t = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["bin/fazhi-report.js", "draft", "--answers", ANSWERS, "--json"],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          FAZHI_RUN_SOURCE: "",
          OPENAI_API_KEY: "bench",
          OPENAI_BASE_URL: stub.baseURL,
          LLM_MODEL: "stub-model",
          LLM_CONCURRENCY: "",
          LOG_LEVEL: "error",
          PROMPTS_DIR: "",
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout) => {
        const processMs = performance.now() - t;
        if (error) return reject(error);
        try {
          const json = JSON.parse(stdout) as DraftJson;
          assertDrafted(json, stub.requests.length);
          resolve({ draftMs: json.timingsMs.total, processMs, calls: stub.requests.length });
        } catch (failed) {
          reject(failed);
        }
      },
    );
  });
}

/**
 * The same draft warm, in this process: draftReport with the CLI's LLM settings on the same
 * answers and stub, `runs` times after one warm-up draft; draftReport's own totals.
 */
async function warmDrafts(stub: OpenAIStub, runs: number): Promise<number[]> {
  const template = loadTemplate();
  const request = requestFromFile(template, ANSWERS);
  const config = loadConfig({
    OPENAI_API_KEY: "bench",
    OPENAI_BASE_URL: stub.baseURL,
    LLM_MODEL: "stub-model",
  });
  const settings = llmSettings(config);
  if (!settings) throw new Error("no LLM settings");
  const logger = createLogger("error");
  const llm = new LlmClient(settings, logger);
  const deps = { template, llm, logger };
  const totals: number[] = [];
  try {
    for (let run = 0; run <= runs; run++) {
      stub.clear();
      const result = await draftReport(deps, request);
      assertDrafted(toJson(result), stub.requests.length);
      if (run > 0) totals.push(result.timingsMs.total);
    }
  } finally {
    await llm.close();
  }
  return totals;
}

export async function runStartupBench(
  options: { runs?: number; latencyMs?: number; log?: (line: string) => void } = {},
): Promise<Figure[]> {
  const runs = options.runs ?? Number(process.env.BENCH_STARTUP_RUNS ?? 5);
  const L = options.latencyMs ?? 300;
  const log = options.log ?? (() => {});
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1" });
  await server.start();
  const stub = await startOpenAIStub({ latencyMs: L, reply: writeBackAnswers });
  const firstReply: number[] = [];
  const started: number[] = [];
  const nodeOnly: number[] = [];
  const check: number[] = [];
  const help: number[] = [];
  const drafts: ColdDraft[] = [];
  let warm: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      nodeOnly.push(await timeExit(["-e", "0"]));
      check.push(await timeExit(["bin/fazhi-report.js", "check", REPORT]));
      help.push(await timeExit(["bin/fazhi-report.js", "help"]));
      const s = await startOnce(server, run);
      firstReply.push(s.firstReplyMs);
      started.push(s.startedMs);
      const d = await coldDraft(stub);
      drafts.push(d);
      log(
        `start-up run ${run + 1}: node -e 0 ${num(nodeOnly.at(-1) ?? 0)} ms; check ${num(check.at(-1) ?? 0)} ms; ` +
          `help ${num(help.at(-1) ?? 0)} ms; bot first reply ${num(s.firstReplyMs)} ms ("bot started" ${num(s.startedMs)} ms); ` +
          `cold draft ${num(d.draftMs)} ms (process ${num(d.processMs)} ms, ${d.calls} calls)`,
      );
    }
    warm = await warmDrafts(stub, runs);
    log(`warm draft, same answers, in this process: ${warm.map((ms) => num(ms)).join(", ")} ms`);
  } finally {
    await stub.close();
    await server.stop();
  }
  const node = { name: "node -e 0", value: median(nodeOnly) };
  const checkMs = median(check);
  const botMs = median(firstReply);
  const draftMs = median(drafts.map((d) => d.draftMs));
  const warmMs = median(warm);
  const draftGoal = 1.3 * L + 200;
  const list = (xs: number[]) => xs.map((ms) => num(ms)).join(", ");
  return [
    figure({
      bench: "startup",
      name: `CLI \`check\` a one-page report, spawn → exit (median of ${runs})`,
      value: checkMs,
      unit: "ms",
      baseline: node,
      goal: `≤ ${CHECK_GOAL}× node -e 0`,
      met: checkMs <= CHECK_GOAL * node.value,
      note: `runs ${list(check)} ms; node -e 0 ${list(nodeOnly)} ms; \`help\` (the CLI's entry, no command run) ${num(median(help))} ms`,
    }),
    figure({
      bench: "startup",
      name: `bot: spawn → first handled update (median of ${runs})`,
      value: botMs,
      unit: "ms",
      baseline: node,
      goal: `≤ ${BOT_GOAL}× node -e 0`,
      met: botMs <= BOT_GOAL * node.value,
      note: `runs ${list(firstReply)} ms; "bot started" log line ${num(median(started))} ms`,
    }),
    figure({
      bench: "startup",
      name: `first draft in a fresh process (cold), ${drafts[0]?.calls ?? 0} calls, L = ${L} ms (median of ${runs})`,
      value: draftMs,
      unit: "ms",
      baseline: { name: "L", value: L },
      goal: `≤ 1.3 L + 200 = ${num(draftGoal)} ms`,
      met: draftMs <= draftGoal,
      note:
        `runs ${list(drafts.map((d) => d.draftMs))} ms (draftReport's timingsMs.total, first check included); ` +
        `the whole \`draft --answers … --json\` process, spawn → exit: ${list(drafts.map((d) => d.processMs))} ms, ` +
        `median ${num(median(drafts.map((d) => d.processMs)))} ms`,
    }),
    figure({
      bench: "startup",
      name: `the same draft warm (this process, after a warm-up draft), L = ${L} ms (median of ${runs})`,
      value: warmMs,
      unit: "ms",
      baseline: { name: "L", value: L },
      goal: `≤ 1.3 L + 200 = ${num(draftGoal)} ms`,
      met: warmMs <= draftGoal,
      note: `runs ${list(warm)} ms; cold − warm (what a fresh process pays inside draftReport): ${num(draftMs - warmMs)} ms`,
    }),
  ];
}

if (isMain(import.meta.url)) {
  printFigures(await runStartupBench({ log: (l) => console.log(l) }));
}
