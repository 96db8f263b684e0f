/**
 * Word export of a long draft: `toDocx(parseOutline(text))` on a ~60,000-character report, against
 * a baseline measured in the same run (docx packing a one-paragraph document: the fixed cost of
 * writing and zipping a package). Goal: under 1 s.
 *
 * The long draft is the panlong-2023 offline draft with its parts 一…四 repeated, numbered on (五、,
 * 六、…), until the text passes 60,000 characters; its markers, run-in headings and 落款 stay in.
 *
 * Run: npx tsx bench/export.ts        (BENCH_RUNS, default 10; BENCH_CHARS, default 60000)
 */
import { performance } from "node:perf_hooks";
import { Document, Packer, Paragraph } from "docx";
import { draftReport } from "../src/draft/drafter.js";
import { requestFromFile } from "../src/draft/request.js";
import { toDocx } from "../src/export/docx.js";
import { parseOutline } from "../src/export/outline.js";
import { createLogger } from "../src/log.js";
import { loadTemplate } from "../src/template/load.js";
import { chineseNumeral } from "../src/text/numerals.js";
import { type Figure, figure, isMain, printFigures } from "./lib.js";

const GOAL_MS = 1000;

/** The draft with its parts 一…四 repeated, numbered on (五、六、…), until it is `target` long. */
function longDraft(text: string, target: number): string {
  const lines = text.split("\n");
  const first = lines.findIndex((l) => l.startsWith("一、"));
  // The 落款 is the last two lines that are not empty; the parts end at the last line before it.
  const filled = lines.flatMap((l, i) => (l.trim() === "" ? [] : [i]));
  const unit = filled.at(-2) ?? lines.length;
  const end = (filled.filter((i) => i < unit).at(-1) ?? unit - 1) + 1;
  const parts = lines.slice(first, end);
  const heading = /^[一二三四五六七八九十]+、/;
  let n = parts.filter((l) => heading.test(l)).length;
  const extra: string[] = [];
  let length = text.length;
  while (length < target) {
    for (const line of parts) {
      const renumbered = line.replace(heading, () => `${chineseNumeral(++n)}、`);
      extra.push(renumbered);
      length += renumbered.length + 1;
      if (length >= target) break;
    }
  }
  return [...lines.slice(0, end), ...extra, ...lines.slice(end)].join("\n");
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  for (let i = 0; i < 2; i++) await fn(); // warm-up: JIT, module init
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms;
}

function stats(ms: number[]): { mean: number; p50: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
    p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const fmt = (s: { mean: number; p50: number; max: number }): string =>
  `mean ${s.mean.toFixed(1)} ms  p50 ${s.p50.toFixed(1)} ms  max ${s.max.toFixed(1)} ms`;

export async function runExportBench(
  options: { runs?: number; chars?: number; log?: (line: string) => void } = {},
): Promise<Figure[]> {
  const runs = options.runs ?? Number(process.env.BENCH_RUNS ?? 10);
  const target = options.chars ?? Number(process.env.BENCH_CHARS ?? 60_000);
  const log = options.log ?? (() => {});
  const template = loadTemplate();
  const draft = await draftReport(
    { template, logger: createLogger("silent") },
    requestFromFile(template, "test/fixtures/answers/panlong-2023.json"),
  );
  const text = longDraft(draft.text, target);
  const outline = parseOutline(text);
  if (!outline.signoff) throw new Error("the long draft lost its 落款");

  let bytes = 0;
  const exportMs = stats(
    await time(async () => {
      bytes = (await toDocx(parseOutline(text))).length;
    }, runs),
  );
  const baselineMs = stats(
    await time(
      () => Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("基准")] }] })),
      runs,
    ),
  );

  log(
    `draft: ${text.length} characters, ${outline.blocks.length} blocks, ` +
      `${outline.blocks.filter((b) => b.kind === "heading").length} headings; .docx ${(bytes / 1024).toFixed(1)} KiB`,
  );
  log(`runs: ${runs} (after 2 warm-up runs each)`);
  log(`toDocx(parseOutline(text)):        ${fmt(exportMs)}`);
  log(`baseline, one-paragraph docx pack: ${fmt(baselineMs)}`);
  log(`ratio (mean / baseline mean): ${(exportMs.mean / baselineMs.mean).toFixed(1)}×`);
  log(`goal: max < ${GOAL_MS} ms — ${exportMs.max < GOAL_MS ? "met" : "MISSED"}`);
  return [
    figure({
      bench: "export",
      name: `.docx of a ${text.length.toLocaleString("en-US")}-character draft: max of ${runs}`,
      value: exportMs.max,
      unit: "ms",
      baseline: { name: "one-paragraph .docx max", value: baselineMs.max },
      goal: `< ${GOAL_MS} ms`,
      met: exportMs.max < GOAL_MS,
      note: `${fmt(exportMs)}; ${outline.blocks.length} blocks; ${(bytes / 1024).toFixed(1)} KiB; baseline ${fmt(baselineMs)}`,
    }),
  ];
}

if (isMain(import.meta.url)) {
  const figures = await runExportBench({ log: (l) => console.log(l) });
  console.log("");
  printFigures(figures);
  if (figures.some((f) => f.met === false)) process.exitCode = 1;
}
