/**
 * The bench suite (issue 8): runs every benchmark of bench/, prints ONE table — each figure with
 * its baseline measured in the same run, the ratio, the goal and whether it is met — with notes
 * under it, and writes bench/results.json (the machine, the figures, the time each bench took).
 *
 *   npx tsx bench/run.ts                 every bench (about 2–3 minutes on 2 cores)
 *   npx tsx bench/run.ts bot growth      only those
 *
 * Redis (growth) needs TEST_REDIS_URL, e.g. TEST_REDIS_URL=redis://127.0.0.1:6390; without it the
 * Redis part is skipped and the reason printed. The memory bench runs in a child
 * `node --expose-gc --import tsx bench/memory.ts`; start-up spawns the real CLI.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { runBotBench } from "./bot.js";
import { runCheckBench } from "./check.js";
import { runDraftBench } from "./draft.js";
import { runExportBench } from "./export.js";
import { runGrowthBench } from "./growth.js";
import { runHistoryBench } from "./history.js";
import { type Figure, notes, num, table } from "./lib.js";
import { runMemoryBench } from "./memory.js";
import { runCrashCheck } from "./sqlite-crash.js";
import { runStartupBench } from "./startup.js";

const log = (line: string) => process.stderr.write(`  ${line}\n`);

const BENCHES: { name: string; run: () => Promise<Figure[]> }[] = [
  { name: "check", run: () => runCheckBench({ iterations: 200 }) },
  { name: "export", run: () => runExportBench({ runs: 10 }) },
  { name: "draft", run: () => runDraftBench({ latencyMs: 300, log }) },
  { name: "growth", run: () => runGrowthBench({ log }) },
  { name: "history", run: () => runHistoryBench({ log }) },
  { name: "memory", run: () => runMemoryBench() },
  { name: "startup", run: () => runStartupBench({ runs: 5, log }) },
  { name: "bot", run: () => runBotBench({ log }) },
  { name: "crash", run: () => runCrashCheck({ kills: 3, log }) },
];

function machine() {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) cpu = line.slice(line.indexOf(":") + 1).trim();
  } catch {
    // not Linux: os.cpus() is all there is
  }
  return {
    cpus: cpus().length,
    cpu,
    memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(
    `unknown bench: ${unknown.join(", ")}; known: ${BENCHES.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}

/** The 1-, 5- and 15-minute load averages: other work on the machine moves every timing. */
const load = () => loadavg().map((n) => Number(n.toFixed(2)));
const loadAtStart = load();
const started = performance.now();
const figures: Figure[] = [];
const seconds: Record<string, number> = {};
const errors: Record<string, string> = {};
for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  process.stderr.write(`${bench.name}…\n`);
  const t = performance.now();
  try {
    figures.push(...(await bench.run()));
  } catch (error) {
    errors[bench.name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${bench.name} FAILED: ${errors[bench.name]}\n`);
  }
  seconds[bench.name] = Number(((performance.now() - t) / 1000).toFixed(1));
  process.stderr.write(`${bench.name} done in ${seconds[bench.name]} s\n`);
}
const total = (performance.now() - started) / 1000;
const loadAtEnd = load();

const host = machine();
const withGoal = figures.filter((f) => f.met !== undefined && !f.prototype);
const missed = withGoal.filter((f) => !f.met);
const protos = figures.filter((f) => f.met !== undefined && f.prototype);
console.log(
  `fazhi-report bench, ${new Date().toISOString()} · ${host.cpus} × ${host.cpu}, ${host.memoryGiB} GiB, Node ${host.node}`,
);
console.log(
  `load average (1, 5, 15 min) at the start ${loadAtStart.join(", ")}, at the end ${loadAtEnd.join(", ")} on ${host.cpus} CPUs`,
);
console.log("");
console.log(table(figures));
console.log("");
console.log(notes(figures));
console.log("");
console.log(
  `product: ${withGoal.length - missed.length} of ${withGoal.length} goals met; ` +
    `not met: ${missed.length === 0 ? "none" : missed.map((f) => `${f.bench}: ${f.name}`).join("; ")}`,
);
if (protos.length > 0)
  console.log(
    `[proto] rows measure a prototyped product change (bench/lib.ts, bench/bot.ts): ` +
      `${protos.filter((f) => f.met).length} of ${protos.length} of their goals met`,
  );
if (!process.env.TEST_REDIS_URL && (wanted.length === 0 || wanted.includes("growth")))
  console.log(
    "Redis: skipped, TEST_REDIS_URL is not set (e.g. TEST_REDIS_URL=redis://127.0.0.1:6390)",
  );
if (Object.keys(errors).length > 0)
  console.log(`benches that failed: ${Object.keys(errors).join(", ")}`);
console.log(
  `suite time ${num(total)} s (${Object.entries(seconds)
    .map(([name, s]) => `${name} ${s} s`)
    .join(", ")})`,
);

const out = fileURLToPath(new URL("./results.json", import.meta.url));
writeFileSync(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: host,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      redis: process.env.TEST_REDIS_URL ? "TEST_REDIS_URL set" : "skipped: TEST_REDIS_URL not set",
      seconds: { total: Number(total.toFixed(1)), ...seconds },
      goals: {
        product: { total: withGoal.length, met: withGoal.length - missed.length },
        prototypes: { total: protos.length, met: protos.filter((f) => f.met).length },
      },
      figures,
      errors,
    },
    null,
    2,
  )}\n`,
);
console.log(`written: bench/results.json`);
if (Object.keys(errors).length > 0) process.exitCode = 1;
