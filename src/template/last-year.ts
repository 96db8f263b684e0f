import { createHash } from "node:crypto";
import type { LastYearReport } from "../domain/types.js";
import type { Question, Section, Template } from "./load.js";

/**
 * This year's interview on last year's report: each of its plan items becomes a question of the
 * section the item belongs to, each of its shortcomings a question of the shortcomings section,
 * merged into the template's own (after them) for one org. The result is an ordinary template,
 * so every command, progress count, /edit number, /history, the composer and the LLM draft treat
 * these questions like any other. They are optional: an office may have nothing to say on one.
 *
 * The wording is the caller's (messages/zh.ts IMPORTING; this layer lies below the messages).
 *
 * Ids: "<section>.ly-plan-<hash>" and "<section>.ly-short-<hash>", the hash taken from the item's
 * text. Ids go into callback data, split at ":" and limited to [a-z0-9.-] (callbacks.ts), so no
 * colon; a text hash rather than a position keeps an answer with its item when the same report is
 * imported again, and never attaches it to a different item of another report.
 */

const HASH_CHARS = 8;

/** What the questions say: the question, hint and the offline composer's lead per kind. */
export interface LastYearWording {
  planQuestion(item: string): string;
  planHint: string;
  planLead(item: string): string;
  shortcomingQuestion(item: string): string;
  shortcomingHint: string;
  shortcomingLead(item: string): string;
}

/** What the questions are made from: the stored record, or an answers file's lastYear block. */
export type LastYearItems = Pick<LastYearReport, "plans" | "shortcomings">;

/** The questions on last year's report, each item once, in the section it belongs to. */
export function lastYearQuestions(
  template: Template,
  report: LastYearItems | undefined,
  wording: LastYearWording,
): Question[] {
  if (!report) return [];
  const shortcomings = template.sections.find((s) => s.part === "shortcomings");
  const fallback = template.sections.find((s) => s.part === "measures");
  const seen = new Set<string>();
  const once = (q: Question | undefined): q is Question => {
    if (!q || seen.has(q.id)) return false;
    seen.add(q.id);
    return true;
  };
  const plans = report.plans.map((p) => {
    // An item mapped to a section this template lacks is still asked, in the first measures one.
    const section = template.section(p.section) ?? fallback;
    return section && planQuestion(section, p.text, wording);
  });
  const fixes = report.shortcomings.map(
    (s) => shortcomings && shortcomingQuestion(shortcomings, s.text, wording),
  );
  return [...plans, ...fixes].filter(once);
}

const merged = new WeakMap<Template, WeakMap<LastYearItems, Template>>();

/**
 * The template with last year's questions added to their sections; itself without a record.
 * Made once per template and record object (a message asks for it twice: its ids, its context).
 */
export function withLastYearItems(
  template: Template,
  report: LastYearItems | undefined,
  wording: LastYearWording,
): Template {
  if (!report) return template;
  let byReport = merged.get(template);
  if (!byReport) {
    byReport = new WeakMap();
    merged.set(template, byReport);
  }
  const cached = byReport.get(report);
  if (cached) return cached;
  const result = merge(template, lastYearQuestions(template, report, wording));
  byReport.set(report, result);
  return result;
}

function merge(template: Template, extra: Question[]): Template {
  if (extra.length === 0) return template;
  const sections: Section[] = template.sections.map((s) => {
    const own = extra.filter((q) => q.sectionId === s.id);
    return own.length === 0 ? s : { ...s, questions: [...s.questions, ...own] };
  });
  const sectionMap = new Map(sections.map((s) => [s.id, s]));
  const questionMap = new Map(sections.flatMap((s) => s.questions.map((q) => [q.id, q])));
  return {
    ...template,
    sections,
    section: (id) => sectionMap.get(id),
    question: (id) => questionMap.get(id),
  };
}

function planQuestion(section: Section, item: string, wording: LastYearWording): Question {
  return {
    id: `${section.id}.ly-plan-${hashOf(item)}`,
    sectionId: section.id,
    text: wording.planQuestion(item),
    hint: wording.planHint,
    required: false,
    lead: wording.planLead(item),
    none: "",
    lastYear: { kind: "plan", item },
  };
}

function shortcomingQuestion(section: Section, item: string, wording: LastYearWording): Question {
  return {
    id: `${section.id}.ly-short-${hashOf(item)}`,
    sectionId: section.id,
    text: wording.shortcomingQuestion(item),
    hint: wording.shortcomingHint,
    required: false,
    lead: wording.shortcomingLead(item),
    none: "",
    lastYear: { kind: "shortcoming", item },
  };
}

function hashOf(text: string): string {
  return createHash("sha256").update(text.trim()).digest("hex").slice(0, HASH_CHARS);
}
