import type { Answer } from "../domain/types.js";
import type { Question, Section, Template } from "../template/load.js";
import { findStaffNotes } from "../template/notes.js";
import { type Answers, isAnswered } from "../template/progress.js";

const allQuestions = new WeakMap<Template, Question[]>();

/** Every question in interview order (computed once per template: it is on every message's path). */
export function questionsOf(template: Template): Question[] {
  let questions = allQuestions.get(template);
  if (!questions) {
    questions = template.sections.flatMap((s) => s.questions);
    allQuestions.set(template, questions);
  }
  return questions;
}

/**
 * The first unanswered question after `afterId` (from the start when null), optionally wrapping.
 * Questions of the `preferred` sections (a member's own) come first, then all the others.
 */
export function nextUnanswered(
  template: Template,
  answers: Answers,
  afterId: string | null,
  wrap: boolean,
  preferred: ReadonlySet<string> = new Set(),
): Question | undefined {
  const all = questionsOf(template);
  const start = afterId === null ? 0 : all.findIndex((q) => q.id === afterId) + 1;
  const order = wrap ? [...all.slice(start), ...all.slice(0, start)] : all.slice(start);
  const open = order.filter((q) => !isAnswered(answers, q.id));
  return open.find((q) => preferred.has(q.sectionId)) ?? open[0];
}

/** A question the report needs: required, in a required section. */
export function isRequired(template: Template, question: Question): boolean {
  return question.required && (template.section(question.sectionId)?.required ?? false);
}

/**
 * What /next asks: the first open question after `afterId` (wrapping), required ones before
 * optional ones, and within each the `preferred` (own) sections first. `answers` should be the
 * fact answers (see factAnswers).
 */
export function nextByPriority(
  template: Template,
  answers: Answers,
  afterId: string | null,
  preferred: ReadonlySet<string>,
): Question | undefined {
  const all = questionsOf(template);
  const start = afterId === null ? 0 : all.findIndex((q) => q.id === afterId) + 1;
  const open = [...all.slice(start), ...all.slice(0, start)].filter(
    (q) => !isAnswered(answers, q.id),
  );
  const required = open.filter((q) => isRequired(template, q));
  const optional = open.filter((q) => !isRequired(template, q));
  const ownFirst = (qs: Question[]) => qs.find((q) => preferred.has(q.sectionId)) ?? qs[0];
  return ownFirst(required) ?? ownFirst(optional);
}

/** An answer whose every line is a staff note ("待查", "没有统计") states no fact yet. */
export function isNoteOnly(text: string, notes: readonly string[]): boolean {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return (
    lines.length > 0 &&
    lines.every((line) => {
      let rest = line;
      for (const note of findStaffNotes(line, notes)) rest = rest.replace(note, "");
      // What remains besides the notes is punctuation and spaces only.
      return rest !== line && rest.replace(/[\s\p{P}\p{S}]/gu, "") === "";
    })
  );
}

/**
 * The answers that state facts: an answer made only of staff notes counts as unanswered for
 * /next, /missing and progress (the draft shows it as 【待补充】).
 */
export function factAnswers(template: Template, answers: Answers): Answers {
  const facts = new Map<string, Answer>();
  for (const [id, answer] of answers) {
    if (!isNoteOnly(answer.text, template.staffNotes)) facts.set(id, answer);
  }
  return facts;
}

/** The sections assigned to a user. */
export function ownSections(
  assignments: Readonly<Record<string, number>>,
  userId: number,
): Set<string> {
  return new Set(Object.keys(assignments).filter((id) => assignments[id] === userId));
}

export function previousQuestion(template: Template, id: string | null): Question | undefined {
  const all = questionsOf(template);
  const index = id === null ? all.length : all.findIndex((q) => q.id === id);
  return index > 0 ? all[index - 1] : undefined;
}

/** The question for a section: its first unanswered one, else its first. */
export function entryQuestion(section: Section, answers: Answers): Question | undefined {
  return section.questions.find((q) => !isAnswered(answers, q.id)) ?? section.questions[0];
}

/** Finds the question whose text a message quotes (a Telegram reply to an earlier question). */
export function questionQuotedIn(template: Template, text: string): Question | undefined {
  let best: Question | undefined;
  for (const q of questionsOf(template)) {
    if (text.includes(q.text) && (!best || q.text.length > best.text.length)) best = q;
  }
  return best;
}
