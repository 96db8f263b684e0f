import { type HeadingLine, parseNumberedLine, parsePlainHeading } from "./headings.js";
import { BODY_PARTS, type BodyPart, type CheckerRules, cuesFor, type PartId } from "./rules.js";
import { matchesAny, normaliseText, splitSentences, trimLine } from "./text.js";
import { findReportYear } from "./year.js";

/**
 * Finds the title, the sign-off, the headings and the part every paragraph belongs to, whatever
 * the numbering (or none), and splits the text into sentences marked as plans or things done.
 */

export interface Heading extends HeadingLine {
  /** 0 is the top level; a style's level is the order in which styles first appear. */
  level: number;
  /** Parts this heading opens, in the order they are named ("不足及2021年计划" opens two). */
  opens: BodyPart[];
  /** The part the heading stands in once assigned. */
  part: PartId;
  /** The line as written (numbering and words), for evidence. */
  line: string;
}

export interface Paragraph {
  text: string;
  part: PartId;
}

export interface Sentence {
  text: string;
  part: PartId;
  /** A heading's words rather than body text: can show a topic is named, never that it is done. */
  heading: boolean;
  /** A target or an intention (不少于, 力争, 要) with nothing reported as done. */
  plan: boolean;
}

export interface Segmented {
  /** The report's lines: normalised, Markdown marks removed, web-page metadata dropped. */
  lines: string[];
  title: string | null;
  signoff: string[];
  reportYear: number | null;
  headings: Heading[];
  paragraphs: Paragraph[];
  sentences: Sentence[];
}

type Block = { kind: "heading"; heading: Heading } | { kind: "paragraph"; text: string };

const PART_ORDER: PartId[] = ["intro", ...BODY_PARTS];
const TITLE_SCAN_LINES = 3;
const SIGNOFF_SCAN_LINES = 3;
const MAX_TITLE = 60;
const OPENING_PARAGRAPHS = 2;

export function segment(text: string, rules: CheckerRules, givenYear?: number): Segmented {
  const lines = normaliseText(text)
    .split("\n")
    .map(stripMarkdown)
    .filter((line) => line !== "" && !matchesAny(line, rules.metadataLines));
  const { title, rest } = takeTitle(lines);
  const { signoff, body } = takeSignoff(rest, rules);
  const blocks = toBlocks(withoutPlaceholders(body, rules));
  const headings = blocks.flatMap((b) => (b.kind === "heading" ? [b.heading] : []));
  assignLevels(headings);
  for (const h of headings) h.opens = partsNamed(h.text, rules);
  const reportYear = findReportYear(givenYear, title, openingSentences(blocks));
  const paragraphs = assignParts(blocks, rules, reportYear);
  return {
    lines,
    title,
    signoff,
    reportYear,
    headings,
    paragraphs,
    sentences: toSentences(blocks, paragraphs, rules),
  };
}

/**
 * A placeholder (【待补充：…】, ××) is not content: a part holding only placeholders is as thin as
 * a bare heading. The warnings still see them, as they read the whole text.
 */
function withoutPlaceholders(lines: string[], rules: CheckerRules): string[] {
  return lines
    .map((line) =>
      rules.placeholders.reduce((l, p) => l.replace(globalOf(p.pattern), ""), line).trim(),
    )
    .filter((line) => line !== "");
}

function globalOf(pattern: RegExp): RegExp {
  return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
}

function stripMarkdown(raw: string): string {
  return trimLine(
    trimLine(raw)
      .replace(/^#{1,6}\s+/u, "")
      .replace(/^>\s?/u, "")
      .replace(/^[-*+]\s+/u, "")
      .replace(/\*\*|__/gu, ""),
  );
}

/** The title is one of the first lines: short, naming a report, not a numbered heading. */
function takeTitle(lines: string[]): { title: string | null; rest: string[] } {
  const limit = Math.min(TITLE_SCAN_LINES, lines.length);
  for (let i = 0; i < limit; i++) {
    const line = lines[i] ?? "";
    if (
      line.length <= MAX_TITLE &&
      !/[，,。；]/u.test(line) &&
      /报告|情况|总结|法治政府/u.test(line) &&
      !parseNumberedLine(line)
    ) {
      return { title: line, rest: lines.slice(i + 1) };
    }
  }
  return { title: null, rest: lines };
}

/** Trailing lines that are the issuing unit or the date. */
function takeSignoff(lines: string[], rules: CheckerRules): { signoff: string[]; body: string[] } {
  let start = lines.length;
  while (start > 0 && lines.length - start < SIGNOFF_SCAN_LINES) {
    const line = lines[start - 1] ?? "";
    if (!isSignoffLine(line, rules)) break;
    start--;
  }
  return { signoff: lines.slice(start), body: lines.slice(0, start) };
}

function isSignoffLine(line: string, rules: CheckerRules): boolean {
  return rules.signoff.unit.test(line) || matchesAny(line, rules.signoff.date);
}

function toBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  for (const line of lines) {
    const parsed = parseNumberedLine(line) ?? parsePlainHeading(line);
    if (!parsed) {
      blocks.push({ kind: "paragraph", text: line });
      continue;
    }
    const heading: Heading = {
      ...parsed,
      level: 0,
      opens: [],
      part: "intro",
      line: `${parsed.label}${parsed.text}`,
    };
    blocks.push({ kind: "heading", heading });
    if (parsed.body) blocks.push({ kind: "paragraph", text: parsed.body });
  }
  return blocks;
}

/** Sentences before the first heading (or of the first paragraphs): where the report names its year. */
function openingSentences(blocks: Block[]): string[] {
  const firstHeading = blocks.findIndex((b) => b.kind === "heading");
  const opening = blocks.slice(0, firstHeading >= 0 ? firstHeading : OPENING_PARAGRAPHS);
  return opening.flatMap((b) => (b.kind === "paragraph" ? splitSentences(b.text) : []));
}

function assignLevels(headings: Heading[]): void {
  const order: string[] = [];
  for (const h of headings) {
    if (!order.includes(h.style)) order.push(h.style);
    h.level = order.indexOf(h.style);
  }
}

/** Parts named by a heading, ordered by where in the heading they are named. */
function partsNamed(text: string, rules: CheckerRules): BodyPart[] {
  const found: { part: BodyPart; at: number }[] = [];
  for (const part of BODY_PARTS) {
    let at = Number.POSITIVE_INFINITY;
    for (const pattern of rules.parts[part].headings) {
      const m = pattern.exec(text);
      if (m && m.index < at) at = m.index;
    }
    if (at !== Number.POSITIVE_INFINITY) found.push({ part, at });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.part);
}

interface Frame {
  level: number;
  parts: BodyPart[];
}

/**
 * Walks the blocks once. A heading that names a part opens it until a heading of the same or a
 * higher level; headings that name none keep the enclosing part. Before any part other than the
 * measures has been named, unnamed text is the measures; after, it is "other". Without a heading,
 * the first sentence of a paragraph may move the text forward to a later part (a cue).
 */
function assignParts(blocks: Block[], rules: CheckerRules, reportYear: number | null): Paragraph[] {
  const cues = BODY_PARTS.map((part) => ({
    part,
    patterns: cuesFor(rules.parts[part], reportYear),
  }));
  const hasHeadings = blocks.some((b) => b.kind === "heading");
  const stack: Frame[] = [];
  const paragraphs: Paragraph[] = [];
  let introOpen = true;
  let namedBeyondMeasures = false;
  let cuePart: BodyPart | null = null;
  const fallback = (): BodyPart =>
    stack.at(-1)?.parts[0] ?? (namedBeyondMeasures ? "other" : "measures");

  for (const block of blocks) {
    if (block.kind === "heading") {
      const h = block.heading;
      introOpen = false;
      cuePart = null;
      while ((stack.at(-1)?.level ?? -1) >= h.level) stack.pop();
      if (h.opens.length > 0) {
        stack.push({ level: h.level, parts: h.opens });
        if (h.opens.some((p) => p !== "measures")) namedBeyondMeasures = true;
      }
      h.part = fallback();
      continue;
    }
    if (introOpen) {
      paragraphs.push({ text: block.text, part: "intro" });
      if (!hasHeadings || matchesAny(block.text, rules.introEnd)) introOpen = false;
      continue;
    }
    const current: PartId = cuePart ?? fallback();
    const opening = splitSentences(block.text)[0] ?? "";
    const cued: BodyPart | undefined = cues.find(
      (c) => order(c.part) > order(current) && matchesAny(opening, c.patterns),
    )?.part;
    if (cued) cuePart = cued;
    paragraphs.push({ text: block.text, part: cued ?? current });
  }
  return paragraphs;
}

function order(part: PartId): number {
  return PART_ORDER.indexOf(part);
}

function toSentences(blocks: Block[], paragraphs: Paragraph[], rules: CheckerRules): Sentence[] {
  const sentences: Sentence[] = [];
  let p = 0;
  for (const block of blocks) {
    if (block.kind === "heading") {
      if (block.heading.text) {
        sentences.push({
          text: block.heading.text,
          part: block.heading.part,
          heading: true,
          plan: false,
        });
      }
      continue;
    }
    const paragraph = paragraphs[p++];
    if (!paragraph) continue;
    for (const text of splitSentences(paragraph.text)) {
      sentences.push({ text, part: paragraph.part, heading: false, plan: isPlan(text, rules) });
    }
  }
  return sentences;
}

export function isPlan(sentence: string, rules: CheckerRules): boolean {
  return matchesAny(sentence, rules.sentence.plan) && !matchesAny(sentence, rules.sentence.done);
}
