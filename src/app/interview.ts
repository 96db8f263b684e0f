import type { Cursor, LastYearReport } from "../domain/types.js";
import { respond } from "../interview/engine.js";
import { withLastYear } from "../interview/last-year.js";
import {
  factAnswers,
  isRequired,
  nextByPriority,
  ownSections,
  questionQuotedIn,
  questionsOf,
} from "../interview/progress.js";
import { findQuestion } from "../interview/refs.js";
import type { Effect, Input, InterviewContext, JoinLookup, Outcome } from "../interview/types.js";
import { templateForKind } from "../messages/wording.js";
import type { DraftJob, Store } from "../store/store.js";
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
): Promise<InterviewResult> {
  const { context: ctx, draftJob } = await loadContext(deps, user);
  const input = await inputOf(deps, ctx, raw);
  if (input.kind === "command" && ctx.org) await loadForCommand(deps, ctx, input.name, input.arg);
  const outcome = respond(ctx, input);
  for (const effect of withCursorInSave(outcome.effects)) await apply(deps, ctx, effect);
  return { ...outcome, draftJob };
}

/** What a message did, and its org's draft job as read with it (no extra round trip). */
export type InterviewResult = Outcome & { draftJob: DraftJob | undefined };

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

/** An effect as applied: a saved answer may carry the cursor move that followed it. */
type Step =
  | Exclude<Effect, { kind: "saveAnswer" }>
  | (Extract<Effect, { kind: "saveAnswer" }> & { cursor?: Cursor });

/** An answer and the cursor move after it are one commit (Store.saveAnswer's `move`). */
function withCursorInSave(effects: Effect[]): Step[] {
  const save = effects.findIndex((e) => e.kind === "saveAnswer");
  const move = effects.findLastIndex((e, i) => i > save && e.kind === "setCursor");
  const saved = effects[save];
  const moved = effects[move];
  if (saved?.kind !== "saveAnswer" || moved?.kind !== "setCursor") return effects;
  // Cursor moves between the two are overwritten by the last one, as applied one by one.
  const rest = effects.filter((e, i) => i !== save && !(i > save && e.kind === "setCursor"));
  return [{ ...saved, cursor: moved.cursor }, ...rest];
}

/** /missing also reports the latest draft's gaps; /status names owners and authors. */
async function loadForCommand(
  deps: SessionDeps,
  ctx: InterviewContext,
  name: string,
  arg: string,
): Promise<void> {
  const org = ctx.org;
  if (!org) return;
  if (name === "history") {
    // Earlier versions are read only here, never for an ordinary message.
    const id = arg.trim() ? findQuestion(ctx.template, arg)?.id : ctx.cursor?.questionId;
    const answer = id ? await deps.store.getAnswerWithHistory(org, id) : undefined;
    if (answer) ctx.answers = new Map(ctx.answers).set(answer.questionId, answer);
  }
  if (name === "missing") {
    const draft = await deps.store.latestDraft(org);
    if (draft)
      ctx.draftCheck = {
        n: draft.n,
        missing: draft.check.missing,
        weak: draft.check.weak,
        ...(draft.lastYearPlans ? { lastYearPlans: draft.lastYearPlans } : {}),
      };
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
  const { context: ctx } = await loadContext(deps, user);
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

/** The interview's context for one user, and their org's draft job read in the same round trip. */
async function loadContext(
  deps: SessionDeps,
  user: User,
): Promise<{ context: InterviewContext; draftJob: DraftJob | undefined }> {
  // One or two round trips; current answers only, from the store's checked per-org cache.
  // Last year's questions are the org's own: their ids follow its record, read in the same trip.
  const ids = (lastYear: LastYearReport | undefined) =>
    questionsOf(withLastYear(deps.template, lastYear)).map((q) => q.id);
  const { draftJob, lastYear, ...view } = await deps.store.loadUser(user.id, ids);
  const context: InterviewContext = {
    template: withLastYear(templateForKind(deps.template, view.org?.kind), lastYear),
    now: deps.now(),
    user,
    ...view,
    fresh: { orgId: randomId(6), inviteCode: randomId(8) },
  };
  return { context, draftJob };
}

async function apply(deps: SessionDeps, ctx: InterviewContext, effect: Step): Promise<void> {
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
      const move = effect.cursor && { userId: ctx.user.id, cursor: effect.cursor };
      await store.saveAnswer(org, effect.questionId, version, effect.mode, move);
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
