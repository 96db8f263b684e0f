import { z } from "zod";
import { BODY_PARTS, type BodyPart, type Part } from "../domain/parts.js";
import { readYamlFile } from "../yaml/read.js";

/** The detection rules of checker.yaml, validated and compiled. */

export class CheckerRulesError extends Error {
  override name = "CheckerRulesError";
}

/** The checker's modules take the parts of a report from here. */
export { BODY_PARTS, type BodyPart };
export type PartId = Part;

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
  titleEvidence: patterns.optional(),
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
    superiors: patterns,
    acts: patterns,
  }),
  causes: z.strictObject({ explicit: patterns, implicit: patterns }),
  topics: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a checklist id"), topicRules),
  compounds: z.array(z.strictObject({ pattern, topic: z.string().min(1) })),
  ignoreSpans: z.array(pattern),
  figures: z.strictObject({ units: z.array(z.string().min(1)).min(1) }),
  planVsProblems: z.strictObject({
    leadIn: patterns,
    concepts: z.record(z.string().min(1), patterns),
    stopPairs: z.array(z.string().length(2)),
  }),
  title: z.strictObject({ unit: pattern, topic: pattern, topicName: z.string().min(2) }),
  signoff: z.strictObject({ unit: pattern, date: patterns }),
  placeholders: z.array(z.strictObject({ pattern, label: z.string().min(1) })).min(1),
  notes: z.strictObject({
    words: z.array(z.string().min(1)).min(1),
    ambiguous: z.array(z.string().min(1)),
    maxClause: z.number().int().min(1),
  }),
  planDocument: z.strictObject({ headings: patterns, minHeadings: z.number().int().min(1) }),
  staleTerms: z.array(
    z.strictObject({
      pattern,
      current: z.string().min(1),
      since: z.number().int().min(1990).max(2100).optional(),
    }),
  ),
  level: z.strictObject({
    township: pattern,
    higher: pattern,
    selfTownship: patterns,
    selfHigher: patterns,
  }),
  reviewBody: z.strictObject({ claims: patterns, not: patterns }),
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
  /** Cited titles that are the work itself (《…重大行政决策事项目录》) count even when others do not. */
  titleEvidence: RegExp[];
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

export interface StaleTerm {
  pattern: RegExp;
  current: string;
  /** Stale in reports on this year and later; always when absent. */
  since: number | null;
}

export interface CheckerRules {
  file: string;
  sentence: { plan: RegExp[]; done: RegExp[] };
  metadataLines: RegExp[];
  introEnd: RegExp[];
  parts: Record<BodyPart, PartRule>;
  thresholds: RulesFile["thresholds"];
  firstResponsible: {
    minSentences: number;
    leaders: RegExp[];
    /** A superior's leaders (县委书记, 市长), blanked before the township's own are looked for. */
    superiors: RegExp[];
    acts: RegExp[];
  };
  causes: { explicit: RegExp[]; implicit: RegExp[] };
  topics: Map<string, TopicRule>;
  /** Terms of one topic that hold another topic's word (谁执法谁普法 is publicity). Global. */
  compounds: { pattern: RegExp; topic: string }[];
  ignoreSpans: RegExp[];
  /** A number (1), its 万/余 (2) and unit (3), or a percentage (4). Global. */
  figure: RegExp;
  planVsProblems: {
    leadIn: RegExp[];
    concepts: { name: string; patterns: RegExp[] }[];
    stopPairs: Set<string>;
  };
  /** `topicName`: how evidence names the topic a title lacks ("法治政府建设"). */
  title: { unit: RegExp; topic: RegExp; topicName: string };
  signoff: { unit: RegExp; date: RegExp[] };
  /** Global expressions. */
  placeholders: { pattern: RegExp; label: string }[];
  /**
   * Staff notes: a clause that starts or ends with one of `words` (待查, 没有统计), or with one of
   * `ambiguous` (不清楚) when it has at most `maxClause` characters.
   */
  notes: { words: string[]; ambiguous: string[]; maxClause: number };
  planDocument: { headings: RegExp[]; minHeadings: number };
  /** Global expressions. */
  staleTerms: StaleTerm[];
  level: { township: RegExp; higher: RegExp; selfTownship: RegExp[]; selfHigher: RegExp[] };
  reviewBody: { claims: RegExp[]; not: RegExp[] };
  documents: { maxEdits: number; list: KnownDocument[] };
}

const compile = (source: string): RegExp => new RegExp(source, "u");
const compileAll = (sources: string[] = []): RegExp[] => sources.map(compile);

/** Reads, validates and compiles checker.yaml; throws CheckerRulesError naming file and field. */
export function loadCheckerRules(file: string): CheckerRules {
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
      superiors: raw.firstResponsible.superiors.map((p) => new RegExp(p, "gu")),
      acts: compileAll(raw.firstResponsible.acts),
    },
    causes: {
      explicit: compileAll(raw.causes.explicit),
      implicit: compileAll(raw.causes.implicit),
    },
    topics: new Map(Object.entries(raw.topics).map(([id, t]) => [id, compileTopic(t)])),
    compounds: raw.compounds.map((c) => ({ pattern: new RegExp(c.pattern, "gu"), topic: c.topic })),
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
    title: {
      unit: compile(raw.title.unit),
      topic: compile(raw.title.topic),
      topicName: raw.title.topicName,
    },
    signoff: { unit: compile(raw.signoff.unit), date: compileAll(raw.signoff.date) },
    placeholders: raw.placeholders.map((p) => ({
      pattern: new RegExp(p.pattern, "gu"),
      label: p.label,
    })),
    notes: raw.notes,
    planDocument: {
      headings: compileAll(raw.planDocument.headings),
      minHeadings: raw.planDocument.minHeadings,
    },
    staleTerms: raw.staleTerms.map((t) => ({
      pattern: new RegExp(t.pattern, "gu"),
      current: t.current,
      since: t.since ?? null,
    })),
    level: {
      township: compile(raw.level.township),
      higher: compile(raw.level.higher),
      selfTownship: raw.level.selfTownship.map((p) => new RegExp(p, "gu")),
      selfHigher: raw.level.selfHigher.map((p) => new RegExp(p, "gu")),
    },
    reviewBody: {
      claims: compileAll(raw.reviewBody.claims),
      not: compileAll(raw.reviewBody.not),
    },
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
    titleEvidence: compileAll(t.titleEvidence),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A number (thousands may be grouped: 1,471) that does not continue a longer number or an
 * ordinal (第3), optional 万/余/多, then a unit (longest first so 人次 wins over 人), or a percentage.
 */
function figureExpression(units: string[]): RegExp {
  const alternatives = [...units]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex)
    .join("|");
  return new RegExp(
    `(?<![\\d.第]|\\d,)(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)\\s*(?:([万千亿][余多]?|[余多][万千亿]?)?(${alternatives})|([%％]))`,
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
