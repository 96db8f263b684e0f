/**
 * Section drafting against the local OpenAI-compatible stub (test/stub) with a fixed latency L per
 * call, in one run:
 *  - wall time, sequential (concurrency 1) vs parallel (concurrency = sections in the draft), and
 *    with the default LLM_CONCURRENCY; goal: parallel ≤ 1.3 L + 200 ms;
 *  - time to the first `onProgress` callback;
 *  - prompt tokens of one draft (the stub's usage, summed over the per-section calls) vs ONE
 *    whole-report prompt carrying the same rules, section prompts and answers; goal: per-section
 *    total ≤ 2 × (answers + section prompt texts), both counted with the stub's estimateTokens.
 * Two answer sets: the panlong-2023 answers file (13 of 15 sections answered, free text) and a
 * synthetic set answering every question of all 15 sections (keyed by question id, as in chat).
 * Run: npx tsx bench/draft.ts        (BENCH_LATENCY_MS, default 500)
 */
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config.js";
import type { OrgBasics } from "../src/domain/types.js";
import { type DraftResult, draftReport } from "../src/draft/drafter.js";
import { fillPlaceholders } from "../src/draft/formal.js";
import { buildMessages, DATA_END, DATA_START } from "../src/draft/messages.js";
import { requestFromFile } from "../src/draft/request.js";
import type { DraftRequest, SectionFacts } from "../src/draft/types.js";
import { LlmClient } from "../src/llm/client.js";
import { createLogger } from "../src/log.js";
import { loadTemplate } from "../src/template/load.js";
import {
  estimateTokens,
  promptTokens,
  type StubChatBody,
  type StubRequest,
  startOpenAIStub,
} from "../test/stub/openai-stub.js";

const L = Number(process.env.BENCH_LATENCY_MS ?? 500);
if (!Number.isFinite(L) || L < 0) throw new Error(`BENCH_LATENCY_MS must be ≥ 0, got ${L}`);
const GOAL_MS = 1.3 * L + 200;
/** The product's default LLM_CONCURRENCY (config.ts), read rather than copied. */
const DEFAULT_CONCURRENCY = loadConfig({}).LLM_CONCURRENCY;

const template = loadTemplate();
const logger = createLogger("error");

// --- answer sets ----------------------------------------------------------------------------

const panlong = requestFromFile(template, "test/fixtures/answers/panlong-2023.json");

/** Every question of every section answered with a short factual sentence carrying figures. */
function syntheticRequest(): DraftRequest {
  const org: OrgBasics = { name: "洪梅镇", kind: "镇", superior: "东莞市", year: 2024 };
  const sections: SectionFacts[] = template.sections.map((section, si) => ({
    section,
    facts: section.questions.map((q, qi) => {
      const n = 3 + ((si * 7 + qi * 5) % 17);
      const lead = fillPlaceholders(q.lead, org).replace(/[。；，：\s]+$/u, "");
      return {
        questionId: q.id,
        text:
          `${lead}：全年开展${n}次，覆盖${n * 23 + qi}人次，完成率${90 + (qi % 10)}%，` +
          `相关做法已写入《${org.name}${section.title}工作台账（${org.year}年）》。`,
      };
    }),
  }));
  return { org, sections };
}

const sets: { name: string; request: DraftRequest }[] = [
  { name: "panlong-2023", request: panlong },
  { name: "synthetic-15", request: syntheticRequest() },
];

// --- the stub: a model that writes back its own section's answers ---------------------------

function dataOf(req: StubRequest): { 本节材料: { 回答: string }[] } {
  const text = String(req.body.messages.at(-1)?.content);
  return JSON.parse(
    text.slice(text.indexOf(DATA_START) + DATA_START.length, text.indexOf(DATA_END)),
  );
}

const stub = await startOpenAIStub({
  reply: (req) =>
    dataOf(req)
      .本节材料.map((f) => f.回答)
      .join("\n"),
});

function client(concurrency: number): LlmClient {
  return new LlmClient(
    {
      apiKey: "bench",
      baseURL: stub.baseURL,
      model: "stub-model",
      timeoutMs: Math.max(10_000, 4 * L),
      concurrency,
      maxRetries: 0,
    },
    logger,
  );
}

interface Run {
  set: string;
  mode: string;
  concurrency: number;
  /** Sections in the draft (required or answered); sections without facts need no call. */
  sections: number;
  calls: number;
  wallMs: number;
  firstProgressMs: number;
  maxInFlight: number;
  promptTokens: number;
  completionTokens: number;
  /** Σ promptTokens over the requests the stub received: must equal the draft's usage. */
  stubPromptTokens: number;
  result: DraftResult;
}

async function run(
  set: string,
  request: DraftRequest,
  mode: string,
  concurrency: number | undefined,
): Promise<Run> {
  stub.clear();
  const llm = concurrency === undefined ? undefined : client(concurrency);
  let firstProgressMs = Number.NaN;
  const started = performance.now();
  const result = await draftReport(
    { template, ...(llm ? { llm } : {}), logger, now: () => new Date() },
    request,
    {
      onProgress: () => {
        if (Number.isNaN(firstProgressMs)) firstProgressMs = performance.now() - started;
      },
    },
  );
  const wallMs = performance.now() - started;
  if (result.failures.length > 0)
    throw new Error(`${set}/${mode}: ${JSON.stringify(result.failures)}`);
  return {
    set,
    mode,
    concurrency: concurrency ?? 0,
    sections: result.sections.length,
    calls: stub.requests.length,
    wallMs,
    firstProgressMs,
    maxInFlight: stub.maxInFlight,
    promptTokens: result.usage.promptTokens,
    completionTokens: result.usage.completionTokens,
    stubPromptTokens: stub.requests.reduce((n, r) => n + promptTokens(r.body), 0),
    result,
  };
}

// --- one whole-report prompt -----------------------------------------------------------------

/** Sections a per-section draft sends to the LLM: those with facts. */
const called = (request: DraftRequest) => request.sections.filter((s) => s.facts.length > 0);

/**
 * What a single call drafting the whole report would need: what buildMessages sends for each
 * called section, deduplicated — the shared rules once, every section's prompt, the org's basics
 * once, and every section's data (answers, questions, unanswered required questions).
 */
function wholeReportBody(request: DraftRequest): StubChatBody {
  let rules = "";
  let org: unknown;
  const prompts: string[] = [];
  const parts: unknown[] = [];
  for (const facts of called(request)) {
    const [system, user] = buildMessages(template, request.org, facts).map((m) =>
      String(m.content),
    );
    const prompt = facts.section.prompt.trim();
    if (!system?.endsWith(prompt))
      throw new Error(`unexpected system message: ${facts.section.id}`);
    rules = system.slice(0, system.length - prompt.length).trim();
    prompts.push(`【${facts.section.title}】\n${prompt}`);
    const text = user ?? "";
    const { 单位, ...data } = JSON.parse(
      text.slice(text.indexOf(DATA_START) + DATA_START.length, text.indexOf(DATA_END)),
    );
    org = 单位;
    parts.push(data);
  }
  const data = JSON.stringify({ 单位: org, 各部分: parts }, null, 1);
  return {
    messages: [
      { role: "system", content: `${rules}\n\n${prompts.join("\n\n")}` },
      {
        role: "user",
        content: `${DATA_START}\n${data}\n${DATA_END}\n\n请根据材料依次撰写报告各部分正文。`,
      },
    ],
  };
}

interface Tokens {
  set: string;
  perSection: number;
  single: number;
  ratio: number;
  answers: number;
  sectionPrompts: number;
  budget: number;
  met: boolean;
}

function tokens(set: string, request: DraftRequest, perSection: number): Tokens {
  const sections = called(request);
  const answers = sections.flatMap((s) => s.facts).reduce((n, f) => n + estimateTokens(f.text), 0);
  const sectionPrompts = sections.reduce((n, s) => n + estimateTokens(s.section.prompt), 0);
  const single = promptTokens(wholeReportBody(request));
  const budget = 2 * (answers + sectionPrompts);
  return {
    set,
    perSection,
    single,
    ratio: perSection / single,
    answers,
    sectionPrompts,
    budget,
    met: perSection <= budget,
  };
}

// --- the run ---------------------------------------------------------------------------------

const benchStarted = performance.now();
// Warm-up (no latency): module loading, JIT, HTTP keep-alive connections.
stub.set({ latencyMs: 0 });
for (const { name, request } of sets) await run(name, request, "warm-up", 16);
stub.set({ latencyMs: L });

const runs: Run[] = [];
for (const { name, request } of sets) {
  const n = request.sections.filter((s) => s.facts.length > 0 || s.section.required).length;
  runs.push(await run(name, request, "offline", undefined));
  runs.push(await run(name, request, "sequential", 1));
  runs.push(await run(name, request, "parallel", n));
  if (DEFAULT_CONCURRENCY < n) runs.push(await run(name, request, "default", DEFAULT_CONCURRENCY));
}
await stub.close();

const find = (set: string, mode: string) => runs.find((r) => r.set === set && r.mode === mode);
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}` : "-");
/** Label columns (the first `labels`) aligned left, figures right. */
const pad = (cells: (string | number)[], widths: number[], labels = 2) =>
  cells
    .map((c, i) =>
      i < labels ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0),
    )
    .join("  ");

console.log(`drafting against the OpenAI stub, latency L = ${L} ms per call (maxRetries 0)`);
console.log("");
const head = [
  "set",
  "mode",
  "conc",
  "sections",
  "calls",
  "wall ms",
  "× L",
  "1st progress ms",
  "max in flight",
  "prompt tok",
  "compl tok",
];
const widths = head.map((h) => Math.max(h.length, 12));
console.log(pad(head, widths));
for (const r of runs) {
  console.log(
    pad(
      [
        r.set,
        r.mode,
        r.concurrency || "-",
        r.sections,
        r.calls,
        ms(r.wallMs),
        L > 0 ? (r.wallMs / L).toFixed(2) : "-",
        ms(r.firstProgressMs),
        r.maxInFlight,
        r.promptTokens,
        r.completionTokens,
      ],
      widths,
    ),
  );
}
console.log("");

const speed = sets.map(({ name }) => {
  const seq = find(name, "sequential");
  const par = find(name, "parallel");
  const def = find(name, "default");
  if (!seq || !par) throw new Error(`missing runs for ${name}`);
  return {
    set: name,
    calls: par.calls,
    sequentialMs: Math.round(seq.wallMs),
    parallelMs: Math.round(par.wallMs),
    ratio: Number((seq.wallMs / par.wallMs).toFixed(2)),
    parallelGoalMs: Math.round(GOAL_MS),
    parallelGoalMet: par.wallMs <= GOAL_MS,
    ...(def ? { defaultConcurrency: def.concurrency, defaultMs: Math.round(def.wallMs) } : {}),
    firstProgressMs: {
      sequential: Math.round(seq.firstProgressMs),
      parallel: Math.round(par.firstProgressMs),
    },
  };
});
for (const s of speed) {
  console.log(
    `${s.set}: sequential ${s.sequentialMs} ms vs parallel ${s.parallelMs} ms (${s.calls} calls) = ${s.ratio}×; ` +
      `goal parallel ≤ 1.3 L + 200 ms = ${s.parallelGoalMs} ms: ${s.parallelGoalMet ? "met" : "NOT met"}` +
      (s.defaultMs === undefined
        ? ""
        : `; with the default LLM_CONCURRENCY=${s.defaultConcurrency}: ${s.defaultMs} ms`),
  );
}
console.log(
  "first progress: the drafter calls onProgress as each section finishes, so the first call comes " +
    "after about one LLM call (sooner when a section without answers is composed offline at once); " +
    "the bot sends its first progress message (“起草中…”) before drafting starts, so the user sees " +
    "feedback at once, and “起草中 k/N” edits follow from the first callback.",
);
console.log("");

for (const r of runs) {
  if (r.promptTokens !== r.stubPromptTokens)
    throw new Error(`${r.set}/${r.mode}: usage ${r.promptTokens} ≠ stub ${r.stubPromptTokens}`);
}
const tokenRows = sets.map(({ name, request }) => {
  const par = find(name, "parallel");
  const seq = find(name, "sequential");
  if (!par || !seq || par.promptTokens !== seq.promptTokens)
    throw new Error(`${name}: prompt tokens differ between runs`);
  return tokens(name, request, par.promptTokens);
});
const tHead = [
  "set",
  "per-section Σ",
  "whole-report",
  "ratio",
  "answers",
  "sect prompts",
  "2×(a+p)",
  "goal",
];
const tWidths = tHead.map((h) => Math.max(h.length, 12));
console.log("prompt tokens per draft (estimateTokens; per-section Σ = the stub's usage)");
console.log(pad(tHead, tWidths, 1));
for (const t of tokenRows) {
  console.log(
    pad(
      [
        t.set,
        t.perSection,
        t.single,
        `${t.ratio.toFixed(2)}×`,
        t.answers,
        t.sectionPrompts,
        t.budget,
        t.met ? "met" : "NOT met",
      ],
      tWidths,
      1,
    ),
  );
}
console.log(
  "whole-report = one prompt with the rules once, the prompts of the same called sections, the " +
    "org once and every section's data; goal: per-section Σ ≤ 2 × (answers + section prompt texts).",
);
console.log(`bench time ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);

console.log(
  JSON.stringify({
    bench: "draft",
    latencyMs: L,
    speed,
    tokens: tokenRows.map((t) => ({ ...t, ratio: Number(t.ratio.toFixed(3)) })),
  }),
);
