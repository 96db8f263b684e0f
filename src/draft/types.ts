import type { DraftedSectionRecord, OrgBasics } from "../domain/types.js";
import type { Section } from "../template/load.js";

/** One fact the staff gave: the answer to a question, or a section's free text (answers file). */
export interface Fact {
  /** Full question id (e.g. "rules.issued"); absent for a section's free text. */
  questionId?: string;
  text: string;
}

/** What a section is drafted from: its own facts only. */
export interface SectionFacts {
  section: Section;
  facts: Fact[];
}

export type DraftSource = DraftedSection["source"];

/** A drafted section: its body without the heading, and whether the LLM or the composer wrote it. */
export type DraftedSection = DraftedSectionRecord;

/** A value in a draft (figure, percentage, date, 《title》) not found in the org's answers. */
export interface Ungrounded {
  section: string;
  value: string;
  /** The sentence it stands in. */
  context: string;
}

export interface DraftRequest {
  org: OrgBasics;
  sections: SectionFacts[];
}
