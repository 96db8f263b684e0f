/**
 * Start-up (issue 8, point 7): the time from spawning `node bin/fazhi-report.js bot` (what
 * `npm run bot` and, with a token, `npm start` run) to the first handled update: a /start is
 * waiting in the local Bot API emulator (telegram-test-api) when the process is spawned, and the
 * clock stops when the bot's reply reaches the emulator. That includes Node's start, tsx, loading
 * and validating prompts/, opening a fresh SQLite store, getMe, setMyCommands, the first
 * getUpdates and handling. Goal: < 1.5 s (median of several runs). Baseline in the same run: the
 * spawn of `node -e 0`; the note adds `node bin/fazhi-report.js help` (the CLI's modules loaded
 * through tsx, nothing started) and the time to the "bot started" log line.
 *
 * Run: npx tsx bench/startup.ts     (BENCH_STARTUP_RUNS, default 5)
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { freePort } from "../test/e2e/emulator.js";
import { type Figure, figure, isMain, median, num, printFigures, tempDir } from "./lib.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TOKEN = "123456:bench-startup";
const GOAL_MS = 1500;

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

export async function runStartupBench(
  options: { runs?: number; log?: (line: string) => void } = {},
): Promise<Figure[]> {
  const runs = options.runs ?? Number(process.env.BENCH_STARTUP_RUNS ?? 5);
  const log = options.log ?? (() => {});
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1" });
  await server.start();
  const firstReply: number[] = [];
  const started: number[] = [];
  const nodeOnly: number[] = [];
  const help: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      nodeOnly.push(await timeExit(["-e", "0"]));
      help.push(await timeExit(["bin/fazhi-report.js", "help"]));
      const s = await startOnce(server, run);
      firstReply.push(s.firstReplyMs);
      started.push(s.startedMs);
      log(
        `start-up run ${run + 1}: first reply ${num(s.firstReplyMs)} ms, "bot started" ${num(s.startedMs)} ms; node -e 0 ${num(nodeOnly.at(-1) ?? 0)} ms; CLI help ${num(help.at(-1) ?? 0)} ms`,
      );
    }
  } finally {
    await server.stop();
  }
  const value = median(firstReply);
  return [
    figure({
      bench: "startup",
      name: `spawn → first handled update (median of ${runs})`,
      value,
      unit: "ms",
      baseline: { name: "node -e 0", value: median(nodeOnly) },
      goal: `< ${GOAL_MS} ms`,
      met: value < GOAL_MS,
      note:
        `runs ${firstReply.map((ms) => num(ms)).join(", ")} ms; "bot started" log line ${num(median(started))} ms; ` +
        `\`node bin/fazhi-report.js help\` (tsx + every module, nothing started) ${num(median(help))} ms`,
    }),
  ];
}

if (isMain(import.meta.url)) {
  printFigures(await runStartupBench({ log: (l) => console.log(l) }));
}
