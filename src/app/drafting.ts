import type { Draft, LastYearPlan, LastYearReport, Org } from "../domain/types.js";
import {
  type DrafterDeps,
  type DraftHooks,
  type DraftResult,
  draftReport,
  reviseSection,
} from "../draft/drafter.js";
import { exportFileName } from "../draft/genre.js";
import { requestFromAnswers } from "../draft/request.js";
import { toMarkdown } from "../export/markdown.js";
import { parseOutline } from "../export/outline.js";
import type { ImportContext } from "../import/context.js";
import type { ExportFormat } from "../interview/callbacks.js";
import { withLastYear } from "../interview/last-year.js";
import { findSection } from "../interview/refs.js";
import { templateForKind } from "../messages/wording.js";
import type { Seat, Store } from "../store/store.js";
import type { Section, Template } from "../template/load.js";
import { cleanText } from "../text/sanitize.js";
import { accountForLastYear } from "./checking.js";

/**
 * The drafting use cases: draft, revise one section, list, the latest draft, export. Any member
 * may use them; every draft is stamped with the injected clock.
 */

export interface DraftingDeps {
  store: Store;
  template: Template;
  drafter: DrafterDeps;
  now: () => Date;
  /** With it, a draft says which of last year's plan items it never mentions. */
  imports?: ImportContext;
}

export interface Drafted {
  saved: Draft;
  result: DraftResult;
}

/** Drafts the report from the org's current answers and saves it as the next version. */
export async function draft(deps: DraftingDeps, seat: Seat, hooks?: DraftHooks): Promise<Drafted> {
  const { drafter, request, lastYear } = await prepare(deps, seat);
  const result = await draftReport(drafter, request, hooks);
  return { saved: await save(deps, seat, result, lastYear), result };
}

export type Revision =
  | (Drafted & { section: Section })
  | { problem: "usage" }
  | { problem: "noDraft" }
  /** No LLM: a section cannot be rewritten by instruction offline, so nothing is made. */
  | { problem: "offline"; section: Section };

/** Redrafts one section of the latest draft with an instruction ("执法 突出数据"). */
export async function revise(
  deps: DraftingDeps,
  seat: Seat,
  arg: string,
  onStart?: (section: Section, instruction: string) => Promise<void>,
): Promise<Revision> {
  const [target = "", ...rest] = arg.trim().split(/\s+/);
  const instruction = cleanText(rest.join(" "));
  const section = findSection(templateForKind(deps.template, seat.org.kind), target);
  if (!section) return { problem: "usage" };
  if (!deps.drafter.llm) return { problem: "offline", section };
  if (instruction === "") return { problem: "usage" };
  const previous = await latest(deps, seat.org);
  if (!previous) return { problem: "noDraft" };
  const { drafter, request, lastYear } = await prepare(deps, seat);
  await onStart?.(section, instruction);
  const result = await reviseSection(drafter, request, previous.sections, section.id, instruction);
  return { saved: await save(deps, seat, result, lastYear), result, section };
}

export function listDrafts(deps: DraftingDeps, org: Org): Promise<Draft[]> {
  return deps.store.listDrafts(org);
}

/** The newest saved draft: the one way every use case finds it. */
export function latest(deps: Pick<DraftingDeps, "store">, org: Org): Promise<Draft | undefined> {
  return deps.store.latestDraft(org);
}

export interface ExportedFile {
  draft: Draft;
  fileName: string;
  bytes: Buffer;
}

/** The latest draft as a Word or Markdown file; undefined when there is no draft yet. */
export async function exportLatest(
  deps: Pick<DraftingDeps, "store" | "template">,
  org: Org,
  format: ExportFormat,
): Promise<ExportedFile | undefined> {
  const found = await latest(deps, org);
  if (!found) return undefined;
  const outline = parseOutline(found.text);
  // docx is loaded on the first .docx export, not at every start of the bot (issue 17).
  const bytes =
    format === "docx"
      ? await (await import("../export/docx.js")).toDocx(outline)
      : Buffer.from(toMarkdown(outline), "utf8");
  return { draft: found, fileName: exportFileName(deps.template.genre, org, format), bytes };
}

/**
 * The org's answers as a drafting request; the drafter reads the questions as the office reads
 * them (its own 镇党委/乡党委/街道党工委 …), so the model never sees a placeholder. The answers on
 * last year's report are among them, each under its section with the item as its question.
 */
async function prepare(deps: DraftingDeps, seat: Seat) {
  const lastYear = await deps.store.getLastYear(seat.org.id);
  const template = withLastYear(templateForKind(deps.template, seat.org.kind), lastYear);
  const answers = await deps.store.answersOf(seat.org, template);
  return {
    drafter: { ...deps.drafter, template },
    request: requestFromAnswers(template, seat.org, answers),
    lastYear,
  };
}

/** Last year's plan items and whether the draft mentions each; none without a record. */
function plansOf(
  deps: DraftingDeps,
  lastYear: LastYearReport | undefined,
  text: string,
): LastYearPlan[] | undefined {
  if (!deps.imports || !lastYear || lastYear.plans.length === 0) return undefined;
  return accountForLastYear(text, lastYear, deps.imports);
}

async function save(
  deps: DraftingDeps,
  seat: Seat,
  result: DraftResult,
  lastYear: LastYearReport | undefined,
): Promise<Draft> {
  const plans = plansOf(deps, lastYear, result.text);
  return deps.store.addDraft(seat.org, {
    createdAt: deps.now().toISOString(),
    author: seat.member.userId,
    authorName: seat.member.displayName,
    title: result.title,
    text: result.text,
    markdown: result.markdown,
    sections: result.sections,
    check: result.check,
    ungrounded: result.ungrounded,
    usage: result.usage,
    ...(plans ? { lastYearPlans: plans } : {}),
  });
}
