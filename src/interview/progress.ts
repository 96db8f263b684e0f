import type { Question, Section, Template } from "../template/load.js";
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
