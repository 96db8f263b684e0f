import type { Cursor } from "../domain/types.js";
import type { Question } from "../template/load.js";
import { nextUnanswered, questionsOf } from "./progress.js";
import type { InterviewContext, Outcome } from "./types.js";
import { finishedReply, questionReply } from "./views.js";

/** Moving the cursor and asking the question it lands on. */

export function ask(ctx: InterviewContext, question: Question | undefined): Outcome {
  const cursor: Cursor = { questionId: question?.id ?? null, pending: null };
  const reply = question
    ? questionReply(ctx.template, question, ctx.answers)
    : finishedReply(ctx.template, ctx.answers);
  return { effects: [{ kind: "setCursor", orgId: orgIdOf(ctx), cursor }], replies: [reply] };
}

/** Asks the first unanswered question after `afterId` (from the start when null), wrapping. */
export function resume(ctx: InterviewContext, afterId: string | null): Outcome {
  return ask(ctx, nextUnanswered(ctx.template, ctx.answers, afterId, true));
}

/** The user's cursor, or the first unanswered question for a member who has none yet. */
export function cursorOf(ctx: InterviewContext): Cursor {
  if (ctx.cursor) return ctx.cursor;
  const first =
    nextUnanswered(ctx.template, ctx.answers, null, true) ?? questionsOf(ctx.template)[0];
  return { questionId: first?.id ?? null, pending: null };
}

export function orgIdOf(ctx: InterviewContext): string {
  if (!ctx.org) throw new Error("the interview needs the user's org");
  return ctx.org.id;
}

export function merge(...outcomes: Outcome[]): Outcome {
  return {
    effects: outcomes.flatMap((o) => o.effects),
    replies: outcomes.flatMap((o) => o.replies),
  };
}
