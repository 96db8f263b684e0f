import type { CheckResult } from "./check-result.js";

/** Records kept in the store and passed to the pure core. Times are ISO strings (Keyv stores JSON). */

export const ORG_KINDS = ["乡", "镇", "街道"] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export interface OrgBasics {
  name: string;
  kind: OrgKind;
  superior: string;
  year: number;
  /** The 落款 date set by the office (ISO date "2025-03-10"); absent: see draft/signoff.ts. */
  signoff?: string;
  /** Report deadline (ISO instant); absent means the default, 15 March of the next year. */
  deadline?: string;
}

export interface Org extends OrgBasics {
  id: string;
  /** The invite code made at registration (time-limited, see Invite). */
  inviteCode: string;
  admins: number[];
  createdAt: string;
}

/** A code that lets a colleague join an org: one-time or time-limited, unguessable. */
export interface Invite {
  code: string;
  orgId: string;
  createdBy: number;
  createdAt: string;
  /** ISO instant after which the code no longer works; null for no limit. */
  expiresAt: string | null;
  oneTime: boolean;
}

/** Failed join attempts of a user inside the current window (see team/invites). */
export interface JoinFailures {
  count: number;
  since: string;
}

/** Which member answers which section: section id → Telegram user id. */
export type Assignments = Record<string, number>;

export type Role = "admin" | "member";

export interface Member {
  userId: number;
  orgId: string;
  role: Role;
  displayName: string;
  joinedAt: string;
}

export interface AnswerVersion {
  text: string;
  author: number;
  authorName: string;
  at: string;
  /** A candidate adopted from an office's file: the file's name and its sentence quoted. */
  source?: AnswerSource;
}

/** Where an adopted answer came from (the file itself is not kept). */
export interface AnswerSource {
  file: string;
  quote: string;
}

/** Last year's report of an org as read: what this year's report must account for. */
export interface LastYearReport {
  fileName: string;
  /** The year the report is about, when it says. */
  year: number | null;
  shortcomings: { text: string }[];
  /** Plan items, each with the section of this year's template it belongs to. */
  plans: { text: string; section: string }[];
  importedBy: number;
  importedAt: string;
}

export interface Answer extends AnswerVersion {
  questionId: string;
  /** Earlier versions, oldest first: loaded only where shown (/history), absent elsewhere. */
  history?: AnswerVersion[];
}

/** What the next free text of a user is for, besides answering the current question. */
export interface PendingEdit {
  mode: "append" | "replace";
  questionId: string;
}

export interface Cursor {
  /** The question being asked; null once the user has gone through every question. */
  questionId: string | null;
  pending: PendingEdit | null;
}

/** Registration of a new org, step by step (name → kind → superior → year). */
export interface Registration {
  step: "name" | "kind" | "superior" | "year";
  name?: string;
  kind?: OrgKind;
  superior?: string;
}

export interface DraftedSectionRecord {
  id: string;
  title: string;
  text: string;
  source: "llm" | "offline";
}

/** One version of an org's draft, as shown by /drafts and used by /revise and export. */
export interface Draft {
  n: number;
  createdAt: string;
  author: number;
  authorName: string;
  title: string;
  text: string;
  markdown: string;
  sections: DraftedSectionRecord[];
  check: CheckResult;
  /** `reason` is absent in drafts saved before fact-level grounding. */
  ungrounded: {
    section: string;
    value: string;
    context: string;
    reason?: "absent" | "elsewhere" | "unit";
  }[];
  usage: { promptTokens: number; completionTokens: number };
  /** Last year's plan items and whether this draft mentions each (orgs that imported the report). */
  lastYearPlans?: LastYearPlan[];
}

/** One of last year's plan items, as a check of this year's report accounts for it. */
export interface LastYearPlan {
  text: string;
  /** Section id of this year's template. */
  section: string;
  mentioned: boolean;
}
