import type { Answer } from "../domain/types.js";
import type { Question, Section, Template } from "./load.js";

/** How far an org's answers cover a template: used by the interview, reminders and drafting. */

export type Answers = ReadonlyMap<string, Answer>;

export interface SectionProgress {
  section: Section;
  answered: number;
  total: number;
  /** Required questions of this section without an answer. */
  missing: Question[];
}

export function isAnswered(answers: Answers, questionId: string): boolean {
  return (answers.get(questionId)?.text.trim() ?? "") !== "";
}

export function progressOf(template: Template, answers: Answers): SectionProgress[] {
  return template.sections.map((section) => ({
    section,
    answered: section.questions.filter((q) => isAnswered(answers, q.id)).length,
    total: section.questions.length,
    missing: section.questions.filter((q) => q.required && !isAnswered(answers, q.id)),
  }));
}
