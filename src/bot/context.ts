import type { FileFlavor } from "@grammyjs/files";
import type { Context, NextFunction } from "grammy";
import type { Logger } from "../log.js";
import { TEAM, TEXT } from "../messages/zh.js";
import type { DraftJob, Seat, Store } from "../store/store.js";

/** What this bot adds to grammY's context. */
export interface BotFlavor {
  /** A logger that tags every line with this update's id. */
  log: Logger;
  /** The sender's member record and org, once a feature has looked them up (see `seated`). */
  seat?: Seat;
  /** The org's draft job as the interview read it with this message (see features/drafting). */
  draftJob?: DraftJob;
}

/** The bot's context: grammY's, with the files plugin's download methods and our flavor. */
export type BotContext = FileFlavor<Context> & BotFlavor;

/** Gives every update its own child logger carrying the update id. */
export function updateLogger(logger: Logger) {
  return (ctx: BotContext, next: NextFunction): Promise<void> => {
    ctx.log = logger.child({ update: ctx.update.update_id });
    return next();
  };
}

/** Who may run a handler: any member of an org, or only its admins. */
export type Access = "member" | "admin";

/** A handler that runs for a member (see `seated`) with their seat. */
export type SeatedHandler = (ctx: BotContext, seat: Seat) => Promise<unknown>;

/**
 * Runs `handler` with the sender's seat (also left on `ctx.seat`); a non-member, or a non-admin
 * for an admin handler, is told so and nothing changes. Store errors go to the error boundary.
 */
export function seated(
  store: Store,
  access: Access,
  handler: SeatedHandler,
): (ctx: BotContext) => Promise<void> {
  return async (ctx) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const userId = ctx.from?.id;
    if (userId === undefined) return;
    const seat = await store.seatOf(userId);
    if (!seat) return void (await ctx.reply(TEXT.notMember));
    if (access === "admin" && !seat.org.admins.includes(userId)) {
      return void (await ctx.reply(TEAM.adminOnly));
    }
    ctx.seat = seat;
    await handler(ctx, seat);
  };
}
