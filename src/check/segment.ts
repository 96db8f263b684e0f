import { type HeadingLine, parseNumberedLine, parsePlainHeading } from "./headings.js";
import { findNotes } from "./notes.js";
import { BODY_PARTS, type BodyPart, type CheckerRules, cuesFor, type PartId } from "./rules.js";
import {
  cjkLength,
  matchesAny,
  matchingText,
  normaliseText,
  splitSentences,
  trimLine,
} from "./text.js";
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
  /** As written: what evidence quotes. */
  text: string;
  /**
   * What the rules match: punctuation full-width, quotation marks removed, placeholders and
   * staff notes blanked (see `contentOf`).
   */
  norm: string;
  part: PartId;
  /** A heading's words rather than body text: can show a topic is named, never that it is done. */
  heading: boolean;
  /**
   * A heading (or a lead sentence such as "三是聘请法律顾问。") followed by nothing but a
   * placeholder or a staff note: it proves nothing, not even that the topic was named.
   */
  empty: boolean;
  /** A target or an intention (不少于, 力争, 要) with nothing reported as done. */
  plan: boolean;
  /** The matching text of the enclosing headings, outermost first ("" at the top). */
  under: string;
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

/** A sentence at most this long (Han characters) followed by only a placeholder is a lead-in. */
const MAX_LEAD = 20;
/** Longer lines are not checked for being only placeholders: they cannot pass for headings. */
const MAX_HOLLOW_LINE = 60;

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
  const { title, rest } = takeTitle(lines, rules);
  const { signoff, body } = takeSignoff(rest, rules);
  const blocks = toBlocks(body, rules);
  const headings = blocks.flatMap((b) => (b.kind === "heading" ? [b.heading] : []));
  assignLevels(headings);
  for (const h of headings) h.opens = partsNamed(contentOf(h.text, rules), rules);
  onlyTopLevelOpens(headings);
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
 * The text the rules see: ASCII punctuation and quotation marks normalised (`matchingText`),
 * placeholders (【待补充：…】, ××) and staff notes (待查, 不清楚) blanked, as they are not
 * content. The warnings still see them, as they read the whole text.
 */
export function contentOf(text: string, rules: CheckerRules): string {
  return withoutFillers(matchingText(text), rules);
}

/** Placeholders and staff notes replaced by spaces (the text keeps its length). */
export function withoutFillers(text: string, rules: CheckerRules): string {
  let out = blankPlaceholders(text, rules);
  for (const note of findNotes(out, rules)) {
    out = `${out.slice(0, note.index)}${blank(note.text)}${out.slice(note.index + note.text.length)}`;
  }
  return out;
}

const blank = (m: string): string => " ".repeat(m.length);

/** Placeholders replaced by spaces (the text keeps its length). */
export function blankPlaceholders(text: string, rules: CheckerRules): string {
  return rules.placeholders.reduce((t, p) => t.replace(globalOf(p.pattern), blank), text);
}

/** Fewer than two Han characters of content: a placeholder, a note, or nothing. */
function isHollow(text: string, rules: CheckerRules): boolean {
  return cjkLength(contentOf(text, rules)) < 2;
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

/**
 * The title is one of the first lines: short, naming a report, not a numbered heading. A unit
 * set on its own line above it ("××镇人民政府") belongs to it, and so does a second line that
 * ends a title broken in two ("关于2024年度法治政府建设" / "工作情况的报告").
 */
function takeTitle(lines: string[], rules: CheckerRules): { title: string | null; rest: string[] } {
  const limit = Math.min(TITLE_SCAN_LINES, lines.length);
  for (let i = 0; i < limit; i++) {
    const line = lines[i] ?? "";
    if (!isTitleLine(line)) continue;
    const start = i > 0 && isUnitLine(lines[i - 1] ?? "", rules) ? i - 1 : i;
    const next = lines[i + 1] ?? "";
    const end = !/报告|总结/u.test(line) && isTitleTail(next) ? i + 2 : i + 1;
    return { title: lines.slice(start, end).join(""), rest: lines.slice(end) };
  }
  return { title: null, rest: lines };
}

function isTitleLine(line: string): boolean {
  return (
    line.length <= MAX_TITLE &&
    !/[，,。；]/u.test(line) &&
    /报告|情况|总结|法治政府/u.test(line) &&
    !parseNumberedLine(line)
  );
}

/** "××镇人民政府" or "中共××镇委员会 ××镇人民政府": nothing but unit names. */
function isUnitLine(line: string, rules: CheckerRules): boolean {
  const whole = new RegExp(`^(?:中共)?(?:${rules.title.unit.source})$`, "u");
  const names = line.split(/[\s\u3000]+/u).filter(Boolean);
  return line.length <= MAX_TITLE / 2 && names.length > 0 && names.every((n) => whole.test(n));
}

function isTitleTail(line: string): boolean {
  return line.length <= MAX_TITLE / 3 && /(?:报告|总结)$/u.test(line) && !/[，,。；]/u.test(line);
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

function toBlocks(lines: string[], rules: CheckerRules): Block[] {
  const blocks: Block[] = [];
  for (const line of lines) {
    // A lone 【待补充：…】 is not a heading, however short (a long line is never a heading alone).
    const parsed =
      line.length <= MAX_HOLLOW_LINE && isHollow(line, rules)
        ? null
        : (parseNumberedLine(line) ?? parsePlainHeading(line));
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

/**
 * Only top-level headings open parts: a sub-heading "（三）严格落实第一责任人职责" inside part 一
 * does not end it. The top level is the highest level at which some heading names a part.
 */
function onlyTopLevelOpens(headings: Heading[]): void {
  const naming = headings.filter((h) => h.opens.length > 0).map((h) => h.level);
  if (naming.length === 0) return;
  const top = Math.min(...naming);
  for (const h of headings) if (h.level > top) h.opens = [];
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
    const opening = contentOf(splitSentences(block.text)[0] ?? "", rules);
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

/**
 * Sentences in order, headings included. A heading or a short lead sentence ("三是聘请法律顾问。")
 * followed only by placeholders or staff notes is marked empty; hollow sentences themselves are
 * left out, as they say nothing.
 */
function toSentences(blocks: Block[], paragraphs: Paragraph[], rules: CheckerRules): Sentence[] {
  const sentences: Sentence[] = [];
  const enclosing: Heading[] = [];
  let lead: Sentence | null = null;
  let p = 0;
  // Each heading's matching text once, not once per sentence under it.
  const headingText = new Map<Heading, string>();
  const textOf = (h: Heading): string => {
    let text = headingText.get(h);
    if (text === undefined) {
      text = contentOf(h.text, rules);
      headingText.set(h, text);
    }
    return text;
  };
  const under = (): string => enclosing.map(textOf).join(" / ");
  for (const block of blocks) {
    if (block.kind === "heading") {
      const h = block.heading;
      while ((enclosing.at(-1)?.level ?? -1) >= h.level) enclosing.pop();
      lead = null;
      if (h.text && !isHollow(h.text, rules)) {
        lead = {
          text: h.text,
          norm: textOf(h),
          part: h.part,
          heading: true,
          empty: false,
          plan: false,
          under: under(),
        };
        sentences.push(lead);
      }
      enclosing.push(h);
      continue;
    }
    const paragraph = paragraphs[p++];
    if (!paragraph) continue;
    for (const text of splitSentences(paragraph.text)) {
      const norm = contentOf(text, rules);
      const length = cjkLength(norm);
      if (length < 2) {
        if (lead) {
          lead.heading = true;
          lead.empty = true;
        }
        continue;
      }
      const sentence: Sentence = {
        text,
        norm,
        part: paragraph.part,
        heading: false,
        empty: false,
        plan: isPlan(norm, rules),
        under: under(),
      };
      sentences.push(sentence);
      lead = length <= MAX_LEAD && !/\d/u.test(norm) ? sentence : null;
    }
  }
  return sentences;
}

export function isPlan(sentence: string, rules: CheckerRules): boolean {
  return matchesAny(sentence, rules.sentence.plan) && !matchesAny(sentence, rules.sentence.done);
}
