import { type BotError, GrammyError, HttpError } from "grammy";
import { InviteTakenError } from "../app/interview.js";
import { LlmError } from "../llm/error.js";
import { errorData } from "../log.js";
import { DRAFTING, TEXT } from "../messages/zh.js";
import { StoreError, UnconfirmedWriteError } from "../store/store.js";
import type { BotContext } from "./context.js";

/**
 * The one place a failed update becomes a user message: the store being down and an invite
 * taken a moment earlier have their own; anything else is an internal error. Either way what was
 * saved before stays saved. Drafts run outside the chat's lane report here too (features/drafting).
 */
export async function replyToError(err: BotError<BotContext>): Promise<void> {
  const { ctx, error } = err;
  // Telegram itself failing (after auto-retry gave up): no reply can get through, so the error
  // goes on to bot.catch, which logs it as unhandled for the operator.
  if (error instanceof GrammyError || error instanceof HttpError) throw error;
  const org = ctx.seat?.org.id;
  ctx.log.error("update failed", { ...errorData(error), ...(org ? { org } : {}) });
  if (!ctx.chat) return;
  await ctx.reply(messageFor(error)).catch(() => {});
}

function messageFor(error: unknown): string {
  if (error instanceof InviteTakenError) return TEXT.joinRefused(error.code, "used");
  // A write whose outcome the store could not find out is never reported as not saved.
  if (error instanceof UnconfirmedWriteError) return TEXT.storeUnsure;
  // The drafter falls back per section and never throws it today; a path that might, gets this.
  if (error instanceof LlmError) return DRAFTING.failed;
  return error instanceof StoreError ? TEXT.storeDown : TEXT.internal;
}
