import type { Context, NextFunction } from "grammy";

/** Commands that show nothing of anyone's unsent answers, so they may answer in a group. */
const GROUP_COMMANDS = new Set(["help", "status", "missing", "deadline", "members", "check"]);

const PRIVATE_ONLY = "请私聊机器人操作：群里不显示各人正在填写的内容。";

/**
 * In an office's group the bot answers a few commands; answers are collected only in private
 * chat, and buttons pressed in the group are refused, so nothing personal is shown there.
 * Channel posts are ignored.
 */
export async function groupGuard(ctx: Context, next: NextFunction): Promise<void> {
  const type = ctx.chat?.type;
  if (type === "channel") return;
  if (type !== "group" && type !== "supergroup") return next();
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: PRIVATE_ONLY, show_alert: true });
    return;
  }
  const command = leadingCommand(ctx);
  if (command === undefined) return;
  if (GROUP_COMMANDS.has(command)) return next();
  await ctx.reply(`请私聊机器人使用 /${command}：群里不显示各人正在填写的内容。`);
}

/** The command a message starts with ("/status@bot" → "status"), if any. */
export function leadingCommand(ctx: Context): string | undefined {
  const message = ctx.message;
  const entity = message?.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  if (!message?.text || !entity) return undefined;
  return message.text.slice(1, entity.length).split("@")[0]?.toLowerCase();
}
