import { Composer, type Context } from "grammy";
import { GROUP_COMMANDS } from "../../messages/commands.js";
import { GROUPS } from "../../messages/zh.js";
import type { BotContext } from "../context.js";

/**
 * In an office's group the bot answers a few commands (those marked `group` in the command
 * list); answers are collected only in private chat, and buttons pressed in the group are
 * refused, so nothing personal is shown there. Commands for other bots in a group and channel
 * posts are ignored. A button without a chat (on an inline-mode message, which this bot never
 * makes) is only acknowledged: there is no chat to answer in.
 */
export function groupsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("channel").use(() => {});
  composer.on("callback_query").filter(
    (ctx) => ctx.chat === undefined,
    (ctx) => ctx.answerCallbackQuery(),
  );
  const group = composer.chatType(["group", "supergroup"]);
  group.on("callback_query", (ctx) =>
    ctx.answerCallbackQuery({ text: GROUPS.privateOnly, show_alert: true }),
  );
  group.use(async (ctx, next) => {
    const command = leadingCommand(ctx);
    if (command === undefined || command.includes("@")) return;
    if (GROUP_COMMANDS.has(command)) return next();
    await ctx.reply(GROUPS.usePrivate(command));
  });
  return composer;
}

/**
 * The command a message starts with, as grammY matches it: "/status" and "/status@this_bot" →
 * "status"; case is kept ("/Status" → "Status", which no handler takes), and a command for
 * another bot keeps its "@" ("/status@other_bot" → "status@other_bot"). So neither is ever
 * taken for a known command, nor for an answer.
 */
export function leadingCommand(ctx: Context): string | undefined {
  const message = ctx.message;
  const entity = message?.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  if (!message?.text || !entity) return undefined;
  const command = message.text.slice(1, entity.length);
  const at = command.indexOf("@");
  if (at < 0) return command;
  const forMe = command.slice(at + 1).toLowerCase() === ctx.me.username.toLowerCase();
  return forMe ? command.slice(0, at) : command;
}
