/**
 * Cost growth (issue 8, point 4): one org's store operations and its draft assembly with 10,
 * 1,000 and 10,000 orgs in the store, on SQLite (the product's settings, wired as openBackend
 * does) and on Redis when TEST_REDIS_URL is set. The cost of one org's operation must not grow
 * with the number of orgs: each figure is the p50 at 10,000 orgs against the p50 at 10 orgs.
 *
 * Measured on a few sample orgs with 60 answers each:
 *  - get: Store.getOrg (one record);
 *  - getAnswers: the org's 79 answer keys at once (what every answer message reads);
 *  - set: Store.setCursor (one durable write);
 *  - draft assembly: getAnswers + requestFromAnswers + the offline draft (assemble, grounding,
 *    checker).
 * The other orgs are seeded through the Store API as registration leaves them, with 5 answers
 * each: on SQLite inside one transaction per tier with writes grouped into multi-row statements
 * (TunedSqlite), on Redis with many commands in flight (the client pipelines them).
 *
 * Run: npx tsx bench/growth.ts      (TEST_REDIS_URL=redis://127.0.0.1:6390 adds Redis)
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type KeyvRedis from "@keyv/redis";
import type { Org } from "../src/domain/types.js";
import { draftReport } from "../src/draft/drafter.js";
import { requestFromAnswers } from "../src/draft/request.js";
import { questionsOf } from "../src/interview/progress.js";
import { createLogger } from "../src/log.js";
import { openBackend } from "../src/store/keyv.js";
import { Store } from "../src/store/store.js";
import { loadTemplate } from "../src/template/load.js";
import {
  type Figure,
  figure,
  inTransaction,
  isMain,
  median,
  num,
  openSqlite,
  pool,
  printFigures,
  seedOrg,
  storeOn,
  tempDir,
} from "./lib.js";

const template = loadTemplate();
const questionIds = questionsOf(template).map((q) => q.id);
const logger = createLogger("silent");
export const TIERS = [10, 1_000, 10_000];
const SAMPLES = 3;
const SAMPLE_ANSWERS = 60;
const FILLER_ANSWERS = 5;

export interface GrowthOptions {
  tiers?: number[];
  redisUrl?: string | undefined;
  log?: (line: string) => void;
}

interface Timings {
  get: number;
  getAnswers: number;
  set: number;
  draft: number;
}

async function samplesOf(n: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run(i);
    ms.push(performance.now() - t);
  }
  return median(ms);
}

/** p50 of each operation on the sample orgs. */
async function measure(store: Store, samples: Org[]): Promise<Timings> {
  const org = (i: number) => samples[i % samples.length] as Org;
  const draft = async (i: number) => {
    const answers = await store.getAnswers(org(i), questionIds);
    const result = await draftReport(
      { template, logger },
      requestFromAnswers(template, org(i), answers),
    );
    if (result.sections.length === 0) throw new Error("empty draft");
  };
  await draft(0); // warm-up
  return {
    get: await samplesOf(300, (i) => store.getOrg(org(i).id)),
    getAnswers: await samplesOf(200, (i) => store.getAnswers(org(i), questionIds)),
    set: await samplesOf(150, (i) =>
      store.setCursor(org(i).id, org(i).admins[0] ?? 0, {
        questionId: questionIds[i % questionIds.length] ?? null,
        pending: null,
      }),
    ),
    draft: await samplesOf(15, draft),
  };
}

interface Backend {
  name: string;
  store: Store;
  /** Seeds orgs `from … to - 1` quickly. */
  seed: (from: number, to: number) => Promise<void>;
  close: () => Promise<void>;
}

const USER_BASE = 5_000_000;

async function sqliteBackend(): Promise<Backend> {
  const tmp = tempDir();
  const file = `${tmp.dir}/growth.sqlite`;
  // The measured store: wired as openBackend wires sqlite://FILE (default journal settings).
  const measured = await openSqlite(file, "default");
  const store = storeOn(measured);
  // Seeding: a second connection, one transaction per batch, writes grouped per statement.
  const seeding = await openSqlite(file, "default", true);
  const seeder = storeOn(seeding);
  return {
    name: "SQLite",
    store,
    seed: async (from, to) => {
      for (let start = from; start < to; start += 2_500) {
        const end = Math.min(to, start + 2_500);
        await inTransaction(seeding, () =>
          pool(end - start, 250, (i) =>
            seedOrg(seeder, template, start + i, USER_BASE + start + i, FILLER_ANSWERS),
          ),
        );
      }
    },
    close: async () => {
      await seeder.close();
      await store.close();
      tmp.cleanup();
    },
  };
}

async function redisBackend(url: string): Promise<Backend> {
  const namespace = `fazhi-bench-${randomBytes(4).toString("hex")}`;
  const { keyv, atomic } = openBackend(url, namespace);
  const store = new Store(keyv, atomic);
  return {
    name: "Redis",
    store,
    seed: (from, to) =>
      pool(to - from, 500, (i) =>
        seedOrg(store, template, from + i, USER_BASE + from + i, FILLER_ANSWERS),
      ),
    close: async () => {
      // Every key of this run: Keyv's records and the atomic counters and sets.
      const client = (await (keyv.store as KeyvRedis<unknown>).getClient()) as unknown as {
        scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string | string[]>;
        unlink(keys: string[]): Promise<unknown>;
      };
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${namespace}:*`, COUNT: 1000 }))
        keys.push(...(Array.isArray(batch) ? batch : [batch]).map(String));
      for (let i = 0; i < keys.length; i += 1000) await client.unlink(keys.slice(i, i + 1000));
      await store.close();
    },
  };
}

async function growth(backend: Backend, tiers: number[], log: (line: string) => void) {
  const samples: Org[] = [];
  for (let i = 0; i < SAMPLES; i++)
    samples.push(await seedOrg(backend.store, template, i, USER_BASE + i, SAMPLE_ANSWERS));
  let seeded = SAMPLES;
  const byTier = new Map<number, Timings & { seedSeconds: number }>();
  for (const tier of tiers) {
    const t = performance.now();
    await backend.seed(seeded, tier);
    const seedSeconds = (performance.now() - t) / 1000;
    seeded = Math.max(seeded, tier);
    const timings = await measure(backend.store, samples);
    const ids = await backend.store.listOrgIds();
    if (ids.length !== seeded)
      throw new Error(`${backend.name}: ${ids.length} orgs, not ${seeded}`);
    log(
      `${backend.name} ${tier} orgs (seeded in ${num(seedSeconds)} s): get ${num(timings.get)} ms, getAnswers ${num(timings.getAnswers)} ms, set ${num(timings.set)} ms, draft ${num(timings.draft)} ms`,
    );
    byTier.set(tier, { ...timings, seedSeconds });
  }
  return byTier;
}

export async function runGrowthBench(options: GrowthOptions = {}): Promise<Figure[]> {
  const tiers = options.tiers ?? TIERS;
  const log = options.log ?? (() => {});
  const redisUrl = "redisUrl" in options ? options.redisUrl : process.env.TEST_REDIS_URL;
  const backends: (() => Promise<Backend>)[] = [sqliteBackend];
  if (redisUrl) backends.push(() => redisBackend(redisUrl));
  else log("growth: skipping Redis: TEST_REDIS_URL is not set");
  const figures: Figure[] = [];
  const first = tiers[0] ?? 10;
  const last = tiers.at(-1) ?? first;
  for (const open of backends) {
    const backend = await open();
    try {
      const byTier = await growth(backend, tiers, log);
      const low = byTier.get(first);
      const high = byTier.get(last);
      if (!low || !high) continue;
      const ops: [keyof Timings, string][] = [
        ["get", "Store.getOrg p50"],
        ["getAnswers", "Store.getAnswers (79 keys) p50"],
        ["set", "Store.setCursor p50"],
        ["draft", "draft assembly (offline) p50"],
      ];
      for (const [op, label] of ops) {
        figures.push(
          figure({
            bench: "growth",
            name: `${backend.name}, ${label} at ${last.toLocaleString("en-US")} orgs`,
            value: high[op],
            unit: "ms",
            baseline: { name: `at ${first} orgs`, value: low[op] },
            goal: "≤ 1.5× (flat)",
            met: high[op] <= 1.5 * low[op],
            note: tiers
              .map(
                (t) =>
                  `${t.toLocaleString("en-US")} orgs ${num(byTier.get(t)?.[op] ?? Number.NaN)} ms`,
              )
              .join(", "),
          }),
        );
      }
      figures.push(
        figure({
          bench: "growth",
          name: `${backend.name}, seeding ${(last - (byTier.size > 1 ? (tiers.at(-2) ?? 0) : 0)).toLocaleString("en-US")} orgs through the Store API`,
          value: high.seedSeconds,
          unit: "s",
          note: `${FILLER_ANSWERS} answers per org; about ${6 + 2 * FILLER_ANSWERS} store operations each`,
        }),
      );
    } finally {
      await backend.close();
    }
  }
  return figures;
}

if (isMain(import.meta.url)) {
  printFigures(await runGrowthBench({ log: (l) => console.log(l) }));
}
