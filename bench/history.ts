/**
 * Per-answer cost against history length (issue 13): one org whose answered questions each have
 * 0, 10, 100 or 400 earlier versions, then answers through the session (load the user's context,
 * run the interview, commit), on the memory store and on SQLite (Store.open, the product's
 * settings). Goal: flat, ≤ 1.5× from 0 to 400 earlier versions. Also the round trips and commits
 * per answer, counted in the store adapter (Store.meter).
 *
 * Run: npx tsx bench/history.ts   (BENCH_SECONDS scales the number of measured answers)
 */
import { performance } from "node:perf_hooks";
import { runInterview } from "../src/app/interview.js";
import type { Org } from "../src/domain/types.js";
import { questionsOf } from "../src/interview/progress.js";
import { Store } from "../src/store/store.js";
import { loadTemplate } from "../src/template/load.js";
import {
  BENCH_NOW,
  type Figure,
  figure,
  isMain,
  median,
  num,
  pool,
  printFigures,
  seedOrg,
  tempDir,
} from "./lib.js";

const template = loadTemplate();
const questions = questionsOf(template);
export const DEPTHS = [0, 10, 100, 400];
/** Questions answered (each with the earlier versions of its depth) before measuring. */
const ANSWERED = 20;
const USER = 1;

export interface HistoryOptions {
  depths?: number[];
  /** Answers measured per depth and backend. */
  answers?: number;
  log?: (line: string) => void;
}

interface Cost {
  /** Median milliseconds per answer. */
  ms: number;
  roundTrips: number;
  commits: number;
}

/** `depth` earlier versions on each of the first ANSWERED questions, written through the Store. */
async function seedHistory(store: Store, org: Org, depth: number): Promise<void> {
  await pool(ANSWERED, ANSWERED, async (q) => {
    const id = questions[q]?.id ?? "";
    for (let i = 0; i <= depth; i++) {
      const text = `第${i}版：本镇全年开展法治宣传${i + q}次，覆盖群众${1000 + i}人。`;
      const version = { text, author: USER, authorName: "用户1", at: BENCH_NOW.toISOString() };
      await store.saveAnswer(org, id, version, "replace");
    }
  });
}

/** Replaces the answered questions' answers in turn, as the user would through /edit. */
async function measure(store: Store, answers: number): Promise<Cost> {
  const deps = { store, template, now: () => BENCH_NOW };
  const user = { id: USER, name: "用户1" };
  const times: number[] = [];
  const before = { ...store.meter };
  for (let i = 0; i < answers; i++) {
    const id = questions[i % ANSWERED]?.id ?? "";
    await runInterview(deps, user, { kind: "button", data: `re:${id}` });
    const start = performance.now();
    const outcome = await runInterview(deps, user, { kind: "text", text: `新的回答${i}` });
    times.push(performance.now() - start);
    if (!outcome.replies[0]?.text.includes("✅")) throw new Error(`answer ${i} not acknowledged`);
  }
  // The button presses are one cursor commit each: only the answers are counted here.
  const pressRoundTrips = 2 * answers;
  return {
    ms: median(times),
    roundTrips: (store.meter.roundTrips - before.roundTrips - pressRoundTrips) / answers,
    commits: (store.meter.commits - before.commits - answers) / answers,
  };
}

export async function runHistoryBench(options: HistoryOptions = {}): Promise<Figure[]> {
  const depths = options.depths ?? DEPTHS;
  const answers = options.answers ?? Math.round(200 * Number(process.env.BENCH_SECONDS ?? 1));
  const log = options.log ?? (() => {});
  const tmp = tempDir();
  const figures: Figure[] = [];
  try {
    for (const backend of ["memory", "sqlite"] as const) {
      const costs = new Map<number, Cost>();
      for (const depth of depths) {
        const url = backend === "memory" ? "memory://" : `sqlite://${tmp.dir}/h${depth}.sqlite`;
        const store = Store.open(url);
        const org = await seedOrg(store, template, 1, USER);
        await seedHistory(store, org, depth);
        await measure(store, 10); // warm: the user's org and answers are known to this instance
        const cost = await measure(store, answers);
        await store.close();
        costs.set(depth, cost);
        log(
          `${backend} @${depth} earlier versions: ${num(cost.ms)} ms/answer, ${num(cost.roundTrips)} round trips, ${num(cost.commits)} commits`,
        );
      }
      const flat = costs.get(depths[0] ?? 0);
      for (const [depth, cost] of costs) {
        figures.push(
          figure({
            bench: "history",
            name: `${backend}: one answer with ${depth} earlier versions per answer`,
            value: cost.ms,
            unit: "ms",
            ...(flat && depth !== depths[0]
              ? {
                  baseline: { name: `${depths[0]} earlier versions`, value: flat.ms },
                  goal: "≤ 1.5×",
                  met: cost.ms <= 1.5 * flat.ms,
                }
              : {}),
            note: `${num(cost.roundTrips)} round trips and ${num(cost.commits)} commits per answer (store meter)`,
          }),
        );
      }
      const worst = Math.max(...[...costs.values()].map((c) => c.roundTrips));
      figures.push(
        figure({
          bench: "history",
          name: `${backend}: round trips per answer (most over all depths)`,
          value: worst,
          unit: "",
          goal: "≤ 3",
          met: worst <= 3,
        }),
      );
    }
  } finally {
    tmp.cleanup();
  }
  return figures;
}

if (isMain(import.meta.url)) {
  printFigures(await runHistoryBench({ log: console.log }));
}
