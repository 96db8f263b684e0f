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
  /** Facts the staff marked as not at hand (a staff note): written as 【待补充：label】. */
  gaps?: Gap[];
  /**
   * Questions whose whole answer repeats a fact another section states, where it fits better
   * (repeats.ts): the section leaves them out rather than marking them as missing.
   */
  elsewhere?: string[];
}

/** A fact known to be missing: the question it answers (if any) and what the marker says. */
export interface Gap {
  questionId?: string;
  label: string;
}

/** A drafted section: its body without the heading, and whether the LLM or the composer wrote it. */
export type DraftedSection = DraftedSectionRecord;

/** A value in a draft (figure, percentage, date, 《title》) not found in the org's answers. */
export interface Ungrounded {
  section: string;
  value: string;
  /** The sentence it stands in. */
  context: string;
  /**
   * absent: no answer states the value; elsewhere: answers state it, but about another fact;
   * unit: answers state the number with another unit (公斤 vs 吨, 件 vs 人次, % vs ‰).
   */
  reason: UngroundedReason;
}

export type UngroundedReason = "absent" | "elsewhere" | "unit";

export interface DraftRequest {
  org: OrgBasics;
  sections: SectionFacts[];
}
