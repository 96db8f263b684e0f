import { join } from "node:path";
import { z } from "zod";
import type { CheckerRules } from "../check/rules.js";
import type { Template } from "../template/load.js";
import { displayPath, readYamlFile } from "../yaml/read.js";

/** extract.yaml: what points a plan item or a sentence of an office's papers to a question. */

export class ImportRulesError extends Error {
  override name = "ImportRulesError";
}

const pattern = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, "u");
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `invalid regular expression: ${error}` });
    }
  });

const fileSchema = z.strictObject({
  planVerbs: z.array(z.string().min(1)).min(1),
  planLead: z.array(pattern),
  planAdverbs: pattern,
  sections: z.record(z.string(), z.array(pattern).min(1)),
  llmPrompt: z
    .string()
    .min(40)
    .refine((t) => ["{section}", "{questions}", "{material}"].every((slot) => t.includes(slot)), {
      message: "must hold {section}, {questions} and {material}",
    }),
  questions: z.record(
    z.string(),
    z.strictObject({ keywords: z.array(pattern).min(1), figures: z.array(z.string().min(1)) }),
  ),
});

export interface QuestionCue {
  questionId: string;
  sectionId: string;
  keywords: RegExp[];
  /** Units of the figures the question asks for ("%" a percentage); empty: any sentence. */
  figures: string[];
}

export interface ImportRules {
  planVerbs: string[];
  planLead: RegExp[];
  /** Adverbs before a plan verb (进一步, 全面); kept in the item, skipped when testing the verb. */
  planAdverbs: RegExp;
  /** Section id → words of its topic, in template order. */
  sections: Map<string, RegExp[]>;
  questions: QuestionCue[];
  /** The extraction prompt of one section ({section} {questions} {material}). */
  llmPrompt: string;
}

const compile = (source: string): RegExp => new RegExp(source, "u");

/** Reads extract.yaml of a report-type folder and checks every id and unit against the template. */
export function loadImportRules(
  dir: string,
  template: Template,
  checker: CheckerRules,
): ImportRules {
  const file = join(dir, "extract.yaml");
  const raw = readYamlFile(
    file,
    fileSchema,
    (message, cause) => new ImportRulesError(message, { cause }),
  );
  const where = displayPath(file);
  const sections = new Map<string, RegExp[]>();
  for (const section of template.sections) {
    const words = raw.sections[section.id];
    if (words) sections.set(section.id, words.map(compile));
  }
  for (const id of Object.keys(raw.sections)) {
    if (!template.section(id))
      throw new ImportRulesError(`${where}: sections.${id}: unknown section`);
  }
  const questions = Object.entries(raw.questions).map(([id, cue]): QuestionCue => {
    const question = template.question(id);
    if (!question) throw new ImportRulesError(`${where}: questions.${id}: unknown question`);
    for (const unit of cue.figures) {
      if (!isUnit(unit, checker)) {
        throw new ImportRulesError(
          `${where}: questions.${id}.figures: "${unit}" is not a unit of checker.yaml`,
        );
      }
    }
    return {
      questionId: id,
      sectionId: question.sectionId,
      keywords: cue.keywords.map(compile),
      figures: cue.figures,
    };
  });
  return {
    planVerbs: raw.planVerbs,
    planLead: raw.planLead.map(compile),
    planAdverbs: compile(raw.planAdverbs),
    llmPrompt: raw.llmPrompt,
    sections,
    questions,
  };
}

/** A unit the checker's figure expression knows (so that "1" + unit reads as a figure). */
function isUnit(unit: string, checker: CheckerRules): boolean {
  const figure = new RegExp(checker.figure.source, "u");
  const m = figure.exec(`1${unit}`);
  return m !== null && m[0] === `1${unit}`;
}
