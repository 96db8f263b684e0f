import pLimit from "p-limit";
import { checkReport } from "../check/checker.js";
import type { CheckResult } from "../check/types.js";
import type { OrgBasics } from "../domain/types.js";
import type { LlmClient, Usage } from "../llm/client.js";
import { errorData, type Logger } from "../log.js";
import type { Template } from "../template/load.js";
import { type Assembled, assemble } from "./assemble.js";
import { findUngrounded } from "./grounding.js";
import { buildMessages, type Extras } from "./messages.js";
import { composeSection } from "./offline.js";
import type { DraftedSection, DraftRequest, SectionFacts, Ungrounded } from "./types.js";

export interface DrafterDeps {
  template: Template;
  /** Absent: every section comes from the offline composer. */
  llm?: LlmClient;
  logger: Logger;
  now: () => Date;
}

export interface DraftResult extends Assembled {
  sections: DraftedSection[];
  check: CheckResult;
  ungrounded: Ungrounded[];
  usage: Usage;
  /** LLM calls that failed after the SDK's retries; those sections were composed offline. */
  failures: { section: string; error: string }[];
  timingsMs: { total: number; sections: Record<string, number> };
  /** Token usage of every LLM call that answered, per section. */
  calls: ({ section: string; ms: number } & Usage)[];
}

export interface DraftHooks {
  /** Called as each section finishes: "起草中 4/12". */
  onProgress?: (done: number, total: number) => void;
}

interface SectionOutcome {
  drafted: DraftedSection;
  usage: Usage;
  ms: number;
  failure?: string;
}

/** Drafts every section in one bounded parallel round, then assembles, grounds and checks. */
export async function draftReport(
  deps: DrafterDeps,
  request: DraftRequest,
  hooks: DraftHooks = {},
): Promise<DraftResult> {
  const started = performance.now();
  const work = request.sections.filter((s) => s.facts.length > 0 || s.section.required);
  const limit = pLimit(deps.llm?.settings.concurrency ?? 1);
  const extrasFor = sharedContext(request);
  let done = 0;
  const warmUp = deps.llm ? setTimeout(() => warmUpChecker(deps.template), WARM_UP_AFTER_MS) : null;
  const outcomes = await Promise.all(
    work.map((facts) =>
      limit(async () => {
        const outcome = await draftSection(deps, request.org, facts, extrasFor(facts));
        done += 1;
        hooks.onProgress?.(done, work.length);
        return outcome;
      }),
    ),
  );
  if (warmUp) clearTimeout(warmUp);
  return finish(deps, request, outcomes, started);
}

/** Long enough for the calls to be on the wire, far shorter than any model's answer. */
const WARM_UP_AFTER_MS = 50;
let checkerWarm = false;

/**
 * The first check in a process costs ~100 ms of CPU more than later ones (rules compiled, regular
 * expressions run cold). A draft's check comes after its calls: run one on the template's own
 * text while the calls wait on the network, so the first draft after a start pays it there.
 */
function warmUpChecker(template: Template): void {
  if (checkerWarm) return;
  checkerWarm = true;
  checkReport(
    template.sections
      .map((s) => `${s.title}\n${s.questions.map((q) => q.text).join("")}`)
      .join("\n"),
  );
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
  const facts = request.sections.find((s) => s.section.id === sectionId);
  const current = previous.find((s) => s.id === sectionId);
  if (!facts) throw new Error(`unknown section ${sectionId}`);
  const extras = {
    ...sharedContext(request)(facts),
    revise: { previous: current?.text ?? "", instruction },
  };
  const revised = await draftSection(deps, request.org, facts, extras);
  const kept = previous
    .filter((s) => s.id !== sectionId)
    .map((drafted) => ({ drafted, usage: { promptTokens: 0, completionTokens: 0 }, ms: 0 }));
  return finish(deps, request, [...kept, revised], started);
}

async function draftSection(
  deps: DrafterDeps,
  org: OrgBasics,
  facts: SectionFacts,
  extras: Extras,
): Promise<SectionOutcome> {
  const { section } = facts;
  const offline = (failure?: string): SectionOutcome => ({
    drafted: {
      id: section.id,
      title: section.title,
      text: composeSection(org, facts),
      source: "offline",
    },
    usage: { promptTokens: 0, completionTokens: 0 },
    ms: 0,
    ...(failure ? { failure } : {}),
  });
  // Nothing to write from: the composer marks the gap without spending a call.
  if (!deps.llm || facts.facts.length === 0) return offline();
  try {
    const completion = await deps.llm.complete(buildMessages(deps.template, org, facts, extras));
    deps.logger.info("llm call", {
      section: section.id,
      ms: Math.round(completion.ms),
      ...completion.usage,
    });
    return {
      drafted: { id: section.id, title: section.title, text: tidy(completion.text), source: "llm" },
      usage: completion.usage,
      ms: completion.ms,
    };
  } catch (error) {
    deps.logger.warn("llm call failed, composing offline", {
      section: section.id,
      ...errorData(error),
    });
    return offline(error instanceof Error ? error.message : String(error));
  }
}

/** The cross-section context, computed from answers only, so no call waits for another. */
function sharedContext(request: DraftRequest): (facts: SectionFacts) => Extras {
  const shortcomings = request.sections.find((s) => s.section.part === "shortcomings");
  const keyFacts = request.sections
    .filter((s) => s.section.part !== "intro" && s.facts.length > 0)
    .map((s) => `${s.section.title}：${clip(s.facts.map((f) => f.text).join("；"), 80)}`);
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
): DraftResult {
  const order = new Map(deps.template.sections.map((s, i) => [s.id, i]));
  const sorted = outcomes.toSorted(
    (a, b) => (order.get(a.drafted.id) ?? 0) - (order.get(b.drafted.id) ?? 0),
  );
  const sections = sorted.map((o) => o.drafted);
  const assembled = assemble(deps.template, request.org, sections, deps.now());
  const sources = groundingSources(request);
  return {
    ...assembled,
    sections,
    check: checkReport(assembled.text, { year: request.org.year }),
    ungrounded: sections.flatMap((s) => findUngrounded(s.id, s.text, sources)),
    usage: {
      promptTokens: sum(sorted, (o) => o.usage.promptTokens),
      completionTokens: sum(sorted, (o) => o.usage.completionTokens),
    },
    failures: sorted.flatMap((o) =>
      o.failure ? [{ section: o.drafted.id, error: o.failure }] : [],
    ),
    calls: sorted
      .filter((o) => o.drafted.source === "llm" && o.ms > 0)
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

/** Models like to add a heading or Markdown despite the prompt; the outline supplies headings. */
function tidy(text: string): string {
  return text
    .replace(/^\s*#+\s.*\n/, "")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .trim();
}

function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function sum<T>(items: T[], of: (item: T) => number): number {
  return items.reduce((n, item) => n + of(item), 0);
}
