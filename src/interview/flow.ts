import type { Cursor } from "../domain/types.js";
import type { Question } from "../template/load.js";
import { isAnswered } from "../template/progress.js";
import { nextUnanswered, ownSections, questionsOf } from "./progress.js";
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

/**
 * Asks the next unanswered question after `afterId`: the rest of that section first, then the
 * user's own sections, then any other (from the start when null), wrapping.
 */
export function resume(ctx: InterviewContext, afterId: string | null): Outcome {
  const own = ownSections(ctx.assignments, ctx.user.id);
  return ask(
    ctx,
    restOfSection(ctx, afterId) ?? nextUnanswered(ctx.template, ctx.answers, afterId, true, own),
  );
}

function restOfSection(ctx: InterviewContext, afterId: string | null): Question | undefined {
  const current = afterId ? ctx.template.question(afterId) : undefined;
  const questions = current ? (ctx.template.section(current.sectionId)?.questions ?? []) : [];
  const after = questions.slice(questions.findIndex((q) => q.id === afterId) + 1);
  return after.find((q) => !isAnswered(ctx.answers, q.id));
}

/** The user's cursor, or the first unanswered question for a member who has none yet. */
export function cursorOf(ctx: InterviewContext): Cursor {
  if (ctx.cursor) return ctx.cursor;
  const first =
    nextUnanswered(
      ctx.template,
      ctx.answers,
      null,
      true,
      ownSections(ctx.assignments, ctx.user.id),
    ) ?? questionsOf(ctx.template)[0];
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
