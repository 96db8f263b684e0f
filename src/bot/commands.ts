import type { BotCommand } from "grammy/types";
import type { CommandName } from "../interview/types.js";

/** Commands the interview core answers. */
export const INTERVIEW_COMMANDS: readonly CommandName[] = [
  "start",
  "join",
  "next",
  "skip",
  "back",
  "sections",
  "edit",
  "status",
  "missing",
  "help",
  "cancel",
  "history",
];

/** The command menu (setMyCommands), in the order people need them. */
export const COMMANDS: readonly BotCommand[] = [
  { command: "next", description: "下一个未答的问题" },
  { command: "sections", description: "选择章节" },
  { command: "status", description: "各章节填写进度" },
  { command: "missing", description: "还缺哪些必答内容" },
  { command: "draft", description: "起草报告" },
  { command: "drafts", description: "历次草稿" },
  { command: "revise", description: "按要求重写某一节" },
  { command: "export", description: "导出 Word 文件" },
  { command: "check", description: "检查一份报告缺什么" },
  { command: "skip", description: "跳过当前问题" },
  { command: "back", description: "回到上一题" },
  { command: "edit", description: "修改已答内容" },
  { command: "history", description: "某一题的修改记录" },
  { command: "members", description: "成员（管理员可移除、移交）" },
  { command: "invite", description: "生成邀请码（管理员）" },
  { command: "assign", description: "分配章节（管理员）" },
  { command: "deadline", description: "查看或设置截止日期" },
  { command: "start", description: "登记单位 / 开始" },
  { command: "join", description: "用邀请码加入单位" },
  { command: "cancel", description: "取消当前操作" },
  { command: "help", description: "帮助" },
];

const KNOWN = new Set<string>(COMMANDS.map((c) => c.command));

export function isKnownCommand(name: string): boolean {
  return KNOWN.has(name);
}
