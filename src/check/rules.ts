import { join } from "node:path";
import { z } from "zod";
import { DEFAULT_PROMPTS_DIR } from "../paths.js";
import { readYamlFile } from "../template/yaml-file.js";

/** The detection rules of checker.yaml, validated and compiled. */

export const DEFAULT_RULES_FILE = join(DEFAULT_PROMPTS_DIR, "checker.yaml");

export class CheckerRulesError extends Error {
  override name = "CheckerRulesError";
}

/** The parts of a report body, in the order the regulation lists them (intro stands before). */
export const BODY_PARTS = [
  "measures",
  "first-responsible",
  "shortcomings",
  "next-year",
  "other",
] as const;
export type BodyPart = (typeof BODY_PARTS)[number];
export type PartId = "intro" | BodyPart;

/** `{next}` in a next-year cue stands for the year after the report year. */
const NEXT_YEAR_SLOT = "{next}";

function regexIssue(source: string): string | null {
  try {
    new RegExp(source.replaceAll(NEXT_YEAR_SLOT, "2025"), "u");
    return null;
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message}`;
  }
}

const pattern = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const issue = regexIssue(source);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });
const patterns = z.array(pattern).min(1);

const partRules = z.strictObject({
  headings: patterns,
  cues: patterns.optional(),
});

const topicRules = z.strictObject({
  mode: z.enum(["cooccur", "details"]),
  minDetails: z.number().int().min(1).optional(),
  terms: patterns,
  details: patterns,
  nil: patterns.optional(),
  ignoreCitedTitles: z.boolean().optional(),
});

const fileSchema = z.strictObject({
  sentence: z.strictObject({ plan: patterns, done: patterns }),
  metadataLines: patterns,
  introEnd: patterns,
  parts: z.strictObject({
    measures: partRules,
    "first-responsible": partRules,
    shortcomings: partRules,
    "next-year": partRules,
    other: partRules,
  }),
  thresholds: z.strictObject({
    partMinChars: z.number().int().min(1),
    measuresMinChars: z.number().int().min(1),
    figuresPresent: z.number().int().min(2),
    planSentencesMin: z.number().int().min(1),
  }),
  firstResponsible: z.strictObject({
    minSentences: z.number().int().min(1),
    leaders: patterns,
    acts: patterns,
  }),
  causes: z.strictObject({ explicit: patterns, implicit: patterns }),
  topics: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a checklist id"), topicRules),
  ignoreSpans: z.array(pattern),
  figures: z.strictObject({ units: z.array(z.string().min(1)).min(1) }),
  planVsProblems: z.strictObject({
    leadIn: patterns,
    concepts: z.record(z.string().min(1), patterns),
    stopPairs: z.array(z.string().length(2)),
  }),
  title: z.strictObject({ unit: pattern, topic: pattern }),
  signoff: z.strictObject({ unit: pattern, date: patterns }),
  placeholders: z.array(z.strictObject({ pattern, label: z.string().min(1) })).min(1),
  documents: z.strictObject({
    maxEdits: z.number().int().min(0).max(4),
    list: z
      .array(
        z.strictObject({
          name: z.string().min(4),
          editions: z
            .array(z.string().regex(/^\d{4}—\d{4}$/, "must look like 2021—2025"))
            .optional(),
        }),
      )
      .min(1),
  }),
});
type RulesFile = z.infer<typeof fileSchema>;

export interface TopicRule {
  mode: "cooccur" | "details";
  minDetails: number;
  terms: RegExp[];
  details: RegExp[];
  nil: RegExp[];
  /** Words inside 《》 do not count (a law studied is not work done on its subject). */
  ignoreCitedTitles: boolean;
}

export interface PartRule {
  headings: RegExp[];
  /** Sources; `{next}` is filled in per report by `cuesFor`. */
  cues: string[];
}

export interface KnownDocument {
  name: string;
  editions: string[];
}

export interface CheckerRules {
  file: string;
  sentence: { plan: RegExp[]; done: RegExp[] };
  metadataLines: RegExp[];
  introEnd: RegExp[];
  parts: Record<BodyPart, PartRule>;
  thresholds: RulesFile["thresholds"];
  firstResponsible: { minSentences: number; leaders: RegExp[]; acts: RegExp[] };
  causes: { explicit: RegExp[]; implicit: RegExp[] };
  topics: Map<string, TopicRule>;
  ignoreSpans: RegExp[];
  /** A number (1), its 万/余 (2) and unit (3), or a percentage (4). Global. */
  figure: RegExp;
  planVsProblems: {
    leadIn: RegExp[];
    concepts: { name: string; patterns: RegExp[] }[];
    stopPairs: Set<string>;
  };
  title: { unit: RegExp; topic: RegExp };
  signoff: { unit: RegExp; date: RegExp[] };
  /** Global expressions. */
  placeholders: { pattern: RegExp; label: string }[];
  documents: { maxEdits: number; list: KnownDocument[] };
}

const compile = (source: string): RegExp => new RegExp(source, "u");
const compileAll = (sources: string[] = []): RegExp[] => sources.map(compile);

/** Reads, validates and compiles checker.yaml; throws CheckerRulesError naming file and field. */
export function loadCheckerRules(file: string = DEFAULT_RULES_FILE): CheckerRules {
  const raw = readValidated(file);
  return {
    file,
    sentence: { plan: compileAll(raw.sentence.plan), done: compileAll(raw.sentence.done) },
    metadataLines: compileAll(raw.metadataLines),
    introEnd: compileAll(raw.introEnd),
    parts: compileParts(raw.parts),
    thresholds: raw.thresholds,
    firstResponsible: {
      minSentences: raw.firstResponsible.minSentences,
      leaders: compileAll(raw.firstResponsible.leaders),
      acts: compileAll(raw.firstResponsible.acts),
    },
    causes: {
      explicit: compileAll(raw.causes.explicit),
      implicit: compileAll(raw.causes.implicit),
    },
    topics: new Map(Object.entries(raw.topics).map(([id, t]) => [id, compileTopic(t)])),
    ignoreSpans: raw.ignoreSpans.map((s) => new RegExp(s, "gu")),
    figure: figureExpression(raw.figures.units),
    planVsProblems: {
      leadIn: compileAll(raw.planVsProblems.leadIn),
      concepts: Object.entries(raw.planVsProblems.concepts).map(([name, list]) => ({
        name,
        patterns: compileAll(list),
      })),
      stopPairs: new Set(raw.planVsProblems.stopPairs),
    },
    title: { unit: compile(raw.title.unit), topic: compile(raw.title.topic) },
    signoff: { unit: compile(raw.signoff.unit), date: compileAll(raw.signoff.date) },
    placeholders: raw.placeholders.map((p) => ({
      pattern: new RegExp(p.pattern, "gu"),
      label: p.label,
    })),
    documents: {
      maxEdits: raw.documents.maxEdits,
      list: raw.documents.list.map((d) => ({ name: d.name, editions: d.editions ?? [] })),
    },
  };
}

/** The cue expressions of a part for a report whose year is known (or not). */
export function cuesFor(rule: PartRule, reportYear: number | null): RegExp[] {
  return rule.cues
    .filter((source) => reportYear !== null || !source.includes(NEXT_YEAR_SLOT))
    .map((source) => compile(source.replaceAll(NEXT_YEAR_SLOT, String((reportYear ?? 0) + 1))));
}

function compileParts(parts: RulesFile["parts"]): Record<BodyPart, PartRule> {
  const entry = (p: z.infer<typeof partRules>): PartRule => ({
    headings: compileAll(p.headings),
    cues: p.cues ?? [],
  });
  return {
    measures: entry(parts.measures),
    "first-responsible": entry(parts["first-responsible"]),
    shortcomings: entry(parts.shortcomings),
    "next-year": entry(parts["next-year"]),
    other: entry(parts.other),
  };
}

function compileTopic(t: z.infer<typeof topicRules>): TopicRule {
  return {
    mode: t.mode,
    minDetails: t.minDetails ?? 1,
    terms: compileAll(t.terms),
    details: compileAll(t.details),
    nil: compileAll(t.nil),
    ignoreCitedTitles: t.ignoreCitedTitles ?? false,
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A number that does not continue a longer number or an ordinal (第3), optional 万/余/多, then a
 * unit (longest first so 人次 wins over 人), or a percentage.
 */
function figureExpression(units: string[]): RegExp {
  const alternatives = [...units]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex)
    .join("|");
  return new RegExp(
    `(?<![\\d.第])(\\d+(?:\\.\\d+)?)\\s*(?:([万千亿][余多]?|[余多][万千亿]?)?(${alternatives})|([%％]))`,
    "gu",
  );
}

function readValidated(file: string): RulesFile {
  return readYamlFile(
    file,
    fileSchema,
    (message, cause) => new CheckerRulesError(message, { cause }),
  );
}
