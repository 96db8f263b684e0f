/**
 * Times checkReport on a ~15,000-character report built from the three seed reports, against a
 * baseline measured in the same run: one regular-expression scan over the same text. Then times
 * single runs on inputs of the largest size read-input accepts that were once quadratic
 * (an unterminated 《 repeated, placeholders, comma-less figures, many rates in one sentence).
 * Run: npx tsx bench/check.ts [iterations]     (default 500; the suite runs 200)
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { loadChecker } from "../src/check/checker.js";
import { MAX_TEXT_CHARS } from "../src/check/read-input.js";
import { DEFAULT_TEMPLATE_DIR } from "../src/template/load.js";
import { seedsDir } from "../test/helpers/seeds-dir.js";
import { type Figure, figure, isMain, printFigures } from "./lib.js";

/** The checker of the shipped report type. */
const shipped = loadChecker(DEFAULT_TEMPLATE_DIR);

const TARGET_CHARS = 15_000;
const WARMUP = 20;
const GOAL_MS = 50;

const seed = (name: string): string => readFileSync(`${seedsDir()}/${name}.txt`, "utf8");

/** Panlong's report with the measures of the other two inserted before its shortcomings. */
export function buildReport(): string {
  const panlong = seed("panlong-2023");
  const extra = [seed("yanshan-2020"), seed("jinshandian-2024-plan")].map((text) =>
    text
      .split("\n")
      .filter((line) => !/^[一二三四五六七八九十]+、/u.test(line.trim()))
      .join("\n"),
  );
  const cut = panlong.indexOf("二、存在问题");
  let middle = extra.join("\n");
  while (panlong.length + middle.length < TARGET_CHARS) middle += `\n${extra.join("\n")}`;
  const room = TARGET_CHARS - panlong.length;
  return `${panlong.slice(0, cut)}${middle.slice(0, room)}\n${panlong.slice(cut)}`;
}

function time(run: () => unknown, iterations: number): number[] {
  for (let i = 0; i < WARMUP; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

function stats(samples: number[]): { mean: number; p50: number; p99: number } {
  const at = (q: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, p50: at(0.5), p99: at(0.99) };
}

const measures = "一、主要举措和成效\n";
const worstCases = (): [string, string][] => [
  ["unterminated 《 repeated", "《法治政府建设实施纲要".repeat(MAX_TEXT_CHARS / 11)],
  ["one line without punctuation", "法治政府建设工作".repeat(MAX_TEXT_CHARS / 8)],
  ["numbered headings only", "（一）存在的问题\n".repeat(MAX_TEXT_CHARS / 9)],
  ["placeholders only", `${measures}${"X次".repeat(MAX_TEXT_CHARS / 2 - 10)}`],
  ["figures without commas", `${measures}${"12件".repeat(MAX_TEXT_CHARS / 3 - 10)}`],
  [
    "rates in one sentence",
    `${measures}${"排查2件，成功1件，成功率90%，".repeat(MAX_TEXT_CHARS / 17 - 10)}`,
  ],
];

export async function runCheckBench(
  options: { iterations?: number; log?: (line: string) => void } = {},
): Promise<Figure[]> {
  const iterations = options.iterations ?? 200;
  const log = options.log ?? (() => {});
  const report = buildReport();
  const firstStart = performance.now();
  const result = shipped.check(report);
  const first = performance.now() - firstStart;

  const checker = stats(time(() => shipped.check(report), iterations));
  // Baseline: one pass of a regular expression over the whole text (a figure-like pattern).
  const scan = stats(
    time(() => report.match(/\d+(?:\.\d+)?\s*[件次人起项份%]/gu)?.length ?? 0, iterations),
  );

  const ms = (n: number): string => `${n.toFixed(3)} ms`;
  log(`report: ${report.length} characters, ${report.split("\n").length} lines`);
  log(
    `verdict: ${result.items.filter((i) => i.status === "present").length} present, ${result.weak.length} weak, ${result.missing.length} missing, ${result.warnings.length} warnings`,
  );
  log(`first call (loads and compiles checker.yaml): ${ms(first)}`);
  log(
    `checkReport   mean ${ms(checker.mean)}  p50 ${ms(checker.p50)}  p99 ${ms(checker.p99)}  (${iterations} runs)`,
  );
  log(`baseline scan mean ${ms(scan.mean)}  p50 ${ms(scan.p50)}  p99 ${ms(scan.p99)}`);
  log(`ratio checkReport / baseline (mean): ${(checker.mean / scan.mean).toFixed(1)}x`);

  const worst: [string, number, number][] = [];
  for (const [label, text] of worstCases()) {
    const start = performance.now();
    shipped.check(text);
    const took = performance.now() - start;
    worst.push([label, text.length, took]);
    log(`worst case, ${label} (${text.length} characters): ${ms(took)}`);
  }
  const slowest = worst.reduce((a, b) => (b[2] > a[2] ? b : a));
  return [
    figure({
      bench: "check",
      name: `checkReport, ${report.length.toLocaleString("en-US")}-character report: p99`,
      value: checker.p99,
      unit: "ms",
      baseline: { name: "one regex scan p99", value: scan.p99 },
      goal: `< ${GOAL_MS} ms`,
      met: checker.p99 < GOAL_MS,
      note: `mean ${ms(checker.mean)}, p50 ${ms(checker.p50)} over ${iterations} runs; first call (compiles checker.yaml) ${ms(first)}`,
    }),
    figure({
      bench: "check",
      name: `worst of ${worst.length} adversarial ${MAX_TEXT_CHARS.toLocaleString("en-US")}-character inputs`,
      value: slowest[2],
      unit: "ms",
      baseline: { name: "15k report p50", value: checker.p50 },
      note: worst.map(([label, , took]) => `${label} ${ms(took)}`).join("; "),
    }),
  ];
}

if (isMain(import.meta.url)) {
  const figures = await runCheckBench({
    iterations: Number(process.argv[2] ?? 500),
    log: (l) => console.log(l),
  });
  console.log("");
  printFigures(figures);
}
