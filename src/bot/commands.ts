import type { BotCommand } from "grammy/types";
import type { CommandName } from "../interview/types.js";

/** The command menu (setMyCommands) and the set of commands the interview understands. */
export const COMMANDS: readonly (BotCommand & { command: CommandName })[] = [
  { command: "next", description: "下一个未答的问题" },
  { command: "sections", description: "选择章节" },
  { command: "status", description: "各章节填写进度" },
  { command: "missing", description: "还缺哪些必答内容" },
  { command: "skip", description: "跳过当前问题" },
  { command: "back", description: "回到上一题" },
  { command: "edit", description: "修改已答内容" },
  { command: "start", description: "登记单位 / 开始" },
  { command: "join", description: "用邀请码加入单位" },
  { command: "cancel", description: "取消当前操作" },
  { command: "help", description: "帮助" },
];

const NAMES = new Set<string>(COMMANDS.map((c) => c.command));

export function isCommandName(name: string): name is CommandName {
  return NAMES.has(name);
}
