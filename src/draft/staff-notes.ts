import type { OrgBasics } from "../domain/types.js";
import type { Template } from "../template/load.js";
import { findStaffNotes } from "../template/notes.js";
import { missingLabel, missingMarker } from "./formal.js";
import type { DraftRequest, Fact, SectionFacts } from "./types.js";

/**
 * Staff notes in answers (待查, 不清楚, 没有统计 … from the template's notes.yaml) are not facts: they
 * are taken out before anything is drafted, and what they stand for becomes a visible gap. A
 * clause holding a note becomes 【待补充：…】 in place, labelled by the words around the note
 * ("印发日期待查" → 【待补充：印发日期】); an answer that is nothing but notes is dropped and its
 * question listed in `gaps`, so both the LLM (told which facts are missing) and the offline
 * composer write the marker where that question's item goes.
 */

const CLAUSE = /([，,；;。！？!?\n])/;
/** Words left around a note that say nothing about what is missing. */
const FILLER =
  /^(?:[：:、\s]|其中|具体|另外|另|但是|但|目前|暂时|暂|尚|还|仍|均|都)+|(?:[：:、\s]|的|了|中|为)+$/gu;
const ORDINAL = /^(?:[一二三四五六七八九十]+是|\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)])/u;

/** The request with every staff note replaced by a gap. */
export function withoutStaffNotes(template: Template, request: DraftRequest): DraftRequest {
  const notes = template.staffNotes;
  return {
    ...request,
    sections: request.sections.map((s) => sectionWithoutNotes(template, request.org, s, notes)),
  };
}

function sectionWithoutNotes(
  template: Template,
  org: OrgBasics,
  section: SectionFacts,
  notes: readonly string[],
): SectionFacts {
  const facts: Fact[] = [];
  const gaps = [...(section.gaps ?? [])];
  for (const fact of section.facts) {
    if (findStaffNotes(fact.text, notes).length === 0) {
      facts.push(fact);
      continue;
    }
    const question = fact.questionId ? template.question(fact.questionId) : undefined;
    const fallback = question ? missingLabel(question, org) : `${section.section.title}的具体情况`;
    const { text, labels } = replaceNotes(fact.text, notes, fallback);
    if (question && !hasContent(text)) {
      gaps.push({ questionId: question.id, label: fallback });
      continue;
    }
    // The marker stands in the answer; the label also tells the model what is missing.
    gaps.push(...labels.map((label) => ({ label })));
    facts.push({ ...fact, text });
  }
  return { ...section, facts, ...(gaps.length > 0 ? { gaps } : {}) };
}

/** Each clause holding a note becomes one 【待补充：…】 marker; other clauses stay as written. */
export function replaceNotes(
  text: string,
  notes: readonly string[],
  fallback: string,
): { text: string; labels: string[] } {
  const labels: string[] = [];
  const parts = text.split(CLAUSE);
  const shortestFirst = [...notes].sort((a, b) => a.length - b.length);
  let previous = "";
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i] ?? "";
    if (findStaffNotes(clause, notes).length === 0) {
      if (clause.trim() !== "") previous = clause.trim();
      continue;
    }
    // Shortest notes first, so "印发日期待查" leaves its label "印发日期".
    let label = shortestFirst.reduce((rest, note) => rest.replaceAll(note, ""), clause);
    label = label.replace(FILLER, "").trim();
    if (!/\p{Script=Han}.*\p{Script=Han}/u.test(label)) {
      const topic = previous.replace(ORDINAL, "").replace(FILLER, "");
      label = topic.length >= 2 && topic.length <= 20 ? `${topic}的具体情况` : fallback;
    }
    parts[i] = missingMarker(label);
    labels.push(label);
  }
  return { text: parts.join(""), labels };
}

/** Whether a text says anything besides 【…】 markers and punctuation. */
function hasContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.replace(/【[^】]*】/g, ""));
}
