import { Composer } from "grammy";
import type { AppDeps } from "../../app/deps.js";
import { runInterview, type SessionInput, type User } from "../../app/interview.js";
import { isKnownCommand } from "../../messages/commands.js";
import { TEXT } from "../../messages/zh.js";
import { INTERVIEW_COMMANDS } from "../commands.js";
import type { BotContext } from "../context.js";
import { replyAll } from "../render.js";
import { leadingCommand } from "./groups.js";

/** The interview: registration, joining, answers, moving around, and the fallbacks. */
export function interviewFeature(deps: AppDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const handle = async (ctx: BotContext, input: SessionInput): Promise<void> => {
    const user = userOf(ctx);
    if (!user) return;
    const result = await runInterview(deps, user, input);
    if (result.draftJob) ctx.draftJob = result.draftJob;
    await replyAll(ctx, result.replies);
  };

  for (const command of INTERVIEW_COMMANDS) {
    composer.command(command, async (ctx) => {
      const arg = ctx.match.trim();
      if ((command === "start" || command === "join") && arg !== "") {
        await handle(ctx, { kind: "join", code: arg.toUpperCase() });
      } else if (command === "join") {
        await ctx.reply(TEXT.joinUsage);
      } else {
        await handle(ctx, { kind: "command", name: command, arg });
      }
    });
  }

  const chat = composer.chatType("private");
  chat.on("message:text", async (ctx) => {
    const command = leadingCommand(ctx);
    if (command !== undefined && !isKnownCommand(command)) {
      await ctx.reply(TEXT.unknownCommand(command));
      return;
    }
    const replied = ctx.message.reply_to_message;
    const quoting = replied?.from?.id === ctx.me.id ? replied.text : undefined;
    await handle(ctx, { kind: "text", text: ctx.message.text, ...(quoting ? { quoting } : {}) });
  });
  chat.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery();
    await handle(ctx, { kind: "button", data: ctx.callbackQuery.data });
  });
  chat.on("callback_query", (ctx) => ctx.answerCallbackQuery());
  chat.on("edited_message", (ctx) => ctx.reply(TEXT.editedMessage));
  chat.on("message", (ctx) => ctx.reply(TEXT.notText));
  return composer;
}

function userOf(ctx: BotContext): User | undefined {
  const from = ctx.from;
  if (!from || from.is_bot) return undefined;
  const name = [from.first_name, from.last_name].filter(Boolean).join(" ");
  return { id: from.id, name };
}
