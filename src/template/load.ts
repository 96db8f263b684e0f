import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { z } from "zod";
import { DEFAULT_PROMPTS_DIR } from "../paths.js";
import {
  type ChecklistItem,
  checklistFileSchema,
  type Part,
  type ReportFile,
  reportFileSchema,
  type SectionFile,
  sectionFileSchema,
} from "./schema.js";
import { displayPath, readYamlFile } from "./yaml-file.js";

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
}

export interface Template {
  id: string;
  name: string;
  sections: Section[];
  parts: ReportFile["parts"];
  checklist: ChecklistItem[];
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
  const checklist = readValidated(join(dir, "checklist.yaml"), checklistFileSchema).items;
  const checklistIds = new Set(checklist.map((item) => item.id));
  const sectionsDir = join(dir, "sections");
  const files = listYaml(sectionsDir);
  for (const file of files) {
    if (!report.sections.includes(basename(file, ".yaml"))) {
      throw new TemplateError(
        `${displayPath(file)}: section is not listed in report.yaml sections`,
      );
    }
  }
  const sections = report.sections.map((id) =>
    toSection(join(sectionsDir, `${id}.yaml`), id, checklistIds),
  );
  const sectionMap = new Map(sections.map((s) => [s.id, s]));
  const questionMap = new Map(sections.flatMap((s) => s.questions.map((q) => [q.id, q])));
  return {
    id: report.id,
    name: report.name,
    sections,
    parts: report.parts,
    checklist,
    section: (id) => sectionMap.get(id),
    question: (id) => questionMap.get(id),
  };
}

function toSection(file: string, expectedId: string, checklistIds: Set<string>): Section {
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
