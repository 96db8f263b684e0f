import { respond } from "../interview/engine.js";
import {
  factAnswers,
  isRequired,
  nextByPriority,
  ownSections,
  questionQuotedIn,
  questionsOf,
} from "../interview/progress.js";
import type { Effect, Input, InterviewContext, JoinLookup, Outcome } from "../interview/types.js";
import { templateForKind } from "../messages/wording.js";
import type { Store } from "../store/store.js";
import { inviteProblem, isJoinLimited, nextFailures } from "../team/invites.js";
import type { Question, Template } from "../template/load.js";
import { isAnswered } from "../template/progress.js";
import { randomId } from "../text/ids.js";

/** The interview use case: load what the pure core needs for one user, run it, persist. */

export interface User {
  id: number;
  name: string;
}

export interface SessionDeps {
  store: Store;
  template: Template;
  now: () => Date;
}

/** A one-time code that someone else used a moment earlier; nothing was stored. */
export class InviteTakenError extends Error {
  override name = "InviteTakenError";

  constructor(readonly code: string) {
    super(`invite ${code} was used up in the meantime`);
  }
}

/**
 * What a channel hands over: an invite code is looked up here, with the attempt limit; a text
 * may quote one of the bot's messages (a Telegram reply), whose question is found here, as the
 * user's office reads its questions.
 */
export type SessionInput =
  | Exclude<Input, { kind: "join" } | { kind: "text" }>
  | { kind: "join"; code: string }
  | { kind: "text"; text: string; quoting?: string };

/** Loads what the interview needs for one user, runs it, and persists its effects. */
export async function runInterview(
  deps: SessionDeps,
  user: User,
  raw: SessionInput,
): Promise<Outcome> {
  const ctx = await loadContext(deps, user);
  const input = await inputOf(deps, ctx, raw);
  if (input.kind === "command" && ctx.org) await loadForCommand(deps, ctx, input.name);
  const outcome = respond(ctx, input);
  for (const effect of outcome.effects) await apply(deps, ctx, effect);
  return outcome;
}

async function inputOf(
  deps: SessionDeps,
  ctx: InterviewContext,
  raw: SessionInput,
): Promise<Input> {
  if (raw.kind === "text") {
    const quoted = raw.quoting ? questionQuotedIn(ctx.template, raw.quoting) : undefined;
    return { kind: "text", text: raw.text, ...(quoted ? { replyTo: quoted.id } : {}) };
  }
  if (raw.kind !== "join") return raw;
  // A member is only told they already belong to an org: their code is neither looked up nor
  // counted as a failed attempt (the core never reads this lookup for members).
  const lookup: JoinLookup = ctx.member
    ? { problem: "unknown" }
    : await lookupInvite(deps, ctx.user.id, raw.code);
  return { ...raw, lookup };
}

/** /missing also reports the latest draft's gaps; /status names owners and authors. */
async function loadForCommand(
  deps: SessionDeps,
  ctx: InterviewContext,
  name: string,
): Promise<void> {
  const org = ctx.org;
  if (!org) return;
  if (name === "missing") {
    const draft = await deps.store.latestDraft(org);
    if (draft)
      ctx.draftCheck = { n: draft.n, missing: draft.check.missing, weak: draft.check.weak };
  }
  if (name === "status") ctx.members = await deps.store.listMembers(org.id);
}

/** An invite code's org, or why it cannot be used; unknown codes count toward the limit. */
async function lookupInvite(deps: SessionDeps, userId: number, code: string): Promise<JoinLookup> {
  const { store } = deps;
  const now = deps.now();
  const failures = await store.getJoinFailures(userId);
  if (isJoinLimited(failures, now)) return { problem: "limited" };
  const invite = await store.getInvite(code);
  const org = invite && (await store.getOrg(invite.orgId));
  if (!invite || !org) {
    await store.setJoinFailures(userId, nextFailures(failures, now));
    return { problem: "unknown" };
  }
  const problem = inviteProblem(invite, now, await store.inviteUses(code));
  if (problem) return { problem };
  if (failures) await store.setJoinFailures(userId, null);
  return { org };
}

/** Where a user's office stands: shown when a chat opens (also after a restart). */
export interface Standing {
  org: { name: string; year: number };
  answered: number;
  total: number;
  /** The next required question without a fact answer; none when all are in. */
  nextRequired?: { question: Question; section: string };
}

/** The user's office and progress, or undefined when the user has not joined one. */
export async function standingOf(deps: SessionDeps, user: User): Promise<Standing | undefined> {
  const ctx = await loadContext(deps, user);
  if (!ctx.org || !ctx.member) return undefined;
  const { template } = ctx;
  const facts = factAnswers(template, ctx.answers);
  const all = questionsOf(template);
  const own = ownSections(ctx.assignments, user.id);
  const next = nextByPriority(template, facts, null, own);
  const section = next && template.section(next.sectionId);
  return {
    org: { name: ctx.org.name, year: ctx.org.year },
    answered: all.filter((q) => isAnswered(facts, q.id)).length,
    total: all.length,
    ...(next && section && isRequired(template, next)
      ? { nextRequired: { question: next, section: section.title } }
      : {}),
  };
}

export async function loadContext(deps: SessionDeps, user: User): Promise<InterviewContext> {
  const { store } = deps;
  const seat = await store.seatOf(user.id);
  const org = seat?.org;
  const [registration, cursor, assignments, answers] = await Promise.all([
    seat ? undefined : store.getRegistration(user.id),
    org ? store.getCursor(org.id, user.id) : undefined,
    org ? store.getAssignments(org.id) : {},
    org ? store.answersOf(org, deps.template) : new Map(),
  ]);
  return {
    template: templateForKind(deps.template, org?.kind),
    now: deps.now(),
    user,
    member: seat?.member,
    org,
    registration,
    cursor,
    answers,
    assignments,
    fresh: { orgId: randomId(6), inviteCode: randomId(8) },
  };
}

async function apply(deps: SessionDeps, ctx: InterviewContext, effect: Effect): Promise<void> {
  const { store } = deps;
  switch (effect.kind) {
    case "saveAnswer": {
      const org = ctx.org;
      if (!org) throw new Error("saveAnswer without an org");
      const version = {
        text: effect.text,
        author: ctx.user.id,
        authorName: ctx.user.name,
        at: ctx.now.toISOString(),
      };
      await store.saveAnswer(org, effect.questionId, version, effect.mode);
      return;
    }
    case "setCursor":
      await store.setCursor(effect.orgId, ctx.user.id, effect.cursor);
      return;
    case "setRegistration":
      await store.setRegistration(ctx.user.id, effect.registration);
      return;
    case "createOrg":
      await store.createOrg(effect.org, effect.invite);
      return;
    case "addMember":
      await store.addMember(effect.member);
      return;
    case "useInvite": {
      const invite = await store.getInvite(effect.code);
      if (!invite || !(await store.useInvite(invite))) {
        throw new InviteTakenError(effect.code);
      }
      return;
    }
  }
}
