import type { Context, NextFunction } from "grammy";

/** Commands that show nothing of anyone's unsent answers, so they may answer in a group. */
const GROUP_COMMANDS = new Set(["help", "status", "missing", "deadline", "members", "check"]);

const PRIVATE_ONLY = "请私聊机器人操作：群里不显示各人正在填写的内容。";

/**
 * In an office's group the bot answers a few commands; answers are collected only in private
 * chat, and buttons pressed in the group are refused, so nothing personal is shown there.
 * Commands for other bots in a group and channel posts are ignored. A button without a chat
 * (on an inline-mode message, which this bot never makes) is only acknowledged: there is no
 * chat to answer in.
 */
export async function groupGuard(ctx: Context, next: NextFunction): Promise<void> {
  const type = ctx.chat?.type;
  if (type === "channel") return;
  if (ctx.callbackQuery && type === undefined) {
    await ctx.answerCallbackQuery();
    return;
  }
  if (type !== "group" && type !== "supergroup") return next();
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: PRIVATE_ONLY, show_alert: true });
    return;
  }
  const command = leadingCommand(ctx);
  if (command === undefined || command.includes("@")) return;
  if (GROUP_COMMANDS.has(command)) return next();
  await ctx.reply(`请私聊机器人使用 /${command}：群里不显示各人正在填写的内容。`);
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
