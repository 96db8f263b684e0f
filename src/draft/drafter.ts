import { setMaxListeners } from "node:events";
import { setImmediate as nextTurn } from "node:timers/promises";
import pLimit from "p-limit";
import { LLM_DEFAULTS } from "../config.js";
import type { CheckResult } from "../domain/check-result.js";
import type { OrgBasics } from "../domain/types.js";
import type { LlmClient, Usage } from "../llm/client.js";
import { LlmError } from "../llm/error.js";
import type { Logger } from "../log.js";
import type { Template } from "../template/load.js";
import { shorten } from "../text/shorten.js";
import { type Assembled, assemble } from "./assemble.js";
import { findUngrounded, prepareGrounding } from "./grounding.js";
import { buildMessages, type Extras } from "./messages.js";
import { composeSection } from "./offline.js";
import { placeRepeatedFacts } from "./repeats.js";
import { checkReply, FAILURE_REASONS, type FailureReason, maxTokensFor } from "./reply.js";
import { withoutStaffNotes } from "./staff-notes.js";
import type { DraftedSection, DraftRequest, SectionFacts, Ungrounded } from "./types.js";

export interface DrafterDeps {
  template: Template;
  /** Absent: every section comes from the offline composer. */
  llm?: LlmClient;
  logger: Logger;
}

export interface DraftResult extends Assembled {
  sections: DraftedSection[];
  check: CheckResult;
  ungrounded: Ungrounded[];
  usage: Usage;
  /**
   * Sections the LLM did not write usably (twice): each was composed offline. `reason` is for the
   * user (超时, 截断, 非中文, 格式, 过短, 调用失败), `detail` for the log.
   */
  failures: Failure[];
  timingsMs: { total: number; sections: Record<string, number> };
  /** Token usage of every LLM call that answered, per section. */
  calls: ({ section: string; ms: number } & Usage)[];
}

export interface Failure {
  section: string;
  reason: FailureReason;
  detail: string;
}

export interface DraftHooks {
  /** Called as each section finishes: "起草中 4/12". */
  onProgress?: (done: number, total: number) => void;
}

interface SectionOutcome {
  drafted: DraftedSection;
  usage: Usage;
  ms: number;
  failure?: { reason: FailureReason; detail: string };
}

/** A rejected or failed reply is asked for once more before the composer takes over. */
const ATTEMPTS = 2;

/** Drafts every section in one bounded parallel round, then assembles, grounds and checks. */
export async function draftReport(
  deps: DrafterDeps,
  request: DraftRequest,
  hooks: DraftHooks = {},
): Promise<DraftResult> {
  const started = performance.now();
  const clean = placeRepeatedFacts(withoutStaffNotes(deps.template, request));
  const work = clean.sections.filter(
    (s) => s.facts.length > 0 || (s.gaps?.length ?? 0) > 0 || s.section.required,
  );
  const limit = pLimit(deps.llm?.settings.concurrency ?? 1);
  const extrasFor = sharedContext(clean);
  const deadline = draftDeadline(deps);
  const sources = groundingSources(clean);
  let done = 0;
  const cancelPrep = deps.llm ? whenIdle(() => prepareFinish(deps.template, clean, sources)) : null;
  const running: Promise<SectionOutcome>[] = [];
  for (const facts of work) {
    const outcome = limit(async () => {
      const outcome = await draftSection(deps, clean.org, facts, extrasFor(facts), deadline);
      done += 1;
      hooks.onProgress?.(done, work.length);
      return outcome;
    });
    outcome.catch(() => {}); // awaited below with the others; not unhandled meanwhile
    running.push(outcome);
    // One call at a time is prepared and handed to the network, each in a turn of the event
    // loop: the first leaves at once rather than after the last is prepared (~100 ms of CPU in
    // a fresh process), and the replies come back spread out, each checked as it arrives.
    if (deps.llm && facts.facts.length > 0) await nextTurn();
  }
  const outcomes = await Promise.all(running);
  cancelPrep?.();
  return finish(deps, clean, outcomes, started, sources);
}

/** Aborted when the whole draft must end (LLM_DRAFT_DEADLINE_MS); its timer keeps no process alive. */
function draftDeadline(deps: DrafterDeps): AbortSignal {
  const signal = AbortSignal.timeout(
    deps.llm?.settings.draftDeadlineMs ?? LLM_DEFAULTS.draftDeadlineMs,
  );
  // Every call in flight listens to it: up to LLM_CONCURRENCY listeners, not a leak.
  setMaxListeners(0, signal);
  return signal;
}

/** How often, and below which share of busy time, the loop counts as waiting on the network. */
const IDLE_POLL_MS = 10;
const IDLE_UTILIZATION = 0.5;

/**
 * Runs `work` once the event loop is mostly idle over IDLE_POLL_MS (Node's event-loop
 * utilization): every call has been written and the process waits on the network. A fixed delay
 * does not do: in a fresh process preparing the calls takes longer than any delay that is short
 * enough, and work run then holds back the calls still to be written. Returns a cancel function.
 */
function whenIdle(work: () => void): () => void {
  let since = performance.eventLoopUtilization();
  let timer = setTimeout(function poll() {
    const now = performance.eventLoopUtilization();
    if (performance.eventLoopUtilization(now, since).utilization < IDLE_UTILIZATION) return work();
    since = now;
    timer = setTimeout(poll, IDLE_POLL_MS);
  }, IDLE_POLL_MS);
  return () => clearTimeout(timer);
}

let checkerWarm = false;

/**
 * What the end of a draft needs and the calls do not, done while they wait on the network: the
 * answers indexed for grounding and, once per process, a check of the answers themselves
 * assembled as a report: the checker's first runs in a process cost ~70 ms of CPU more than
 * later ones (expressions run cold; measured in a fresh `draft`), and its first run on a real
 * text then falls after the replies.
 */
function prepareFinish(
  template: Template,
  request: DraftRequest,
  sources: readonly string[],
): void {
  prepareGrounding(sources);
  if (checkerWarm) return;
  checkerWarm = true;
  const answers = request.sections.map((s) => ({
    id: s.section.id,
    title: s.section.title,
    text: s.facts.map((f) => f.text).join("\n"),
    source: "offline" as const,
  }));
  const { text } = assemble(template, request.org, answers);
  template.checker.check(text, { year: request.org.year });
}

/** Redrafts one section with the user's instruction and keeps every other section as it was. */
export async function reviseSection(
  deps: DrafterDeps,
  request: DraftRequest,
  previous: DraftedSection[],
  sectionId: string,
  instruction: string,
): Promise<DraftResult> {
  const started = performance.now();
  const clean = placeRepeatedFacts(withoutStaffNotes(deps.template, request));
  const facts = clean.sections.find((s) => s.section.id === sectionId);
  const current = previous.find((s) => s.id === sectionId);
  if (!facts) throw new Error(`unknown section ${sectionId}`);
  const extras = {
    ...sharedContext(clean)(facts),
    revise: { previous: current?.text ?? "", instruction },
  };
  const revised = await draftSection(deps, clean.org, facts, extras, draftDeadline(deps));
  const kept = previous
    .filter((s) => s.id !== sectionId)
    .map((drafted) => ({ drafted, usage: { promptTokens: 0, completionTokens: 0 }, ms: 0 }));
  return finish(deps, clean, [...kept, revised], started, groundingSources(clean));
}

async function draftSection(
  deps: DrafterDeps,
  org: OrgBasics,
  facts: SectionFacts,
  extras: Extras,
  deadline: AbortSignal,
): Promise<SectionOutcome> {
  const { section } = facts;
  const offline = (usage: Usage, failure?: SectionOutcome["failure"]): SectionOutcome => ({
    drafted: {
      id: section.id,
      title: section.title,
      text: composeSection(org, facts, {
        wording: deps.template.composer,
        ...(extras.shortcomings ? { shortcomings: extras.shortcomings } : {}),
      }),
      source: "offline",
    },
    usage,
    ms: 0,
    ...(failure ? { failure } : {}),
  });
  const none = { promptTokens: 0, completionTokens: 0 };
  // Nothing to write from: the composer marks the gap without spending a call.
  if (!deps.llm || facts.facts.length === 0) return offline(none);
  const messages = buildMessages(deps.template, org, facts, extras);
  const maxTokens = maxTokensFor(section, deps.llm.settings.maxTokens);
  const factText = facts.facts.map((f) => f.text).join("\n");
  let usage = none;
  let failure: NonNullable<SectionOutcome["failure"]> = {
    reason: FAILURE_REASONS.timeout,
    detail: "the draft's deadline passed before the call started",
  };
  for (let attempt = 1; attempt <= ATTEMPTS && !deadline.aborted; attempt++) {
    const outcome = await attemptSection(deps.llm, messages, maxTokens, deadline);
    if (outcome.usage) usage = addUsage(usage, outcome.usage);
    if ("text" in outcome) {
      const verdict = checkReply(outcome.text, section, factText);
      if (verdict.ok) {
        deps.logger.info("llm call", { section: section.id, ms: Math.round(outcome.ms), ...usage });
        return {
          drafted: { id: section.id, title: section.title, text: verdict.text, source: "llm" },
          usage,
          ms: outcome.ms,
        };
      }
      failure = { reason: verdict.reason, detail: verdict.detail };
    } else failure = outcome;
    deps.logger.warn("llm reply not used", { section: section.id, attempt, ...failure });
  }
  deps.logger.warn("composing offline", { section: section.id, ...failure });
  return offline(usage, failure);
}

type Attempt =
  | { text: string; usage: Usage; ms: number }
  | { reason: FailureReason; detail: string; usage?: undefined };

async function attemptSection(
  llm: LlmClient,
  messages: ReturnType<typeof buildMessages>,
  maxTokens: number,
  deadline: AbortSignal,
): Promise<Attempt> {
  try {
    return await llm.complete(messages, { maxTokens, signal: deadline });
  } catch (error) {
    if (!(error instanceof LlmError)) throw error;
    return { reason: FAILURE_REASONS[error.kind], detail: error.message };
  }
}

function addUsage(a: Usage, b: Usage): Usage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}

/** The cross-section context, computed from answers only, so no call waits for another. */
function sharedContext(request: DraftRequest): (facts: SectionFacts) => Extras {
  const shortcomings = request.sections.find((s) => s.section.part === "shortcomings");
  const keyFacts = request.sections
    .filter((s) => s.section.part !== "intro" && s.facts.length > 0)
    .map((s) => `${s.section.title}：${shorten(s.facts.map((f) => f.text).join("；"), 80)}`);
  return (facts) => {
    if (facts.section.part === "next-year" && shortcomings?.facts.length) return { shortcomings };
    if (facts.section.part === "intro") return { keyFacts };
    return {};
  };
}

function finish(
  deps: DrafterDeps,
  request: DraftRequest,
  outcomes: SectionOutcome[],
  started: number,
  sources: readonly string[],
): DraftResult {
  const order = new Map(deps.template.sections.map((s, i) => [s.id, i]));
  const sorted = outcomes.toSorted(
    (a, b) => (order.get(a.drafted.id) ?? 0) - (order.get(b.drafted.id) ?? 0),
  );
  const sections = sorted.map((o) => o.drafted);
  const assembled = assemble(deps.template, request.org, sections);
  return {
    ...assembled,
    sections,
    check: deps.template.checker.check(assembled.text, { year: request.org.year }),
    ungrounded: sections.flatMap((s) => findUngrounded(s.id, s.text, sources)),
    usage: {
      promptTokens: sum(sorted, (o) => o.usage.promptTokens),
      completionTokens: sum(sorted, (o) => o.usage.completionTokens),
    },
    failures: sorted.flatMap((o) => (o.failure ? [{ section: o.drafted.id, ...o.failure }] : [])),
    calls: sorted
      .filter((o) => o.usage.promptTokens > 0)
      .map((o) => ({ section: o.drafted.id, ms: Math.round(o.ms), ...o.usage })),
    timingsMs: {
      total: Math.round(performance.now() - started),
      sections: Object.fromEntries(sorted.map((o) => [o.drafted.id, Math.round(o.ms)])),
    },
  };
}

/** Everything a draft may quote: every answer of the org, its basics, and the years it reports on. */
function groundingSources(request: DraftRequest): string[] {
  const { org } = request;
  const basics = `${org.name} ${org.superior} ${org.year}年 ${org.year + 1}年`;
  return [basics, ...request.sections.flatMap((s) => s.facts.map((f) => f.text))];
}

function sum<T>(items: T[], of: (item: T) => number): number {
  return items.reduce((n, item) => n + of(item), 0);
}
