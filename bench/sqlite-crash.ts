/**
 * Crash safety of the SQLite settings bench/bot.ts recommends: a child process writes records
 * through Keyv (20 writers at once) and prints each key once its set() has resolved — the moment
 * the bot would acknowledge an answer; the parent kills it with SIGKILL at a random moment, then
 * reopens the file and checks that every acknowledged record is there, intact. Several kills per
 * configuration, on the same file (each restart recovers the WAL of the killed one).
 *
 * SQLite documents the property checked here: in WAL mode with synchronous=NORMAL a transaction
 * is durable once committed against a crash of the process (the WAL is in the OS's page cache);
 * only an OS crash or power loss may roll back the last transactions (the WAL is fsynced at
 * checkpoints). synchronous=FULL fsyncs the WAL at every commit and survives power loss.
 *
 * Run: npx tsx bench/sqlite-crash.ts      (BENCH_KILLS per configuration, default 4)
 * Control: BENCH_CRASH_CONTROL=1 acknowledges before each write resolves: losses must show.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import Keyv from "keyv";
import { DEFAULT_NAMESPACE } from "../src/store/keyv.js";
import {
  type Figure,
  figure,
  isMain,
  openSqlite,
  printFigures,
  type SqliteMode,
  sleep,
  tempDir,
} from "./lib.js";

const WRITERS = 20;
const recordOf = (key: string) => ({ key, text: `答复${key}`.repeat(8), at: key.length });

interface CrashConfig {
  label: string;
  mode: SqliteMode;
  groupCommit: boolean;
}

export const CRASH_CONFIGS: CrashConfig[] = [
  { label: "WAL+NORMAL", mode: "wal-normal", groupCommit: false },
  { label: "WAL+NORMAL+group commit", mode: "wal-normal", groupCommit: true },
  { label: "WAL+FULL+group commit", mode: "wal-full", groupCommit: true },
];

/** The child: writes until killed, printing "ack KEY" for each stored record. */
async function child(file: string, mode: SqliteMode, groupCommit: boolean, prefix: string) {
  const sqlite = await openSqlite(file, mode, groupCommit);
  const keyv = new Keyv({ store: sqlite, namespace: DEFAULT_NAMESPACE });
  keyv.throwOnErrors = true;
  process.stdout.write("ready\n");
  let n = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (;;) {
        const key = `${prefix}:${n++}`;
        // The control (BENCH_CRASH_CONTROL=1): acknowledging before the write resolves must show
        // losses, or this check could not see any.
        if (process.env.BENCH_CRASH_CONTROL) process.stdout.write(`ack ${key}\n`);
        await keyv.set(key, recordOf(key));
        if (!process.env.BENCH_CRASH_CONTROL) process.stdout.write(`ack ${key}\n`);
      }
    }),
  );
}

async function killOnce(file: string, config: CrashConfig, round: number): Promise<string[]> {
  const script = fileURLToPath(import.meta.url);
  const proc = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      script,
      "child",
      file,
      config.mode,
      String(config.groupCommit),
      `r${round}`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const acked: string[] = [];
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  createInterface({ input: proc.stdout }).on("line", (line) => {
    if (line === "ready") ready();
    else if (line.startsWith("ack ")) acked.push(line.slice(4));
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  await Promise.race([isReady, exited]);
  await sleep(100 + ((round * 97) % 300));
  proc.kill("SIGKILL");
  await exited;
  return acked;
}

export async function runCrashCheck(
  options: { kills?: number; log?: (line: string) => void } = {},
): Promise<Figure[]> {
  const kills = options.kills ?? Number(process.env.BENCH_KILLS ?? 4);
  const log = options.log ?? (() => {});
  const tmp = tempDir();
  const figures: Figure[] = [];
  try {
    for (const config of CRASH_CONFIGS) {
      const file = `${tmp.dir}/${config.label.replace(/[^A-Za-z]+/g, "-")}.sqlite`;
      let acked = 0;
      let lost = 0;
      for (let round = 0; round < kills; round++) {
        const keys = await killOnce(file, config, round);
        const sqlite = await openSqlite(file, config.mode);
        const keyv = new Keyv({ store: sqlite, namespace: DEFAULT_NAMESPACE });
        const stored = await keyv.getMany<ReturnType<typeof recordOf>>(keys);
        const missing = keys.filter(
          (key, i) => JSON.stringify(stored[i]) !== JSON.stringify(recordOf(key)),
        );
        await keyv.disconnect();
        acked += keys.length;
        lost += missing.length;
        log(
          `${config.label}, kill ${round + 1}: ${keys.length} acknowledged, ${missing.length} lost`,
        );
      }
      figures.push(
        figure({
          bench: "bot",
          name: `(c) ${config.label}: acknowledged writes lost after ${kills} SIGKILLs`,
          value: lost,
          unit: "",
          baseline: { name: "acknowledged", value: acked },
          goal: "0",
          met: lost === 0 && acked > 0,
          prototype: true,
        }),
      );
    }
  } finally {
    tmp.cleanup();
  }
  return figures;
}

if (isMain(import.meta.url)) {
  const [command, file, mode, group, prefix] = process.argv.slice(2);
  if (command === "child" && file && mode && prefix)
    await child(file, mode as SqliteMode, group === "true", prefix);
  else printFigures(await runCrashCheck({ log: (l) => console.log(l) }));
}
