import type { OrgBasics } from "../domain/types.js";
import type { Question, Section } from "../template/load.js";
import { chineseNumeral } from "../text/numerals.js";
import {
  fillPlaceholders,
  formalize,
  isNoneAnswer,
  missingLabel,
  missingMarker,
  selfName,
  splitBlocks,
  splitLines,
} from "./formal.js";
import type { SectionFacts } from "./types.js";

/**
 * The offline composer: a section body in 公文 register from its facts alone, deterministic, with
 * no LLM. The wording comes from the template (a section's `opening`, a question's `lead` and
 * `none`); the facts are only normalised (formal.ts), never reworded in substance, so every
 * figure, date and 《title》 of the answers reaches the draft verbatim.
 *
 * Layout by part:
 * - measures, first-responsible, other: the opening, then "一是{lead}。{answer}" per answered
 *   question, packed into paragraphs of moderate length;
 * - intro: one or two paragraphs, "{lead}：{answer}", ending with 现将有关情况报告如下：;
 * - shortcomings: the opening, then （一）（二）… one paragraph per problem, each followed by
 *   "原因分析：" and its cause (a question whose id starts with "cause" belongs to the problem
 *   before it);
 * - next-year: the opening, then （一）（二）… one paragraph per arrangement.
 * Free-text facts (no question id, as in an answers file) follow the opening as paragraphs (blank
 * lines separate them); in shortcomings and next-year each line is an item.
 */

/** The last words of the intro: the parts of the report follow. */
export const INTRO_CLOSING = "现将有关情况报告如下：";
/** A required section with no facts at all. */
export const SECTION_MISSING = missingMarker("本部分内容");
/** Shortcomings given as free text that never say why. */
export const CAUSES_MISSING = missingMarker("上述不足的原因分析（主观原因和客观原因）");
/** A none answer to a question without its own `none` sentence. */
const GENERIC_NONE = "本年度{self}无相关情况。";
/** Every answer was a none answer whose item the template leaves out: said instead of the opening. */
const NOTHING_TO_REPORT = "本年度{self}无需要报告的相关情况。";
/** Numbered items are packed into one paragraph up to about this many characters. */
const PARAGRAPH_CHARS = 360;
/** A short topic label opening a note: "信访：", "法律顾问：". */
const TOPIC_LABEL = /^(\p{Script=Han}{2,6})：(?=\S)/u;
/** The head of a plan or problem written as "加强……：具体措施". */
const ITEM_HEAD = /^([^：《》\d]{4,24})：(?=\S)/u;
const CAUSE_START = /^(?:原因分析|主要原因|究其原因|原因)[：:，,\s]*/u;

/** The body of one section (no heading), from its facts only, in 公文 register. */
export function composeSection(org: OrgBasics, facts: SectionFacts): string {
  const { section } = facts;
  const c = composer(org, section, gather(section, facts));
  if (c.free.length === 0 && c.answers.size === 0 && c.gaps.size === 0) {
    if (!section.required) return "";
    if (section.part === "intro") return [c.opening, SECTION_MISSING + INTRO_CLOSING].join("\n");
    // Without a single fact, an opening sentence would claim what nobody said.
    return SECTION_MISSING;
  }
  switch (section.part) {
    case "intro":
      return composeIntro(c);
    case "shortcomings":
      return composeShortcomings(c);
    case "next-year":
      return composeNextYear(c);
    default:
      return composeMeasures(c);
  }
}

interface Material {
  /** Free-text facts (and facts naming no question of this section), in order. */
  free: string[];
  /** Question id → answer text (several facts for one question joined by lines). */
  answers: Map<string, string>;
  /** Questions answered only by a staff note: marked as missing where their item goes. */
  gaps: Set<string>;
}

interface Composer extends Material {
  org: OrgBasics;
  section: Section;
  self: string;
  opening: string;
  fill(template: string): string;
  formal(answer: string): string;
}

function gather(section: Section, facts: SectionFacts): Material {
  const free: string[] = [];
  const answers = new Map<string, string>();
  for (const fact of facts.facts) {
    const text = fact.text.trim();
    if (text === "") continue;
    const id = fact.questionId;
    const question =
      id === undefined
        ? undefined
        : section.questions.find((q) => q.id === id || q.id === `${section.id}.${id}`);
    if (!question) {
      free.push(text);
      continue;
    }
    const before = answers.get(question.id);
    answers.set(question.id, before === undefined ? text : `${before}\n${text}`);
  }
  const gaps = new Set(facts.gaps?.flatMap((g) => (g.questionId ? [g.questionId] : [])));
  return { free, answers, gaps };
}

function composer(org: OrgBasics, section: Section, material: Material): Composer {
  const self = selfName(org.kind);
  const fill = (template: string) => fillPlaceholders(template, org);
  return {
    ...material,
    org,
    section,
    self,
    opening: fill(section.opening),
    fill,
    formal: (answer) => formalize(answer, self),
  };
}

/** What stands for one question: its formal answer, its none sentence, a marker, or nothing. */
function resolve(c: Composer, q: Question, needed: boolean): string | null {
  const answer = c.answers.get(q.id);
  if (answer === undefined) return needed ? missingMarker(missingLabel(q, c.org)) : null;
  if (isNoneAnswer(answer)) {
    const none = q.none ?? GENERIC_NONE;
    return none === "" ? null : c.fill(none);
  }
  return c.formal(answer);
}

/**
 * Required questions are marked when unanswered, unless free text may already cover them; a
 * question answered with a staff note is always marked.
 */
function needed(c: Composer, q: Question): boolean {
  return (q.required && c.free.length === 0) || c.gaps.has(q.id);
}

function lead(c: Composer, q: Question): string {
  return c.fill(q.lead).replace(/[。；，：:,;\s]+$/u, "");
}

/** Free-text paragraphs; a note's topic label ("信访：…") reads "在信访方面，…". */
function freeParagraphs(c: Composer): string[] {
  return c.free
    .flatMap(splitBlocks)
    .map(c.formal)
    .filter(Boolean)
    .map((text) => text.replace(TOPIC_LABEL, "在$1方面，"));
}

function freeLines(c: Composer): string[] {
  return c.free.flatMap(splitLines);
}

/** A free-text item in a numbered list; its leading "措施概括：" becomes a sentence of its own. */
function freeItem(c: Composer, line: string): string {
  return c.formal(line).replace(ITEM_HEAD, "$1。");
}

/** Items appended to the last paragraph while it stays short, else starting a new one. */
function pack(paragraphs: string[], items: string[]): string[] {
  const out = [...paragraphs];
  for (const item of items) {
    const last = out.length - 1;
    const current = out[last];
    if (current !== undefined && current.length + item.length <= PARAGRAPH_CHARS) {
      out[last] = current + item;
    } else out.push(item);
  }
  return out;
}

function composeMeasures(c: Composer): string {
  const items: string[] = [];
  for (const q of c.section.questions) {
    const body = resolve(c, q, needed(c, q));
    if (body === null) continue;
    items.push(`${chineseNumeral(items.length + 1)}是${lead(c, q)}。${body}`);
  }
  const [first, ...rest] = freeParagraphs(c);
  if (first === undefined && items.length === 0) {
    return c.fill(NOTHING_TO_REPORT);
  }
  const start = first === undefined ? [c.opening] : [c.opening + first, ...rest];
  return pack(start, items).join("\n");
}

function composeIntro(c: Composer): string {
  const units = [...freeParagraphs(c)];
  for (const q of c.section.questions) {
    const body = resolve(c, q, needed(c, q));
    if (body !== null) units.push(`${lead(c, q)}：${body}`);
  }
  const rest = units.join("");
  const single = c.opening + rest + INTRO_CLOSING;
  if (single.length <= PARAGRAPH_CHARS * 1.5 || rest === "") return single;
  return [c.opening, rest + INTRO_CLOSING].join("\n");
}

function numbered(opening: string, items: string[]): string {
  return [opening, ...items.map((item, i) => `（${chineseNumeral(i + 1)}）${item}`)].join("\n");
}

/** A cause in the report's words: "原因分析：…", whatever the answer started with. */
function cause(c: Composer, connector: string, text: string): string {
  return `${connector}：${c.formal(text.replace(CAUSE_START, ""))}`;
}

/** In shortcomings, a question whose id starts with "cause" explains the problem before it. */
function isCause(q: Question): boolean {
  return /^cause(?:-|$)/.test(q.id.slice(q.sectionId.length + 1));
}

function composeShortcomings(c: Composer): string {
  const items: string[] = [];
  for (const line of freeLines(c)) {
    const last = items.length - 1;
    if (CAUSE_START.test(line) && last >= 0) items[last] += cause(c, "原因分析", line);
    else items.push(freeItem(c, line));
  }
  let problem: { index: number; named: boolean } | null = null;
  let causeGiven = false;
  for (const q of c.section.questions) {
    const answer = c.answers.get(q.id);
    const given = answer !== undefined && !isNoneAnswer(answer) ? answer : undefined;
    if (!isCause(q)) {
      const body = resolve(c, q, needed(c, q));
      problem = body === null ? null : { index: items.push(body) - 1, named: given !== undefined };
      continue;
    }
    causeGiven ||= given !== undefined;
    if (problem === null) {
      // A cause whose problem was left out stands on its own, so that no fact is lost.
      if (given !== undefined) items.push(cause(c, lead(c, q), given));
      continue;
    }
    if (given !== undefined) {
      items[problem.index] += cause(c, lead(c, q), given);
      continue;
    }
    // Every problem actually named needs its cause, even where the question is optional.
    const body = resolve(c, q, c.free.length === 0 && (problem.named || q.required));
    if (body !== null) items[problem.index] += `${lead(c, q)}：${body}`;
  }
  if (items.length === 0) return c.fill(NOTHING_TO_REPORT);
  const body = numbered(c.opening, items);
  const freeSaysWhy = freeLines(c).some((line) => line.includes("原因"));
  if (c.free.length > 0 && !freeSaysWhy && !causeGiven) return `${body}\n${CAUSES_MISSING}`;
  return body;
}

function composeNextYear(c: Composer): string {
  const items = freeLines(c).map((line) => freeItem(c, line));
  for (const q of c.section.questions) {
    const body = resolve(c, q, needed(c, q));
    if (body !== null) items.push(`${lead(c, q)}。${body}`);
  }
  if (items.length === 0) return c.fill(NOTHING_TO_REPORT);
  return numbered(c.opening, items);
}
