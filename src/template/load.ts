import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { z } from "zod";
import { type Checker, loadChecker } from "../check/checker.js";
import type { ChecklistItem } from "../check/checklist.js";
import { CheckerRulesError } from "../check/rules.js";
import type { Part } from "../domain/parts.js";
import { DEFAULT_PROMPTS_DIR } from "../paths.js";
import { displayPath, readYamlFile } from "../yaml/read.js";
import { type ComposerWording, loadComposerWording } from "./composer.js";
import { loadDraftingRules } from "./drafting.js";
import { loadStaffNotes } from "./notes.js";
import {
  PLACEHOLDERS,
  type ReportFile,
  reportFileSchema,
  type SectionFile,
  sectionFileSchema,
} from "./schema.js";

export interface Question {
  /** Full id, `${sectionId}.${questionId}`: the key of its answer. */
  id: string;
  sectionId: string;
  text: string;
  hint: string;
  required: boolean;
  /** Offline composer: the verb phrase presenting the answer ("一是{lead}。…"). */
  lead: string;
  /** Offline composer: the sentence for a none answer; "" leaves the item out. */
  none?: string;
  /** Offline composer: the answer as a sentence with figure slots ("培训{times}场"). */
  compose?: string;
  /**
   * Set on the questions this year's interview asks about last year's report (interview/
   * last-year.ts): the plan item or shortcoming asked about. Never in the YAML files.
   */
  lastYear?: { kind: "plan" | "shortcoming"; item: string };
}

export interface Section {
  id: string;
  title: string;
  part: Part;
  required: boolean;
  feeds: string[];
  /** Offline composer: the topic sentence, with {self} {name} {year} {superior}. */
  opening: string;
  questions: Question[];
  prompt: string;
  /** Length target in 字 of the section's body. */
  length: { min: number; max: number };
}

/** How a report of this type names itself; {placeholders} are filled from the org. */
export type Genre = Pick<ReportFile, "shortName" | "title" | "fileName" | "issuer">;

/** A report type: everything genre-specific, read from its folder under prompts/. */
export interface Template {
  id: string;
  name: string;
  genre: Genre;
  sections: Section[];
  parts: ReportFile["parts"];
  checklist: readonly ChecklistItem[];
  /** The required-items checker of this report type (its checker.yaml and checklist.yaml). */
  checker: Checker;
  /** drafting.yaml: the rules every drafting call starts with, byte-identical. */
  draftingRules: string;
  /** notes.yaml: words that mark an answer as a staff note, not a fact. */
  staffNotes: readonly string[];
  /** composer.yaml: the offline composer's word lists (none when the file is absent). */
  composer: ComposerWording;
  section(id: string): Section | undefined;
  question(id: string): Question | undefined;
}

export class TemplateError extends Error {
  override name = "TemplateError";
}

export const DEFAULT_TEMPLATE_DIR = DEFAULT_PROMPTS_DIR;

/** Reads and validates a report-type folder; throws TemplateError naming the file and field. */
export function loadTemplate(dir: string = DEFAULT_TEMPLATE_DIR): Template {
  const report = readValidated(join(dir, "report.yaml"), reportFileSchema);
  const checker = checkerOf(dir);
  const checklistIds = new Set(checker.checklist.map((item) => item.id));
  const sectionsDir = join(dir, "sections");
  const files = listYaml(sectionsDir);
  for (const file of files) {
    if (!report.sections.includes(basename(file, ".yaml"))) {
      throw new TemplateError(
        `${displayPath(file)}: section is not listed in report.yaml sections`,
      );
    }
  }
  const composer = asTemplateError(() => loadComposerWording(dir));
  const sections = report.sections.map((id) =>
    toSection(join(sectionsDir, `${id}.yaml`), id, checklistIds, composer.units),
  );
  const sectionMap = new Map(sections.map((s) => [s.id, s]));
  const questionMap = new Map(sections.flatMap((s) => s.questions.map((q) => [q.id, q])));
  const { shortName, title, fileName, issuer } = report;
  return {
    id: report.id,
    name: report.name,
    genre: { shortName, title, fileName, issuer },
    sections,
    parts: report.parts,
    checklist: checker.checklist,
    checker,
    draftingRules: asTemplateError(() => loadDraftingRules(dir)),
    staffNotes: asTemplateError(() => loadStaffNotes(dir)),
    composer,
    section: (id) => sectionMap.get(id),
    question: (id) => questionMap.get(id),
  };
}

/** The folder's checker; a broken checker.yaml or checklist.yaml is a broken template too. */
function checkerOf(dir: string): Checker {
  try {
    return loadChecker(dir);
  } catch (cause) {
    if (!(cause instanceof CheckerRulesError)) throw cause;
    throw new TemplateError(cause.message, { cause });
  }
}

function toSection(
  file: string,
  expectedId: string,
  checklistIds: Set<string>,
  units: readonly string[],
): Section {
  const raw: SectionFile = readValidated(file, sectionFileSchema);
  if (raw.id !== expectedId) {
    throw new TemplateError(`${displayPath(file)}: id: "${raw.id}" must equal the file name`);
  }
  raw.feeds.forEach((id, i) => {
    if (!checklistIds.has(id)) {
      throw new TemplateError(`${displayPath(file)}: feeds[${i}]: unknown checklist id "${id}"`);
    }
  });
  const seen = new Set<string>();
  raw.questions.forEach((q, i) => {
    if (seen.has(q.id)) {
      throw new TemplateError(`${displayPath(file)}: questions[${i}].id: duplicate id "${q.id}"`);
    }
    seen.add(q.id);
    const unitless = q.compose && slotWithoutUnit(q.compose, units);
    if (unitless) {
      throw new TemplateError(
        `${displayPath(file)}: questions[${i}].compose: slot {${unitless}} must stand before a unit of composer.yaml`,
      );
    }
  });
  if (raw.required && !raw.questions.some((q) => q.required)) {
    throw new TemplateError(
      `${displayPath(file)}: questions: a required section needs a required question`,
    );
  }
  return {
    ...raw,
    questions: raw.questions.map((q) => ({ ...q, id: `${raw.id}.${q.id}`, sectionId: raw.id })),
  };
}

/** The first figure slot of a compose sentence not followed by a known unit, if any. */
function slotWithoutUnit(compose: string, units: readonly string[]): string | undefined {
  for (const m of compose.matchAll(/\{([^{}]*)\}/g)) {
    const name = m[1] ?? "";
    if ((PLACEHOLDERS as readonly string[]).includes(name)) continue;
    const after = compose.slice((m.index ?? 0) + m[0].length);
    if (!units.some((unit) => after.startsWith(unit))) return name;
  }
  return undefined;
}

/** A data file with a loader of its own fails like every other template file. */
function asTemplateError<T>(load: () => T): T {
  try {
    return load();
  } catch (cause) {
    throw new TemplateError((cause as Error).message, { cause });
  }
}

function readValidated<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  return readYamlFile(file, schema, (message, cause) => new TemplateError(message, { cause }));
}

function listYaml(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".yaml"))
      .map((name) => join(dir, name));
  } catch (cause) {
    throw new TemplateError(`${displayPath(dir)}: cannot be read`, { cause });
  }
}
