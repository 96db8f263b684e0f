import { contentOf, isPlan, segment } from "../check/segment.js";
import { cjkLength, normaliseText, splitSentences } from "../check/text.js";
import type { ImportContext } from "./context.js";
import type { QuestionCue } from "./rules.js";
import { sectionsMentioned, topicText } from "./topic.js";

/**
 * Candidate answers from an office's materials, offline: a sentence is proposed for a question
 * when it names one of the question's keywords and holds a figure in a unit the question asks
 * for. Every quote is a sentence of the file exactly as written.
 */

export interface Material {
  text: string;
  /** The file name, shown as the source. */
  source: string;
}

export interface Candidate {
  questionId: string;
  /** The proposed answer. */
  text: string;
  /** A sentence of the file, verbatim. */
  quote: string;
  source: string;
}

/** Shorter sentences say too little to answer anything. */
const MIN_SENTENCE_CHARS = 6;
/** Proposals per question and file: enough to choose from, few enough to read. */
const MAX_PER_QUESTION = 5;

interface Line {
  quote: string;
  /** Matching text: placeholders, notes, office names and cited titles blanked. */
  subject: string;
  units: Set<string>;
}

export function findCandidates(material: Material, ctx: ImportContext): Candidate[] {
  const lines = sentencesOf(material.text, ctx);
  const mentioned = sectionsMentioned(material.text, ctx);
  const cues = ctx.rules.questions.filter((cue) => mentioned.has(cue.sectionId));
  const out: Candidate[] = [];
  for (const cue of cues) {
    const matching = lines.filter((line) => answers(line, cue));
    for (const line of matching.slice(0, MAX_PER_QUESTION)) {
      out.push({
        questionId: cue.questionId,
        text: answerText(withoutMarkdown(line.quote)),
        quote: line.quote,
        source: material.source,
      });
    }
  }
  return out;
}

/**
 * The file's sentences reporting work done: plans and targets, headings, and (when the file is a
 * report) its shortcomings and next year's arrangements are not answers.
 */
function sentencesOf(text: string, ctx: ImportContext): Line[] {
  const skipped = notAnswers(text, ctx);
  const lines: Line[] = [];
  for (const raw of text.split(/\r\n|\r|\n/u)) {
    for (const quote of splitSentences(raw)) {
      const norm = contentOf(normaliseText(answerText(withoutMarkdown(quote))), ctx.checker);
      if (cjkLength(norm) < MIN_SENTENCE_CHARS || isPlan(norm, ctx.checker)) continue;
      if (skipped.has(keyOf(norm))) continue;
      let subject = topicText(norm);
      for (const span of ctx.checker.ignoreSpans) {
        subject = subject.replace(span, (m) => " ".repeat(m.length));
      }
      lines.push({ quote, subject, units: unitsIn(norm, ctx) });
    }
  }
  return lines;
}

/** Matching text of the headings and of the sentences of the parts that report no work done. */
function notAnswers(text: string, ctx: ImportContext): Set<string> {
  const doc = segment(text, ctx.checker);
  return new Set(
    doc.sentences
      .filter((s) => s.heading || s.part === "shortcomings" || s.part === "next-year")
      .map((s) => keyOf(s.norm)),
  );
}

/** Sentences compared without their closing punctuation (a heading has none). */
const keyOf = (norm: string): string => norm.replace(/[。；;！？!?\s]+$/u, "");

function unitsIn(text: string, ctx: ImportContext): Set<string> {
  const units = new Set<string>();
  for (const m of text.matchAll(ctx.checker.figure)) units.add(m[3] ?? "%");
  return units;
}

function answers(line: Line, cue: QuestionCue): boolean {
  if (!cue.keywords.some((k) => k.test(line.subject))) return false;
  return cue.figures.length === 0 || cue.figures.some((unit) => line.units.has(unit));
}

/** A Markdown heading or list mark, which the segmenter also drops. */
function withoutMarkdown(line: string): string {
  return line.replace(/^(?:#{1,6}\s+|[-*+>]\s+)/u, "").replace(/\*\*|__/gu, "");
}

/** The sentence as an answer: its list marker ("一是", "（二）", "3.") taken off. */
function answerText(quote: string): string {
  return quote
    .replace(
      /^(?:[一二三四五六七八九十]{1,3}[是、]|[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.、．](?!\d))/u,
      "",
    )
    .trim();
}
