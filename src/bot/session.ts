import { randomInt } from "node:crypto";
import { respond } from "../interview/engine.js";
import { questionsOf } from "../interview/progress.js";
import type { Effect, Input, InterviewContext, Outcome } from "../interview/types.js";
import type { Store } from "../store/store.js";
import type { Template } from "../template/load.js";

export interface User {
  id: number;
  name: string;
}

export interface SessionDeps {
  store: Store;
  template: Template;
  now: () => Date;
}

/** Loads what the interview needs for one user, runs it, and persists its effects. */
export async function runInterview(deps: SessionDeps, user: User, input: Input): Promise<Outcome> {
  const ctx = await loadContext(deps, user);
  if (input.kind === "command" && input.name === "missing" && ctx.org) {
    const draft = await deps.store.latestDraft(ctx.org);
    if (draft)
      ctx.draftCheck = { n: draft.n, missing: draft.check.missing, weak: draft.check.weak };
  }
  const outcome = respond(ctx, input);
  for (const effect of outcome.effects) await apply(deps, ctx, effect);
  return outcome;
}

export async function loadContext(deps: SessionDeps, user: User): Promise<InterviewContext> {
  const { store, template } = deps;
  const member = await store.getMember(user.id);
  const org = member ? await store.getOrg(member.orgId) : undefined;
  const [registration, cursor, answers] = await Promise.all([
    member ? undefined : store.getRegistration(user.id),
    org ? store.getCursor(org.id, user.id) : undefined,
    org
      ? store.getAnswers(
          org,
          questionsOf(template).map((q) => q.id),
        )
      : new Map(),
  ]);
  return {
    template,
    now: deps.now(),
    user,
    member: org ? member : undefined,
    org,
    registration,
    cursor,
    answers,
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
    case "putOrg":
      await store.putOrg(effect.org);
      return;
    case "putMember":
      await store.putMember(effect.member);
      return;
  }
}

/** Unguessable ids in an alphabet without look-alikes (no 0/O, 1/I/L), easy to type on a phone. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

function randomId(length: number): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}
