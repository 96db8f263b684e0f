/**
 * The one list of commands: the Telegram menu (setMyCommands), the /help text and the commands
 * answered in a group chat are all derived from it.
 */
export interface CommandSpec {
  command: string;
  /** The menu entry. */
  description: string;
  /** The /help line after "/command"; the description when absent. */
  help?: string;
  /** Shows nothing of anyone's unsent answers, so it may answer in the office's group. */
  group?: boolean;
  /** The /help line in the terminal chat, where it works differently (no files to send). */
  terminal?: string;
}

/** In the order people need them. */
export const COMMANDS: readonly CommandSpec[] = [
  { command: "next", description: "下一个未答的问题" },
  { command: "sections", description: "选择章节" },
  { command: "status", description: "各章节填写进度", group: true },
  { command: "missing", description: "还缺哪些必答内容", group: true },
  {
    command: "draft",
    description: "起草报告",
    help: "起草报告（分节起草，标出缺项和找不到出处的数值）",
  },
  { command: "drafts", description: "历次草稿" },
  {
    command: "revise",
    description: "按要求重写某一节",
    help: "章节 要求 按要求重写某一节，如“/revise 执法 突出数据”",
  },
  {
    command: "export",
    description: "导出 Word 文件",
    help: "导出最新草稿的 Word 文件（/export md 导出 Markdown）",
  },
  {
    command: "check",
    description: "检查一份报告缺什么",
    help: "检查任何一份报告（也可直接发送 .docx/.txt 文件）",
    terminal: "路径 检查一份报告文件（.docx/.txt/.md），或 /check 后粘贴报告全文",
    group: true,
  },
  { command: "skip", description: "跳过当前问题" },
  { command: "back", description: "回到上一题" },
  { command: "edit", description: "修改已答内容" },
  {
    command: "history",
    description: "某一题的修改记录",
    help: "章节 题号 查看某一题的修改记录，如“/history 执法 3”",
  },
  { command: "members", description: "成员（管理员可移除、移交）", group: true },
  { command: "invite", description: "生成邀请码（管理员）" },
  { command: "assign", description: "分配章节（管理员）" },
  { command: "deadline", description: "查看或设置截止日期", group: true },
  {
    command: "signoff",
    description: "查看或设置落款日期",
    help: "查看或设置报告落款日期（管理员），如“/signoff 2025-03-10”",
    group: true,
  },
  { command: "start", description: "登记单位 / 开始", help: "登记单位（或用邀请码加入）" },
  { command: "join", description: "用邀请码加入单位", help: "邀请码 加入已登记的单位" },
  { command: "cancel", description: "取消当前操作" },
  { command: "help", description: "帮助", group: true },
];

const KNOWN = new Set(COMMANDS.map((c) => c.command));

export function isKnownCommand(name: string): boolean {
  return KNOWN.has(name);
}

/** Commands answered in a group chat. */
export const GROUP_COMMANDS: ReadonlySet<string> = new Set(
  COMMANDS.filter((c) => c.group).map((c) => c.command),
);

export const HELP_TEXT = [
  "法治政府建设年度报告助手：逐章提问，保存每条回答，帮助起草报告。",
  "",
  "直接发送文字即回答当前问题；回复（引用）之前的问题可为该题补充内容。",
  "",
  ...COMMANDS.map((c) => `/${c.command} ${c.help ?? c.description}`),
].join("\n");

/** /help in the terminal chat: only what works there (typing, numbers, paths; no files, taps). */
export const TERMINAL_HELP_TEXT = [
  "法治政府建设年度报告助手（终端）：逐章提问，保存每条回答，帮助起草报告。",
  "",
  "直接输入文字即回答当前问题；有选项时输入编号或选项文字。",
  '多行内容：粘贴的多行文字算一条消息；也可在行末加 \\ 续行，或用单独一行 """ 开始、再用一行 """ 结束。',
  "导出的文件保存在当前目录的 exports/ 下。按 Ctrl+D 退出。",
  "",
  ...COMMANDS.map((c) => `/${c.command} ${c.terminal ?? c.help ?? c.description}`),
  // Only the terminal reads files by path: the Telegram chat takes them as uploads.
  "/import 路径 [去年|材料] 读取去年的年度报告（其下一年度安排会在今年的问题中逐项问到）或今年的工作材料（找出候选回答）；不写“去年”“材料”时会询问",
].join("\n");
