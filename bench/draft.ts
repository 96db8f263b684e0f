/**
 * Section drafting against the local OpenAI-compatible stub (test/stub) with a fixed latency L per
 * call, in one run:
 *  - wall time, sequential (concurrency 1) vs parallel (concurrency = sections in the draft), and
 *    with the default LLM_CONCURRENCY; goal: parallel ≤ 1.3 L + 200 ms;
 *  - time to the first `onProgress` callback, and through the bot (/draft on the full bot, memory
 *    store, a member whose 79 questions are answered): time to the first progress message
 *    (“起草中…”) and to the first “起草中 k/N” edit; goal: first progress message < 300 ms;
 *  - prompt tokens of one draft (the stub's usage, summed over the per-section calls) vs ONE
 *    whole-report prompt carrying the same rules, section prompts and answers; goal: per-section
 *    total ≤ 2 × (answers + section prompt texts), both counted with the stub's estimateTokens;
 *    and no section's call carries another section's answers (beyond what the design gives it:
 *    the shortcomings for next-year, an 80-character line per section for the intro);
 *  - the offline composer on the full answer set (the synthetic set: all 15 sections).
 * Two answer sets: the panlong-2023 answers file (13 of 15 sections answered, free text) and a
 * synthetic set answering every question of all 15 sections (keyed by question id, as in chat).
 * Run: npx tsx bench/draft.ts        (BENCH_LATENCY_MS, default 500; the suite runs L = 300 ms)
 */
import { performance } from "node:perf_hooks";
import type { Transformer } from "grammy";
import { createBot } from "../src/bot/bot.js";
import { loadConfig } from "../src/config.js";
import type { OrgBasics } from "../src/domain/types.js";
import { type DraftResult, draftReport } from "../src/draft/drafter.js";
import { fillPlaceholders } from "../src/draft/formal.js";
import {
  buildMessages,
  DATA_END,
  DATA_START,
  SELF_EXPLAINING_ANSWER,
} from "../src/draft/messages.js";
import { requestFromFile } from "../src/draft/request.js";
import type { DraftRequest, SectionFacts } from "../src/draft/types.js";
import { LlmClient } from "../src/llm/client.js";
import { createLogger } from "../src/log.js";
import { Store } from "../src/store/store.js";
import { loadTemplate } from "../src/template/load.js";
import {
  estimateTokens,
  messageText,
  type OpenAIStub,
  promptTokens,
  type StubChatBody,
  type StubRequest,
  startOpenAIStub,
} from "../test/stub/openai-stub.js";
import {
  BENCH_BOT_INFO,
  BENCH_NOW,
  BenchApi,
  dataOf,
  type Figure,
  figure,
  isMain,
  num,
  printFigures,
  seedOrg,
  Updates,
  writeBackAnswers,
} from "./lib.js";

/** The product's default LLM_CONCURRENCY (config.ts), read rather than copied. */
const DEFAULT_CONCURRENCY = loadConfig({}).LLM_CONCURRENCY;
const FIRST_PROGRESS_GOAL_MS = 300;

const template = loadTemplate();
const logger = createLogger("error");

// --- answer sets ----------------------------------------------------------------------------

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

const sets = (): { name: string; request: DraftRequest }[] => [
  {
    name: "panlong-2023",
    request: requestFromFile(template, "test/fixtures/answers/panlong-2023.json"),
  },
  { name: "synthetic-15", request: syntheticRequest() },
];

// --- the stub ------------------------------------------------------------------------------

function client(stub: OpenAIStub, concurrency: number, L: number): LlmClient {
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
  /** Calls whose data carries answers of another section than the designed extras allow. */
  leaks: string[];
  /** Prompt tokens identical at the start of every call (see sharedPrefixTokens). */
  sharedPrefix: number;
  /** Tokens of the labels sent beside the answers (see labelTokens). */
  labels: Labels;
  result: DraftResult;
}

/** The quoted answer texts as buildMessages puts them in the data. */
const quoted = (facts: SectionFacts) =>
  new Set(facts.facts.map((f) => f.text.replaceAll(DATA_START, "〔材料开始〕")));

/**
 * Checks what each call carried: its 本节材料 must be its own section's answers; the only other
 * data are the org, the unanswered required questions, the shortcomings (next-year only) and the
 * key-facts lines (intro only).
 */
function leaksOf(request: DraftRequest, requests: StubRequest[]): string[] {
  const leaks: string[] = [];
  const allowed = new Set(["单位", "本节", "本节材料", "待补充的事实"]);
  for (const req of requests) {
    const data = dataOf(req);
    const facts = request.sections.find((s) => s.section.title === data.本节);
    if (!facts) {
      leaks.push(`unknown section ${data.本节}`);
      continue;
    }
    const own = quoted(facts);
    for (const item of data.本节材料)
      if (!own.has(item.回答))
        leaks.push(`${facts.section.id}: 本节材料 "${item.回答.slice(0, 20)}…"`);
    for (const field of Object.keys(data)) {
      if (allowed.has(field)) continue;
      if (field === "存在的不足及原因" && facts.section.part === "next-year") continue;
      if (field === "全年要点" && facts.section.part === "intro") continue;
      leaks.push(`${facts.section.id}: field ${field}`);
    }
  }
  return leaks;
}

async function run(
  stub: OpenAIStub,
  L: number,
  set: string,
  request: DraftRequest,
  mode: string,
  concurrency: number | undefined,
): Promise<Run> {
  stub.clear();
  const llm = concurrency === undefined ? undefined : client(stub, concurrency, L);
  let firstProgressMs = Number.NaN;
  const started = performance.now();
  const result = await draftReport({ template, ...(llm ? { llm } : {}), logger }, request, {
    onProgress: () => {
      if (Number.isNaN(firstProgressMs)) firstProgressMs = performance.now() - started;
    },
  });
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
    leaks: leaksOf(request, stub.requests),
    sharedPrefix: sharedPrefixTokens(stub.requests),
    labels: labelTokens(stub.requests),
    result,
  };
}

/**
 * Prompt tokens at the start of every call that are identical across all calls, counted as the
 * stub counts them (promptTokens: 3, then 4 + the content per message): the messages equal in
 * every call, then the common beginning of the first one that differs. Providers with prefix
 * caching bill such a prefix at a reduced rate after the first call (OpenAI from 1,024 tokens).
 */
function sharedPrefixTokens(requests: StubRequest[]): number {
  const lists = requests.map((r) =>
    r.body.messages.map((m) => `${m.role}\n${messageText(m.content)}`),
  );
  const first = lists[0];
  if (!first || lists.length < 2) return 0;
  let tokens = 3;
  for (const [i, message] of first.entries()) {
    const others = lists.map((l) => l[i] ?? "");
    if (others.every((m) => m === message)) {
      tokens += 4 + estimateTokens(message.slice(message.indexOf("\n") + 1));
      continue;
    }
    let n = 0;
    while (n < message.length && others.every((m) => m[n] === message[n])) n += 1;
    const common = message.slice(0, n);
    // The role line is part of the per-message overhead, not of the content.
    if (common.includes("\n")) tokens += 4 + estimateTokens(common.slice(common.indexOf("\n") + 1));
    break;
  }
  return tokens;
}

interface Labels {
  /** Full question texts (问题): sent beside answers too short to read alone. */
  questions: number;
  /** Short topics (事项, the question's lead) beside the answers that name their own subject. */
  topics: number;
  /** Answers carried with each kind of label. */
  withQuestion: number;
  withTopic: number;
}

/** What the calls carried beside the answers (本节材料 and the next-year's shortcomings). */
function labelTokens(requests: StubRequest[]): Labels {
  const labels: Labels = { questions: 0, topics: 0, withQuestion: 0, withTopic: 0 };
  for (const req of requests) {
    const data = dataOf(req);
    const items = [...data.本节材料, ...((data.存在的不足及原因 ?? []) as typeof data.本节材料)];
    for (const item of items as { 问题?: string; 事项?: string }[]) {
      if (item.问题 !== undefined) {
        labels.questions += estimateTokens(item.问题);
        labels.withQuestion += 1;
      }
      if (item.事项 !== undefined) {
        labels.topics += estimateTokens(item.事项);
        labels.withTopic += 1;
      }
    }
  }
  return labels;
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
    const text = user ?? "";
    if (system !== template.draftingRules || !text.startsWith(prompt))
      throw new Error(`unexpected messages: ${facts.section.id}`);
    rules = system;
    prompts.push(`【${facts.section.title}】\n${prompt}`);
    const { 单位, ...data } = JSON.parse(
      text.slice(text.indexOf(DATA_START) + DATA_START.length, text.indexOf(DATA_END)),
    );
    org = 单位;
    parts.push(data);
  }
  const data = JSON.stringify({ 单位: org, 各部分: parts });
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
  /** Per-section drafting: Σ prompt + Σ completion tokens over its calls. */
  perSection: number;
  /** One whole-report call: its prompt plus the same completion (the same text is written). */
  single: number;
  answers: number;
  sectionPrompts: number;
  budget: number;
  met: boolean;
}

function tokens(set: string, request: DraftRequest, run: Run): Tokens {
  const sections = called(request);
  const answers = sections.flatMap((s) => s.facts).reduce((n, f) => n + estimateTokens(f.text), 0);
  const sectionPrompts = sections.reduce((n, s) => n + estimateTokens(s.section.prompt), 0);
  const perSection = run.promptTokens + run.completionTokens;
  const budget = 2 * (answers + sectionPrompts);
  return {
    set,
    perSection,
    single: promptTokens(wholeReportBody(request)) + run.completionTokens,
    answers,
    sectionPrompts,
    budget,
    met: perSection <= budget,
  };
}

// --- /draft through the bot ---------------------------------------------------------------------

/** Times /draft on the full bot: first “起草中…” message, first “起草中 k/N” edit, the whole. */
async function draftThroughBot(stub: OpenAIStub, L: number) {
  const store = Store.open("memory://");
  const userId = 4242;
  await seedOrg(store, template, 1, userId, 79);
  const api = new BenchApi();
  let started = 0;
  const seen: Record<"message" | "edit", number> = { message: Number.NaN, edit: Number.NaN };
  const timed: Transformer = (prev, method, payload) => {
    const text = String((payload as { text?: unknown }).text ?? "");
    const at = performance.now() - started;
    if (method === "sendMessage" && text.startsWith("起草中") && Number.isNaN(seen.message))
      seen.message = at;
    if (method === "editMessageText" && /^起草中 \d+\/\d+/.test(text) && Number.isNaN(seen.edit))
      seen.edit = at;
    return api.transformer(prev, method, payload);
  };
  const bot = createBot({
    token: "123456:bench-token",
    botInfo: BENCH_BOT_INFO,
    transport: timed,
    store,
    template,
    logger: createLogger("silent"),
    rateLimit: false,
    llm: client(stub, DEFAULT_CONCURRENCY, L),
    now: () => BENCH_NOW,
  });
  stub.clear();
  started = performance.now();
  await bot.handleUpdate(new Updates().text(userId, "/draft"));
  const wallMs = performance.now() - started;
  const drafts = await store.listDrafts((await store.getOrg("B0000001")) ?? never());
  await store.close();
  if (drafts.length !== 1 || stub.requests.length === 0)
    throw new Error(`/draft: ${drafts.length} drafts, ${stub.requests.length} calls`);
  return {
    firstMessageMs: seen.message,
    firstEditMs: seen.edit,
    wallMs,
    calls: stub.requests.length,
  };
}

function never(): never {
  throw new Error("the seeded org is missing");
}

// --- the bench -------------------------------------------------------------------------------

export async function runDraftBench(
  options: { latencyMs?: number; log?: (line: string) => void } = {},
): Promise<Figure[]> {
  const L = options.latencyMs ?? Number(process.env.BENCH_LATENCY_MS ?? 500);
  if (!Number.isFinite(L) || L < 0) throw new Error(`latency must be ≥ 0, got ${L}`);
  const log = options.log ?? (() => {});
  const goalMs = 1.3 * L + 200;
  const answerSets = sets();
  const stub = await startOpenAIStub({ reply: writeBackAnswers });
  const runs: Run[] = [];
  let botDraft: Awaited<ReturnType<typeof draftThroughBot>>;
  const benchStarted = performance.now();
  try {
    // Warm-up (no latency): module loading, JIT, HTTP keep-alive connections.
    stub.set({ latencyMs: 0 });
    for (const { name, request } of answerSets) await run(stub, L, name, request, "warm-up", 16);
    stub.set({ latencyMs: L });
    for (const { name, request } of answerSets) {
      const n = request.sections.filter((s) => s.facts.length > 0 || s.section.required).length;
      runs.push(await run(stub, L, name, request, "offline", undefined));
      runs.push(await run(stub, L, name, request, "sequential", 1));
      runs.push(await run(stub, L, name, request, "parallel", n));
      if (DEFAULT_CONCURRENCY < n)
        runs.push(await run(stub, L, name, request, "default", DEFAULT_CONCURRENCY));
    }
    botDraft = await draftThroughBot(stub, L);
  } finally {
    await stub.close();
  }

  const find = (set: string, mode: string) => runs.find((r) => r.set === set && r.mode === mode);
  const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}` : "-");
  /** Label columns (the first `labels`) aligned left, figures right. */
  const pad = (cells: (string | number)[], widths: number[], labels = 2) =>
    cells
      .map((c, i) =>
        i < labels ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0),
      )
      .join("  ");

  log(`drafting against the OpenAI stub, latency L = ${L} ms per call (maxRetries 0)`);
  log("");
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
  log(pad(head, widths));
  for (const r of runs) {
    log(
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
  log("");
  for (const r of runs) {
    if (r.promptTokens !== r.stubPromptTokens)
      throw new Error(`${r.set}/${r.mode}: usage ${r.promptTokens} ≠ stub ${r.stubPromptTokens}`);
  }

  const figures: Figure[] = [];
  const bench = "draft";
  for (const { name, request } of answerSets) {
    const seq = find(name, "sequential");
    const par = find(name, "parallel");
    const def = find(name, "default");
    const off = find(name, "offline");
    if (!seq || !par || !off) throw new Error(`missing runs for ${name}`);
    if (par.promptTokens !== seq.promptTokens)
      throw new Error(`${name}: prompt tokens differ between runs`);
    log(
      `${name}: sequential ${ms(seq.wallMs)} ms vs parallel ${ms(par.wallMs)} ms (${par.calls} calls) = ${(seq.wallMs / par.wallMs).toFixed(2)}×; ` +
        `goal parallel ≤ 1.3 L + 200 ms = ${ms(goalMs)} ms: ${par.wallMs <= goalMs ? "met" : "NOT met"}` +
        (def ? `; with the default LLM_CONCURRENCY=${def.concurrency}: ${ms(def.wallMs)} ms` : ""),
    );
    const t = tokens(name, request, par);
    figures.push(
      figure({
        bench,
        name: `${name}, ${par.calls} calls in parallel, L = ${L} ms: wall (warm)`,
        value: par.wallMs,
        unit: "ms",
        baseline: { name: "sequential", value: seq.wallMs },
        goal: `≤ 1.3 L + 200 = ${ms(goalMs)} ms`,
        met: par.wallMs <= goalMs,
        note:
          `${num(par.wallMs / L)} L; max ${par.maxInFlight} calls in flight` +
          (def
            ? `; default LLM_CONCURRENCY=${def.concurrency}: ${ms(def.wallMs)} ms`
            : `; the default LLM_CONCURRENCY=${DEFAULT_CONCURRENCY} covers all ${par.calls} calls`),
      }),
      figure({
        bench,
        name: `${name}: first onProgress (parallel)`,
        value: par.firstProgressMs,
        unit: "ms",
        baseline: { name: "L", value: L },
        note: `sequential: ${ms(seq.firstProgressMs)} ms; onProgress fires as each section finishes (a section without answers is composed offline at once)`,
      }),
      figure({
        bench,
        name: `${name}: tokens (prompt + completion), per-section Σ`,
        value: t.perSection,
        unit: "tok",
        baseline: { name: "one whole-report call", value: t.single },
        goal: `≤ 2 × (answers + prompts) = ${num(t.budget)}`,
        met: t.met,
        note:
          `prompt ${num(par.promptTokens)} + completion ${num(par.completionTokens)} tok (the stub writes back the section's answers); ` +
          `answers ${num(t.answers)} tok, section prompts ${num(t.sectionPrompts)} tok, labels beside the answers ${num(par.labels.questions + par.labels.topics)} tok ` +
          `(${par.labels.withQuestion} answers under ${SELF_EXPLAINING_ANSWER} characters with their question, ${num(par.labels.questions)} tok; ` +
          `${par.labels.withTopic} with the question's short topic, ${num(par.labels.topics)} tok); ` +
          `shared prefix: the first ${num(par.sharedPrefix)} prompt tokens are identical in all ${par.calls} calls ` +
          `(${num(par.sharedPrefix * par.calls)} tok, ${num((100 * par.sharedPrefix * par.calls) / par.promptTokens)}% of the prompt tokens, billed at the cached rate after the first call by providers with prefix caching)`,
      }),
      figure({
        bench,
        name: `${name}: calls carrying another section's answers`,
        value: par.leaks.length,
        unit: "",
        goal: "0",
        met: par.leaks.length === 0,
        note:
          par.leaks.length === 0
            ? `${par.calls} calls checked: 本节材料 only the section's own; extras only shortcomings (next-year) and key-facts lines (intro)`
            : par.leaks.slice(0, 5).join("; "),
      }),
    );
    if (name === "synthetic-15") {
      const checkStart = performance.now();
      template.checker.check(off.result.text, { year: request.org.year });
      const checkMs = performance.now() - checkStart;
      figures.push(
        figure({
          bench,
          name: `offline composer, full answer set (${request.sections.length} sections, ${request.sections.reduce((n, s) => n + s.facts.length, 0)} answers)`,
          value: off.wallMs,
          unit: "ms",
          baseline: { name: "checker on its text", value: checkMs },
          note: `${off.result.text.length.toLocaleString("en-US")} characters: compose + assemble + grounding + checker`,
        }),
      );
    }
  }
  log(
    `/draft through the bot (${botDraft.calls} calls, default LLM_CONCURRENCY): first message ${ms(botDraft.firstMessageMs)} ms, first "起草中 k/N" ${ms(botDraft.firstEditMs)} ms, whole ${ms(botDraft.wallMs)} ms`,
  );
  figures.push(
    figure({
      bench,
      name: `/draft through the bot: first progress message “起草中…”`,
      value: botDraft.firstMessageMs,
      unit: "ms",
      baseline: { name: "L", value: L },
      goal: `< ${FIRST_PROGRESS_GOAL_MS} ms`,
      met: botDraft.firstMessageMs < FIRST_PROGRESS_GOAL_MS,
      note: `first “起草中 k/N” edit ${ms(botDraft.firstEditMs)} ms; whole /draft (${botDraft.calls} calls, 79 answers, incl. sending the draft) ${ms(botDraft.wallMs)} ms`,
    }),
  );
  log(`bench time ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);
  return figures;
}

if (isMain(import.meta.url)) {
  const figures = await runDraftBench({ log: (l) => console.log(l) });
  console.log("");
  printFigures(figures);
}
