import type {
  Answer,
  Assignments,
  Cursor,
  Invite,
  LastYearPlan,
  Member,
  Org,
  Registration,
} from "../domain/types.js";
import type { Template } from "../template/load.js";

export interface DraftCheck {
  n: number;
  missing: string[];
  weak: string[];
  /** Last year's plan items and whether the draft mentions each (orgs that imported it). */
  lastYearPlans?: readonly LastYearPlan[];
}

export interface Button {
  label: string;
  data: string;
}

/** One message to the user; adapters render buttons as inline keyboards or numbered choices. */
export interface Reply {
  text: string;
  buttons?: Button[][];
}

export type CommandName =
  | "start"
  | "join"
  | "next"
  | "skip"
  | "back"
  | "sections"
  | "edit"
  | "status"
  | "missing"
  | "help"
  | "cancel"
  | "history";

export type Input =
  /** Free text; `replyTo` is the question the user replied to, if any. */
  | { kind: "text"; text: string; replyTo?: string }
  | { kind: "command"; name: CommandName; arg: string }
  | { kind: "button"; data: string }
  /** `/start CODE` or `/join CODE`, with the org the adapter found for the code. */
  | { kind: "join"; code: string; lookup: JoinLookup };

/** What the adapter found for an invite code. */
export type JoinLookup = { org: Org } | { problem: "unknown" | "expired" | "used" | "limited" };

/** Everything the core may read; the adapter loads it before and applies effects after. */
export interface InterviewContext {
  template: Template;
  now: Date;
  user: { id: number; name: string };
  member: Member | undefined;
  org: Org | undefined;
  registration: Registration | undefined;
  cursor: Cursor | undefined;
  answers: ReadonlyMap<string, Answer>;
  /** Who owns which section ({} when nobody assigned any). */
  assignments: Assignments;
  /** The org's members, loaded for /status only (to name owners and authors). */
  members?: Member[];
  /** The checklist verdict of the org's latest draft, loaded for /missing only. */
  draftCheck?: DraftCheck;
  /** Fresh random ids, used only when a registration completes. */
  fresh: { orgId: string; inviteCode: string };
}

export type Effect =
  | { kind: "saveAnswer"; questionId: string; text: string; mode: "replace" | "append" }
  | { kind: "setCursor"; orgId: string; cursor: Cursor }
  | { kind: "setRegistration"; registration: Registration | null }
  | { kind: "createOrg"; org: Org; invite: Invite }
  | { kind: "addMember"; member: Member }
  | { kind: "useInvite"; code: string };

/** Effects are applied in order, and only then are the replies sent. */
export interface Outcome {
  effects: Effect[];
  replies: Reply[];
}
