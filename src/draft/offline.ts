import type { OrgBasics } from "../domain/types.js";
import { type ComposerWording, NO_WORDING } from "../template/composer.js";
import type { Question, Section } from "../template/load.js";
import { chineseNumeral } from "../text/numerals.js";
import { composeFigures } from "./compose.js";
import {
  fillPlaceholders,
  formalize,
  isNoneAnswer,
  missingLabel,
  missingMarker,
  selfName,
  splitBlocks,
  splitLines,
  withoutNumbering,
} from "./formal.js";
import type { SectionFacts } from "./types.js";

/**
 * The offline composer: a section body in 公文 register from its facts alone, deterministic, with
 * no LLM. The wording comes from the template (a section's `opening`, a question's `lead`, `none`
 * and `compose`, the word lists of composer.yaml); the facts are only normalised (formal.ts) or
 * put into a question's compose sentence when that provably keeps all of them (compose.ts), so
 * every figure, date and 《title》 of the answers reaches the draft verbatim.
 *
 * Layout by part:
 * - measures, first-responsible, other: the theme sentence (opening), then one paragraph per
 *   sub-item, "一是{lead}。{sentence}" (the first shares the opening's paragraph); free text gives
 *   a sub-item per block (blank lines separate blocks);
 * - intro: "{opening}{lead}：{answer}…现将有关情况报告如下：", leaving out the answers' clauses that
 *   only repeat the opening;
 * - shortcomings: the opening, then （一）（二）… one paragraph per problem, each followed by
 *   "原因分析：" and its own cause (or a marker asking for it);
 * - next-year: the opening, then （一）（二）… one paragraph per arrangement, each opening with a
 *   theme; a plan answering a shortcoming says which ("针对…的问题，").
 * A none answer gives the question's none sentence; an unanswered question gives a marker when
 * it is required and nothing otherwise, never a none sentence.
 */

/** The last words of the intro: the parts of the report follow. */
export const INTRO_CLOSING = "现将有关情况报告如下：";
/** A required section with no facts at all. */
export const SECTION_MISSING = missingMarker("本部分内容");
/** A shortcoming given without a word on why. */
export const CAUSES_MISSING = missingMarker("该不足的主观原因和客观原因");
/** A none answer to a question without its own `none` sentence. */
const GENERIC_NONE = "本年度{self}无相关情况。";
/** Every answer was a none answer whose item the template leaves out: said instead of the opening. */
const NOTHING_TO_REPORT = "本年度{self}无需要报告的相关情况。";
/** A short topic label opening a note: "信访：", "法律顾问：". */
const TOPIC_LABEL = /^(\p{Script=Han}{2,6})：(?=\S)/u;
/** The head of a plan or problem written as "加强……：具体措施". */
const ITEM_HEAD = /^([^：《》\d]{4,24})：(?=\S)/u;
const CAUSE_START = /^(?:原因分析|主要原因|究其原因|原因)[：:，,\s]*/u;
/** A theme or problem summary longer than this is no heading: the sentence is kept whole. */
const THEME_MAX = 18;
const PROBLEM_SHORT_MAX = 24;

/** What the composer may use besides a section's own facts. */
export interface ComposeContext {
  /** The report type's word lists (composer.yaml); none: answers are only normalised. */
  wording?: ComposerWording;
  /** The shortcomings' facts: next year's plans say which problem they answer. */
  shortcomings?: SectionFacts;
}

/** The body of one section (no heading), from its facts only, in 公文 register. */
export function composeSection(
  org: OrgBasics,
  facts: SectionFacts,
  context: ComposeContext = {},
): string {
  const { section } = facts;
  const c = composer(org, section, gather(section, facts), context.wording ?? NO_WORDING);
  if (c.free.length === 0 && c.answers.size === 0 && c.gaps.size === 0) {
    if (!section.required || c.elsewhere.size > 0) return "";
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
      return composeNextYear(c, context.shortcomings);
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
  /** Questions whose whole answer is written in another section (repeats.ts): left out here. */
  elsewhere: Set<string>;
}

interface Composer extends Material {
  org: OrgBasics;
  section: Section;
  self: string;
  opening: string;
  wording: ComposerWording;
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
  return { free, answers, gaps, elsewhere: new Set(facts.elsewhere) };
}

function composer(
  org: OrgBasics,
  section: Section,
  material: Material,
  wording: ComposerWording,
): Composer {
  const self = selfName(org.kind);
  const fill = (template: string) => fillPlaceholders(template, org);
  return {
    ...material,
    org,
    section,
    self,
    wording,
    opening: fill(section.opening),
    fill,
    formal: (answer) => formalize(answer, self, { wording: wording.formal, next: org.year + 1 }),
  };
}

/**
 * What stands for one question: its compose sentence or formal answer, its none sentence, a
 * marker, or nothing.
 */
function resolve(c: Composer, q: Question, needed: boolean): string | null {
  if (c.elsewhere.has(q.id)) return null;
  const answer = c.answers.get(q.id);
  if (answer === undefined) return needed ? missingMarker(missingLabel(q, c.org)) : null;
  if (isNoneAnswer(answer)) {
    const none = q.none ?? GENERIC_NONE;
    return none === "" ? null : c.fill(none);
  }
  return composed(c, q, answer) ?? c.formal(answer);
}

/** The question's compose sentence, when it keeps every fact of the answer (compose.ts). */
function composed(c: Composer, q: Question, answer: string): string | null {
  if (q.compose === undefined) return null;
  const words = { units: c.wording.units, filler: c.wording.composeFiller };
  const sentence = composeFigures(c.fill(q.compose), answer.trim(), words);
  return sentence === null ? null : `${sentence.replace(/[。；，\s]+$/u, "")}。`;
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

/** A free-text block as a sub-item; a note's topic label ("信访：…") reads "在信访方面，…". */
function freeParagraphs(c: Composer): string[] {
  return c.free
    .flatMap(splitBlocks)
    .map(c.formal)
    .filter(Boolean)
    .map((text) => text.replace(TOPIC_LABEL, "在$1方面，"));
}

function freeLines(c: Composer): string[] {
  return c.free.flatMap(splitLines).map(withoutNumbering).filter(Boolean);
}

/** A free-text item in a numbered list; its leading "措施概括：" becomes a sentence of its own. */
function freeItem(c: Composer, line: string): string {
  return c.formal(line).replace(ITEM_HEAD, "$1。");
}

function composeMeasures(c: Composer): string {
  const units = [...freeParagraphs(c)];
  for (const q of c.section.questions) {
    const body = resolve(c, q, needed(c, q));
    if (body !== null) units.push(`${lead(c, q)}。${body}`);
  }
  if (units.length === 0) return c.fill(NOTHING_TO_REPORT);
  // One sub-item needs no 一是; several each get their own paragraph.
  const items =
    units.length === 1 ? units : units.map((unit, i) => `${chineseNumeral(i + 1)}是${unit}`);
  const [first, ...rest] = items;
  return [c.opening + (first ?? ""), ...rest].join("\n");
}

/** The intro's clauses that only repeat what its opening says: who led, what guided the work. */
function repeatsOpening(c: Composer, clause: string): boolean {
  if (/\d|《/.test(clause)) return false;
  return c.wording.introRepeats.some((mark) => clause.includes(mark) && c.opening.includes(mark));
}

function withoutRepeats(c: Composer, text: string): string {
  return splitLines(text)
    .map((line) =>
      line
        .split(/(?<=[，,；;。])/u)
        .filter((clause) => !repeatsOpening(c, clause))
        .join("")
        .replace(/[，,；;]+$/u, ""),
    )
    .filter(Boolean)
    .join("\n");
}

function composeIntro(c: Composer): string {
  const free = c.free.map((text) => withoutRepeats(c, text)).filter(Boolean);
  const units = free.flatMap(splitBlocks).map(c.formal).filter(Boolean);
  for (const q of c.section.questions) {
    const answer = c.answers.get(q.id);
    const kept = answer === undefined ? answer : withoutRepeats(c, answer);
    if (answer !== undefined && kept === "") continue;
    const body = resolve({ ...c, answers: withAnswer(c.answers, q.id, kept) }, q, needed(c, q));
    if (body !== null) units.push(`${lead(c, q)}：${body}`);
  }
  return c.opening + units.join("") + INTRO_CLOSING;
}

function withAnswer(
  answers: Map<string, string>,
  id: string,
  text: string | undefined,
): Map<string, string> {
  if (text === undefined) return answers;
  return new Map(answers).set(id, text);
}

function numbered(opening: string, items: string[]): string {
  return [opening, ...items.map((item, i) => `（${chineseNumeral(i + 1)}）${item}`)].join("\n");
}

/** In shortcomings, a question whose id starts with "cause" explains the problem before it. */
function isCause(q: Question): boolean {
  return /^cause(?:-|$)/.test(q.id.slice(q.sectionId.length + 1));
}

/** A problem as given, with the cause given for it (if any). */
interface Problem {
  text: string;
  cause?: string;
  /** The marker standing for a required problem nobody named. */
  marker?: string;
  /** The marker for its cause when none is given. */
  causeMarker: string;
}

/** The org's problems in order: free lines first, then problem-1/cause-1, problem-2 … */
function problemsOf(c: Composer): Problem[] {
  const problems: Problem[] = [];
  for (const line of freeLines(c)) {
    const last = problems.at(-1);
    if (CAUSE_START.test(line) && last && last.cause === undefined) {
      last.cause = line.replace(CAUSE_START, "");
    } else problems.push({ text: line, causeMarker: CAUSES_MISSING });
  }
  let current: Problem[] = [];
  for (const q of c.section.questions) {
    // An answer on last year's shortcoming says how it was fixed: no problem of this year.
    if (c.elsewhere.has(q.id) || q.lastYear) continue;
    const answer = c.answers.get(q.id);
    const given = answer !== undefined && !isNoneAnswer(answer) ? answer : undefined;
    if (!isCause(q)) {
      current = problemLines(c, q, given);
      problems.push(...current);
      continue;
    }
    const causes = given === undefined ? [] : causeLines(given, current.length);
    causes.forEach((cause, i) => {
      const problem = current[i];
      if (problem) problem.cause = cause;
      // A cause whose problem was left out stands on its own, so that no fact is lost.
      else problems.push({ text: cause, causeMarker: CAUSES_MISSING });
    });
    for (const problem of current) {
      if (problem.cause === undefined) problem.causeMarker = missingMarker(missingLabel(q, c.org));
    }
  }
  return problems;
}

/** The problems one question gives: one per line of the answer, or its marker when required. */
function problemLines(c: Composer, q: Question, given: string | undefined): Problem[] {
  if (given === undefined) {
    if (!needed(c, q)) return [];
    return [{ text: "", marker: missingMarker(missingLabel(q, c.org)), causeMarker: "" }];
  }
  const lines = splitLines(given).map(withoutNumbering).filter(Boolean);
  // A problem and its details on several lines are one problem unless the lines are numbered.
  const many =
    /problem-more$/.test(q.id) || splitLines(given).every((l) => l !== withoutNumbering(l));
  const texts = many ? lines : [lines.join("\n")];
  return texts.map((text) => ({ text, causeMarker: CAUSES_MISSING }));
}

/** The causes for `count` problems: one per line when the lines match the problems, else one. */
function causeLines(given: string, count: number): string[] {
  const lines = splitLines(given).map(withoutNumbering).filter(Boolean);
  return count > 1 && lines.length === count ? lines : [lines.join("\n")];
}

/**
 * The shortcomings: first how last year's were fixed ("针对上年度报告指出的“…”问题，…"), then
 * this year's, numbered, each with its cause.
 */
function composeShortcomings(c: Composer): string {
  const fixes = c.section.questions.flatMap((q) => {
    const body = q.lastYear && !c.elsewhere.has(q.id) ? resolve(c, q, false) : null;
    return body === null ? [] : [`${lead(c, q)}，${body}`];
  });
  const items = problemsOf(c).map((p) => {
    const problem = p.marker ?? freeItem(c, p.text);
    if (p.marker && p.cause === undefined) return problem;
    const cause =
      p.cause === undefined ? p.causeMarker : c.formal(p.cause.replace(CAUSE_START, ""));
    return `${problem}原因分析：${cause}`;
  });
  const body = items.length === 0 ? c.fill(NOTHING_TO_REPORT) : numbered(c.opening, items);
  return [...fixes, body].join("\n");
}

/** Next year's plan questions answering the shortcomings, in the order of the problems. */
const PLAN_FOR_PROBLEM = /(?:^|\.)answer-(\d+|more)$/;

function composeNextYear(c: Composer, shortcomings: SectionFacts | undefined): string {
  const problems = shortcomings ? problemSummaries(c, shortcomings) : [];
  const items = freeLines(c).map((line) => planItem(c, c.formal(line)));
  for (const q of c.section.questions) {
    if (c.elsewhere.has(q.id)) continue;
    const answer = c.answers.get(q.id);
    const which = PLAN_FOR_PROBLEM.exec(q.id)?.[1];
    const answering =
      which === undefined
        ? []
        : which === "more"
          ? problems.slice(2)
          : [problems[Number(which) - 1]];
    if (answer === undefined || isNoneAnswer(answer)) {
      const body = resolve(c, q, needed(c, q));
      if (body === null) continue;
      const problem = answering[0];
      const marker =
        problem && answer === undefined ? missingMarker(`针对“${problem}”的改进措施`) : body;
      items.push(`${lead(c, q)}。${marker}`);
      continue;
    }
    const lines = splitLines(answer).map(withoutNumbering).filter(Boolean);
    // Plans for the third, fourth … problem come one per line, in the order of the problems.
    const texts = which === "more" ? lines : [lines.join("\n")];
    texts.forEach((text, i) => {
      const problem = which === undefined ? undefined : answering[i];
      const fallback = i === 0 ? lead(c, q) : undefined;
      items.push(planItem(c, c.formal(text), fallback, problem));
    });
  }
  if (items.length === 0) return c.fill(NOTHING_TO_REPORT);
  return numbered(c.opening, items);
}

/**
 * One arrangement with its theme first: the answer's own head ("加强……：…"), else its first
 * clause when it is short and starts with a plan verb of composer.yaml, else the problem it
 * answers, else the question's lead; "针对…的问题，" names the problem it answers.
 */
function planItem(c: Composer, formal: string, fallback?: string, problem?: string): string {
  const against = problem ? `针对${problem}${/问题$/.test(problem) ? "" : "的问题"}，` : "";
  const head = ITEM_HEAD.exec(formal);
  if (head?.[1]) return `${head[1]}。${against}${formal.slice(head[0].length)}`;
  const [clause = "", ...rest] = formal.split(/(?<=[，；。])/u);
  const theme = clause.replace(/[，；。]$/u, "");
  const verbLed = c.wording.planVerbs.some((verb) => theme.startsWith(verb));
  if (verbLed && theme.length <= THEME_MAX && !/\d/.test(theme) && rest.length > 0) {
    return `${theme}。${against}${rest.join("")}`;
  }
  if (problem && against !== "")
    return `切实解决${problem}${/问题$/.test(problem) ? "" : "的问题"}。${formal}`;
  return fallback ? `${fallback}。${formal}` : formal;
}

/** The problems of the shortcomings, each in a few words ("执法人员持证率只有78%"). */
function problemSummaries(c: Composer, shortcomings: SectionFacts): string[] {
  const s = composer(
    c.org,
    shortcomings.section,
    gather(shortcomings.section, shortcomings),
    c.wording,
  );
  return problemsOf(s)
    .filter((p) => p.marker === undefined)
    .map((p) => {
      const formal = freeItem(s, p.text);
      const first = formal.split(/[，；。：]/u)[0] ?? "";
      return first.length >= 4 && first.length <= PROBLEM_SHORT_MAX ? first : "";
    });
}
