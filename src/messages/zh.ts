/**
 * Every user-facing string of the bot, the terminal chat and the CLI (简体中文), in one module.
 *
 * Why TypeScript and not Fluent files: @grammyjs/i18n 1.1.2 installs and runs on Node 20 with
 * grammy 1.46, but its keys and arguments are untyped strings (a typo surfaces only at run time),
 * Fluent formats numbers by locale (a year 2025 becomes "2,025" unless every caller passes
 * strings) and wraps each argument in bidi marks unless told not to, and the pure interview core
 * would need a loaded bundle instead of plain functions. Wording per kind of office is one
 * lookup (./wording.ts) used by these functions, so nothing here needs Fluent's select syntax.
 */

import type { OrgKind } from "../domain/types.js";
import { shorten } from "../text/shorten.js";

export { HELP_TEXT } from "./commands.js";

const q40 = (text: string) => shorten(text, 40);

/** Messages shared by every channel. */
export const TEXT = {
  notMember:
    "您还没有加入任何单位。发送 /start 登记本单位，或发送“/join 邀请码”加入同事已登记的单位。",
  staleButton: "该按钮已失效，请重新发送命令。",
  nothingToCancel: "当前没有需要取消的操作。",
  cancelled: "已取消。",
  emptyText: "没有收到文字内容，请直接输入回答。",
  notText: "目前只能处理文字消息，请用文字回答（图片、语音、贴纸等不会被保存）。",
  storeDown: "暂时无法保存，请稍后重试。刚才的内容没有保存，之前已保存的回答不受影响。",
  storeUnsure:
    "存储服务暂时没有响应，无法确认刚才的内容是否已保存。请稍后发送 /history 查看该题的修改记录，未保存时再重新发送。",
  internal: "处理出错，请稍后重试。已保存的回答不受影响。",
  allAnswered: "所有问题都已回答。发送 /sections 选择章节修改，或 /missing 检查缺项。",
  noPrevious: "已经是第一题了。",
  finishedNoSave:
    "所有问题都已过了一遍，这条消息没有保存。要修改某题请发送 /edit，或用 /sections 选择章节。",
  historyUsage:
    "用法：/history 章节 题号（如 /history 执法 3：章节写章节名称中的几个字，题号即提问时显示的“第几题”）；不带参数时显示当前问题的修改记录。",
  joinUsage: "请发送“/join 邀请码”，邀请码由单位管理员用 /invite 生成。",
  joinRefused: (code: string, problem: "unknown" | "expired" | "used" | "limited") =>
    ({
      unknown: `邀请码“${code}”无效，请向单位管理员核对后重新发送“/join 邀请码”。`,
      expired: `邀请码“${code}”已过期，请请管理员用 /invite 生成新的邀请码。`,
      used: `邀请码“${code}”是一次性的，已经被使用，请请管理员用 /invite 生成新的邀请码。`,
      limited: "邀请码尝试次数过多，请 10 分钟后再试，或向单位管理员核对邀请码。",
    })[problem],
  tooFast: "操作太频繁，请稍候再试。",
  editedMessage:
    "修改已发出的消息不会更新已保存的回答。如需修改，请发送 /edit 选择问题后重新回答。",
  notAllowed: "本机器人仅对授权用户开放。如需使用，请联系管理员。",
  unknownCommand: (name: string) => `未知命令 /${name}。发送 /help 查看可用命令。`,
  tooLong: (n: number, max: number) =>
    `这条消息有 ${n} 字，超过单条 ${max} 字的上限，未保存。请分几条发送：先发第一部分，再点“补充”追加其余内容。`,
  skipped: (question: string) => `已跳过：${q40(question)}（稍后可用 /missing 找回）`,
  replyAppended: (question: string) => `已补充到「${q40(question)}」。`,
  noAnswerToAppend: (question: string) =>
    `「${q40(question)}」还没有回答，这条内容已作为它的回答保存。`,
} as const;

/** The interview: starting, joining, answering, moving around. */
export const INTERVIEW = {
  welcomeBack: (org: string, year: number) => `您已加入「${org}」，继续填写${year}年度报告。`,
  alreadyMember: (org: string) => `您已是「${org}」的成员，无需再次加入。`,
  joined: (org: string, year: number) => `已加入「${org}」${year}年度法治政府建设报告的填写。`,
  registrationCancelled: "已取消登记。需要时再发送 /start。",
  notFound: (arg: string) => `没有找到“${arg}”。发送 /edit 从章节列表中选择要修改的问题。`,
  questionHead: (index: number, total: number, required: boolean) =>
    `第 ${index}/${total} 题${required ? "（必答）" : "（选答）"}`,
  hint: (hint: string) => `提示：${hint}`,
  currentAnswer: (text: string) => `当前回答：${text}`,
  replaceNote: "直接发送新内容将替换当前回答。",
  ack: (mode: "replace" | "append" | "new", question: string) =>
    `✅ ${{ new: "已保存", replace: "已更新", append: "已补充" }[mode]}：${q40(question)}`,
  appendLabel: "补充",
  replaceLabel: "重答",
  pending: (mode: "append" | "replace", question: string) =>
    mode === "append"
      ? `请发送要补充的内容，将追加到「${q40(question)}」的回答之后。`
      : `请发送新的回答，将替换「${q40(question)}」的当前回答（旧版本会保留）。`,
  cancelHint: "发送 /cancel 取消。",
  requiredDone: "必答题已全部完成，可发送 /draft 起草。",
  noteSaved:
    "这条回答是“待查”一类的备注，还不算回答：起草时该处显示为【待补充】，/missing 和 /next 会继续提示这一题。",
  finished: (missing: number) =>
    `所有问题都已过了一遍。${
      missing === 0
        ? "必答题已全部完成，可发送 /draft 起草。"
        : `还有 ${missing} 个必答问题未回答，发送 /missing 查看并跳转。`
    }\n发送 /sections 可选择章节继续修改，/status 查看进度。`,
  statusHead: (org: string, superior: string, year: number, done: number, total: number) =>
    `${org}（${superior}）${year}年度报告 · 填写进度 ${done}/${total}`,
  owner: (name: string | undefined) => `负责：${name ?? "已退出的成员"}`,
  answeredBy: (who: string) => `已答：${who}`,
  statusLegend: "✓ 必答已齐  … 仍有必答未答  ○ 选答章节",
  noAnswerYet: (question: string) => `「${q40(question)}」还没有回答。`,
  versions: (question: string, n: number) => `「${q40(question)}」共 ${n} 个版本：`,
  versionLabel: (i: number, last: boolean) => (last ? "当前" : `第${i + 1}版`),
  nothingMissing: "✅ 必答内容已全部填写，没有缺项。",
  optionalOpen: (n: number) => `另有 ${n} 个选答题未答（可不填，发送 /edit 补充）：`,
  /** A time shown to users, always Beijing time and labelled so. */
  beijingTime: (minute: string) => `${minute}（北京时间）`,
  sectionsMissing: (n: number) => `还缺 ${n} 个必答章节的内容：`,
  sectionMissing: (label: string, n: number) => `▶ ${label}（缺 ${n} 题）`,
  draftComplete: (n: number) => `✅ 最新草稿（第 ${n} 版）必备要素齐全。`,
  draftItems: (n: number) => `最新草稿（第 ${n} 版）的必备要素：`,
  draftItem: (status: "missing" | "weak", title: string, where: string) =>
    `${status === "missing" ? "✗ 缺少" : "△ 较弱"}：${title}${where ? `（补充：${where}）` : ""}`,
  goTo: (label: string) => `去填写：${label}`,
  pickSection: (forEdit: boolean) => (forEdit ? "选择要修改的章节：" : "选择要填写的章节："),
  pickQuestion: (label: string) => `【${label}】选择要修改的问题：`,
} as const;

/** Registering an office, step by step. */
export const REGISTRATION = {
  welcome:
    "欢迎使用法治政府建设年度报告助手！\n先登记本单位。请输入单位全称，例如：洪梅镇、盘龙彝族乡、城关街道。\n（如同事已登记，请发送“/join 邀请码”加入；发送 /cancel 取消。）",
  badName: (limit: number) => `单位名称应为 2–${limit} 个字的一行文字，请重新输入。`,
  pickKind: "请从下列选项中选择：乡、镇 或 街道。",
  askKind: (name: string, guess: OrgKind | undefined) =>
    `${name}是乡、镇还是街道？${guess ? `（按名称应为“${guess}”）` : ""}`,
  askSuperior: (name: string) =>
    `${name}的上级是哪个县（市、区）？请输入全称，例如：东莞市、砚山县、武侯区。`,
  badSuperior: (limit: number) => `上级名称应为 2–${limit} 个字，请重新输入。`,
  askYear: (year: number) => `报告哪一年度的工作？默认为 ${year} 年度，可直接点选或输入年份。`,
  badYear: (fallback: number) =>
    `请输入报告年度（2000–${fallback + 1} 的四位数字），例如 ${fallback}。`,
  done: (
    org: { name: string; kind: OrgKind; superior: string; year: number; inviteCode: string },
    inviteDays: number,
  ) =>
    `已登记：${org.name}（${org.kind}，上级：${org.superior}），${org.year}年度法治政府建设报告。\n同事可发送“/join ${org.inviteCode}”加入（${inviteDays}天内有效；/invite 可生成新的邀请码，/assign 可给同事分配章节）。\n\n下面开始逐章提问，直接发送文字即可回答。`,
} as const;

/** The team: invites, members, assignments, deadline. */
export const TEAM = {
  adminOnly: "只有单位管理员可以这样做。管理员可用 /members 把管理员移交给他人。",
  whichInvite: "要生成哪种邀请码？",
  inviteOnce: (days: number) => `一次性（${days}天内有效）`,
  inviteDays: (days: number) => `${days}天内多人可用`,
  invite: (code: string, once: boolean, until: string, org: string, link: string) =>
    [
      `邀请码：${code}（${once ? "只能使用一次" : "可多人使用"}，${until}前有效）`,
      `同事私聊机器人发送“/join ${code}”即可加入「${org}」，或打开链接：`,
      link,
    ].join("\n"),
  membersHead: (org: string, n: number) => `「${org}」的成员（${n} 人）：`,
  memberLine: (name: string, admin: boolean, owned: string[]) =>
    `· ${name}${admin ? "（管理员）" : ""}${owned.length ? ` 负责：${owned.join("、")}` : ""}`,
  removeLabel: (name: string) => `移除 ${shorten(name, 8)}`,
  handOverLabel: (name: string) => `设为管理员 ${shorten(name, 6)}`,
  confirmRemove: (name: string, org: string) =>
    `确定将 ${name} 移出「${org}」吗？其已填写的回答会保留。`,
  confirmHandOver: (name: string) => `确定把管理员移交给 ${name} 吗？移交后您将成为普通成员。`,
  confirmLabel: "确定",
  removed: (name: string, org: string) => `已将 ${name} 移出「${org}」，其负责的章节已取消分配。`,
  removedNotice: (org: string) => `您已被移出「${org}」。如有疑问请联系单位管理员。`,
  handedOver: (name: string) => `已把管理员移交给 ${name}。`,
  handedOverNotice: (org: string) =>
    `您已成为「${org}」的管理员，可用 /invite、/assign、/members 管理成员。`,
  unassigned: "未分配",
  assignLine: (section: string, who: string) => `${shorten(section, 14)} → ${who}`,
  pickAssignSection: "选择要分配的章节：",
  whoOwns: (section: string) => `「${section}」由谁负责？`,
  nobody: "不分配",
  assignmentCleared: (section: string) => `「${section}」已取消分配。`,
  assigned: (section: string, name: string) => `已将「${section}」分配给 ${name}。`,
  assignedNotice: (section: string) => `管理员将「${section}」分配给您，发送 /next 开始填写。`,
  badDeadline: "无法识别这个日期，或日期已过。请写成“2026-03-15”或“3月15日”。",
  deadlineSet: (date: string, left: number) =>
    `已将截止日期设为 ${date}（还有 ${left} 天）。到期前会提醒负责章节还未填完的同事。`,
  signoff: (date: string, set: boolean) =>
    set
      ? `报告落款日期：${date}。管理员可发送“/signoff 2025-03-10”修改，“/signoff 默认”恢复默认。`
      : `报告落款日期：${date}（默认：截止日期前最后一个工作日）。管理员可发送“/signoff 2025-03-10”另行设置。`,
  signoffSet: (date: string) => `已将报告落款日期设为 ${date}，下次起草时使用。`,
  signoffCleared: (date: string) =>
    `已恢复默认落款日期 ${date}（截止日期前最后一个工作日），下次起草时使用。`,
  badSignoff: (year: number) =>
    `无法识别这个日期，或不在 ${year}–${year + 1} 年之间。请写成“${year + 1}-03-10”或“3月10日”。`,
  deadline: (date: string, left: number) =>
    `报告截止日期：${date}（${left >= 0 ? `还有 ${left} 天` : `已过 ${-left} 天`}）。管理员可发送“/deadline 2026-03-10”修改。`,
} as const;

/** Drafting, revising and exporting. */
export const DRAFTING = {
  noDraft: "还没有草稿，请先发送 /draft 起草。",
  noDrafts: "还没有草稿，发送 /draft 起草。",
  drafting: (llm: boolean) => (llm ? "起草中…" : "起草中（未配置大模型，使用离线生成）…"),
  progress: (done: number, total: number) => `起草中 ${done}/${total}`,
  done: (n: number) => `起草完成：第 ${n} 版`,
  revising: (instruction: string, section: string) =>
    `正在按“${shorten(instruction, 30)}”重写「${section}」…`,
  revised: (section: string, n: number, text: string) => `【${section}】（第 ${n} 版）\n${text}`,
  draftsHead: (org: string, year: number) => `${org}${year}年度报告的草稿：`,
  draftLine: (d: {
    n: number;
    when: string;
    author: string;
    llm: number;
    offline: number;
    missing: number;
    ungrounded: number;
  }) =>
    `第 ${d.n} 版 · ${d.when}（北京时间） · ${d.author} · 大模型 ${d.llm} 节 / 离线 ${d.offline} 节 · 缺项 ${d.missing} · 待核数值 ${d.ungrounded}`,
  reviseUsage: (example: string, sections: string[]) =>
    `用法：/revise 章节 修改要求（章节写名称中的几个字或下列序号）\n例如：/revise ${example} 更突出数据\n\n章节：\n${sections.join("\n")}`,
  summary: {
    head: "草稿说明：",
    missing: (items: string) => `· 必备要素缺失：${items || "无"}`,
    weak: (items: string) => `· 较弱的要素：${items || "无"}`,
    gaps: (n: number) => `· 【待补充】标记：${n} 处`,
    /** Never "无" while required parts still hold 【待补充】 (the check may not name an item). */
    missingButGaps: (n: number) =>
      `· 必备要素缺失：未发现缺项，但必备部分仍有 ${n} 处【待补充】，补齐后才算完整`,
    ungrounded: (n: number) => `· 以下 ${n} 个数值在回答中找不到对应出处，请核实或删除：`,
    ungroundedLine: (value: string, why: string, context: string) =>
      `  - ${value}（${why}）：${shorten(context, 50)}`,
    ungroundedReason: {
      absent: "不在回答中",
      elsewhere: "对应的是另一件事",
      unit: "单位不同",
    },
    grounded: "· 所有数字、日期和文件名称都能在回答中找到出处。",
    byLlm: (titles: string) => `· 由大模型起草：${titles || "无"}`,
    offline: (titles: string) => `· 离线生成：${titles || "无"}`,
    failed: (section: string, reason: string) =>
      reason === "调用失败"
        ? `· 「${section}」大模型调用失败，已改用离线生成。`
        : `· 「${section}」大模型回复未采用（${reason}），已改用离线生成。`,
    revise: (example: string) =>
      `修改某一节：/revise 章节 修改要求，例如“/revise ${example} 突出数据”。`,
  },
  busy: "正在起草，请稍候。起草完成后会发来草稿；这期间可以继续回答问题。",
  notInRunningDraft:
    "（这条回答已保存，但不在正在起草的草稿中；起草完成后再发送 /draft 即可纳入。）",
  failed: "起草出错，没有生成新版本。已保存的回答不受影响，请稍后重新发送 /draft。",
  interrupted: (kind: "draft" | "revise", started: string) =>
    `${started}开始的${kind === "draft" ? "起草" : "修改"}因程序重启而中断，没有生成新版本。已保存的回答不受影响，请重新发送 ${kind === "draft" ? "/draft" : "/revise"}。`,
  interruptedProgress: "起草已中断（程序重启），请重新发送 /draft。",
  reviseOffline: (section: string) =>
    `未配置大模型，离线时无法按修改要求改写「${section}」，没有生成新版本。\n可以修改这一章的回答，再发送 /draft 重新起草：`,
  editSectionLabel: (section: string) => `修改「${shorten(section, 12)}」的回答`,
  exportWord: "导出Word",
  exportMarkdown: "导出Markdown",
  markdownVersion: "Markdown 版",
  exportCaption: (n: number, docx: boolean) =>
    `第 ${n} 版草稿${docx ? "（公文格式，【待补充】处已标黄）" : ""}`,
} as const;

/** /check and documents. */
export const CHECKING = {
  /** The first line of the /check prompt: a reply to it is a report to check. */
  prompt:
    "请发送要检查的报告文件（.docx、.txt 或 .md），或回复本消息粘贴报告全文；也可以发送“/check 报告全文”。",
  pasted: "粘贴的文字",
  unnamedFile: "未命名文件",
  notice: (zh: string) => `（${zh}）\n`,
  readFailed: "读取文件时出错，请稍后重试，或改发 .txt 文本。",
  inputError: (zh: string) => `${zh}。`,
} as const;

/** Group chats. */
export const GROUPS = {
  privateOnly: "请私聊机器人操作：群里不显示各人正在填写的内容。",
  usePrivate: (command: string) => `请私聊机器人使用 /${command}：群里不显示各人正在填写的内容。`,
} as const;

/** The terminal chat. */
export const TERMINAL = {
  prompt: "你> ",
  /** The display name of the one person typing in the terminal. */
  localUser: "本机用户",
  savedFile: (path: string) => `已保存文件：${path}`,
  /** Shown while a multi-line message is still open. */
  more: "…> ",
  greeting: (s: {
    org: { name: string; year: number };
    answered: number;
    total: number;
    nextRequired?: { question: { text: string }; section: string };
  }) =>
    [
      `「${s.org.name}」${s.org.year}年度法治政府建设报告：已答 ${s.answered}/${s.total} 题。`,
      s.nextRequired
        ? `下一道必答题：【${s.nextRequired.section}】${q40(s.nextRequired.question.text)}（发送 /next 开始）`
        : "必答题已全部完成，可发送 /draft 起草。",
      "常用命令：/next 下一题 · /missing 缺项 · /status 进度 · /draft 起草 · /export 导出 · /check 路径 检查报告 · /help 全部命令",
      "",
    ].join("\n"),
  greetingNew:
    "欢迎使用法治政府建设年度报告助手！发送 /start 登记本单位，或“/join 邀请码”加入同事已登记的单位；/help 查看全部命令。\n",
  checkPrompt:
    '请输入要检查的报告文件路径（.docx、.txt 或 .md），或粘贴报告全文（也可用单独一行 """ 开始和结束）。',
  /** Asked before a path or a whole report would be saved as an answer. */
  guard: (kind: "path" | "report") =>
    kind === "path"
      ? "这条消息像是一个文件路径，还没有保存。要怎么处理？"
      : "这条消息像是一整份报告，还没有保存。要怎么处理？",
  guardCheck: (kind: "path" | "report") => (kind === "path" ? "检查这个文件" : "检查这份报告"),
  guardSave: "作为当前问题的回答保存",
  guardDrop: "不保存",
  dropped: "没有保存。",
  importUsage:
    "用法：/import 路径 [去年|材料]，例如“/import ~/文档/2024年法治政府建设报告.docx 去年”。不写“去年”或“材料”时会询问文件是什么。",
  /** What /import tells the bot about a file when someone not yet registered sends it. */
  lastYearCaption: "去年的年度报告",

  noToken:
    "未设置 TELEGRAM_BOT_TOKEN，现在在终端中对话（与 Telegram 中的机器人相同）。按 Ctrl+D 退出。\n" +
    "TELEGRAM_BOT_TOKEN is not set: chatting in the terminal instead.\n\n",
} as const;

/** The command line (Chinese first, then English for operators). */
/** Last year's report and this year's materials (issue 18). */
export const IMPORTING = {
  /** Shown under a version of an answer adopted from a file (/history). */
  source: (file: string, quote: string) => `来源：《${file}》“${quote}”`,
  /** A candidate as offered to a member. */
  found: (file: string, quote: string) => `从《${file}》找到：${quote}`,
  /** This year's interview on one of last year's plan items. */
  planQuestion: (item: string) => `去年报告提出：‘${item}’。今年落实得怎样？有哪些具体做法和数字？`,
  /** This year's interview on one of last year's shortcomings. */
  shortcomingQuestion: (item: string) =>
    `去年报告指出的不足：‘${item}’。今年整改了吗？采取了哪些措施，效果如何？`,
  planHint:
    "请写今年围绕这项安排做了什么、做到什么程度，能用数字说明的给出数字；没有落实的请如实说明原因。",
  shortcomingHint: "请写整改措施和结果；还没有整改到位的，说明原因和下一步打算。",
  /** Offline composer: the sub-item heading of an answer on a plan item ("一是{lead}。…"). */
  planLead: (item: string) => `落实上年度“${item}”的安排`,
  /** Offline composer: how an answer on last year's shortcoming opens, before its 整改. */
  shortcomingLead: (item: string) => `针对上年度报告指出的“${item}”问题`,
  /** Wording of the upload choice buttons. */
  choice: {
    check: "检查这份报告",
    lastYear: "这是去年的年度报告",
    material: "这是今年的工作材料",
  },
  adopt: "采用",
  edit: "修改",
  skip: "跳过",
  /** Asked when a member uploads a file without saying what it is. */
  askKind: (file: string) => `收到《${file}》。这是什么文件？`,
  /** A button whose file is no longer held (expired or the bot restarted). */
  expired: "这份文件已过期（只保留30分钟，且不保存在数据库里），请重新发送。",
  /** After last year's report is read and stored. */
  lastYearRead: (file: string, year: number | null, plans: number, shortcomings: number) =>
    `已读取去年的报告《${file}》${year ? `（${year}年度）` : ""}：下一年度安排 ${plans} 项，存在的不足 ${shortcomings} 项。`,
  lastYearSections: (lines: string) => `安排所属部分：\n${lines}`,
  lastYearSection: (title: string, count: number) => `· ${title}：${count} 项`,
  lastYearShortcomings: (title: string) => `不足归入“${title}”部分。`,
  lastYearAsked:
    "今年的问题中会在相应部分逐项问到这些安排的落实情况和不足的整改情况（选答）；起草后会提示报告中没有提到的安排。",
  lastYearNothing:
    "没有在这份报告中找到“下一年度安排”和“存在的不足”。请确认发送的是去年的年度报告全文。",
  /** Before the candidates of a material. */
  candidatesFound: (file: string, count: number, shown: number) =>
    `从《${file}》中找到 ${count} 条候选回答${shown < count ? `，先列出 ${shown} 条` : ""}。请逐条选择“采用”“修改”或“跳过”；不点按钮的不会记入回答。`,
  noCandidates: (file: string) =>
    `没有在《${file}》中找到能用作回答的内容（需要有具体做法或数字）。可以换一份材料，或直接回答问题。`,
  /** One candidate: the question it answers, then where it was found. */
  candidate: (question: string, found: string, text: string) =>
    `问题：${question}\n${found}${text !== "" ? `\n建议回答：${text}` : ""}`,
  adopted: (question: string, appended: boolean) =>
    `已采用，${appended ? "补充到" : "记为"}“${question}”的回答，来源已记录（/history 可查看）。`,
  skipped: "已跳过这条。",
  editPrompt: (question: string) =>
    `请发送修改后的回答文字，将记为“${question}”的回答，来源一并记录。发送 /cancel 放弃。`,
  handled: "这条候选回答已经处理过了。",
  /** Last year's report from someone not yet registered: the office it names, offered. */
  officeOffer: (file: string, o: { name: string; kind: string; superior: string; year: number }) =>
    `从《${file}》中读到：${o.name}（${o.kind}），上级：${o.superior}。\n要用这些信息登记本单位、填写${o.year}年度报告吗？登记后会读取这份报告的下一年度安排和存在的不足。`,
  adoptOffice: "采用这些信息",
  typeOffice: "自己填写",
  officeIncomplete:
    "没有从这份报告中读全单位名称、类型和上级。请发送 /start 登记本单位，登记后再发送这份文件，选择“这是去年的年度报告”。",
  resendAfterRegistration: "登记完成后，请再发送一次这份文件，选择“这是去年的年度报告”。",
  /** Last year's plans accounted for: a check, a draft's summary or /missing names each item never mentioned. */
  plansHead: (missed: number, total: number) =>
    `去年报告提出的下一年度安排共 ${total} 项，其中 ${missed} 项在今年的报告中没有提到：`,
  planNotMentioned: (item: string) => `· 去年报告提出的‘${item}’在今年的报告中没有提到`,
  plansAllMentioned: (total: number) =>
    `去年报告提出的下一年度安排 ${total} 项，今年的报告都有提到。`,
} as const;

export const CLI = {
  usage: `用法 / usage: fazhi-report <command>

  start                     有 TELEGRAM_BOT_TOKEN 时运行 Telegram 机器人，否则在终端中对话
  bot                       运行 Telegram 机器人 (needs TELEGRAM_BOT_TOKEN)
  chat [--script FILE]      在终端中与机器人对话；--script 逐行发送文件内容后退出
  check FILE [--json]       检查报告是否包含必备内容
  draft --answers FILE [--out FILE] [--json]   根据回答起草报告
  doctor                    检查配置、存储、Telegram 与 LLM 连接 / check config, store, Telegram, LLM
  import FILE [--json]      读取去年的年度报告：单位、存在的不足、下一年度安排
  extract FILE… [--json] [--answers OUT.json]  从工作材料中找出各问题的候选回答
`,
  unknownCommand: (command: string) => `未知命令 / unknown command: ${command}\n\n`,
  unknownOption: (arg: string) => ({ zh: `未知选项“${arg}”`, en: `unknown option "${arg}"` }),
  noTerminal:
    "未设置 TELEGRAM_BOT_TOKEN，且当前不是终端，无法启动。请在 .env 中设置 TELEGRAM_BOT_TOKEN，或在终端中运行 npm start。\n" +
    "TELEGRAM_BOT_TOKEN is not set and stdin is not a terminal: set TELEGRAM_BOT_TOKEN (see .env.example).\n",
  needToken:
    "请设置 TELEGRAM_BOT_TOKEN（见 .env.example）。\nTELEGRAM_BOT_TOKEN is required for the Telegram bot.\n",
  noScript: (path: string) => `找不到脚本文件 / script not found: ${path}\n`,
  check: {
    usage:
      "用法：fazhi-report check 文件 [--json] [--year 年份] [--last-year 去年报告]\nusage: fazhi-report check FILE [--json] [--year N] [--last-year FILE]\n",
    help: `用法：fazhi-report check 文件 [--json] [--year 年份] [--last-year 去年报告]
usage: fazhi-report check FILE [--json] [--year N] [--last-year FILE]

检查一份法治政府建设年度报告（.docx、.txt、.md）缺少哪些必备内容。
Checks an annual rule-of-law report (.docx, .txt, .md) for the required items.

  --json             输出 JSON / print JSON
  --year N           报告年度（默认取标题中的年份）/ report year (default: the year in the title)
  --last-year FILE   去年的年度报告：列出其下一年度安排中本报告没有提到的 /
                     last year's report: its plan items this report never mentions
`,
    noLastYear: {
      zh: "--last-year 需要去年报告的文件路径",
      en: "--last-year needs the path of last year's report",
    },
    badYear: (got: string | undefined) => ({
      zh: `--year 需要一个四位年份，例如 --year 2024（收到：${got ?? "无"}）`,
      en: `--year needs a four-digit year such as --year 2024 (got: ${got ?? "nothing"})`,
    }),
    noFile: { zh: "缺少要检查的文件", en: "missing the file to check" },
    oneFile: { zh: "一次只能检查一个文件", en: "check one file at a time" },
    error: (zh: string, en: string) => `错误：${zh}\nError: ${en}\n`,
    notice: (zh: string, en: string) => `提示：${zh}\nNote: ${en}\n`,
    badRules: (message: string) =>
      `检查规则文件有误：${message}\nChecker rules are invalid: ${message}\n`,
  },
  importReport: {
    usage: "用法：fazhi-report import 文件 [--json]\nusage: fazhi-report import FILE [--json]\n",
    help: `用法：fazhi-report import 文件 [--json]
usage: fazhi-report import FILE [--json]

读取去年的法治政府建设年度报告（.docx、.txt、.md），列出单位、存在的不足和下一年度安排。
Reads last year's report: the office, its shortcomings and its plan items by section.

  --json       输出 JSON / print JSON
`,
    noFile: { zh: "缺少要读取的报告文件", en: "missing the report file" },
    oneFile: { zh: "一次只能读取一份报告", en: "read one report at a time" },
    unknown: "（未找到）",
    org: (name: string, kind: string, superior: string, year: string) =>
      `单位：${name}（${kind}），上级：${superior}，年度：${year}`,
    shortcomings: (n: number) => `存在的不足（${n}条）：`,
    plans: (n: number) => `下一年度安排（${n}条）：`,
    item: (text: string) => `· ${text}`,
    planItem: (text: string, section: string) => `· ${text}（→ ${section}）`,
  },
  extract: {
    usage:
      "用法：fazhi-report extract 文件… [--json] [--answers 输出.json]\nusage: fazhi-report extract FILE [FILE…] [--json] [--answers OUT.json]\n",
    help: `用法：fazhi-report extract 文件… [--json] [--answers 输出.json]
usage: fazhi-report extract FILE [FILE…] [--json] [--answers OUT.json]

从本单位的工作材料（.docx、.xlsx、.txt、.md）中找出报告各问题的候选回答，每条注明出处原句。
Finds candidate answers in an office's materials, each with the sentence it comes from.

  --json               输出 JSON / print JSON
  --answers 输出.json  另写一份回答文件，可直接用于 draft --answers / also write an answers file for draft --answers
`,
    noFile: { zh: "缺少材料文件", en: "missing the material files" },
    needOut: {
      zh: "--answers 需要输出文件名（.json）",
      en: "--answers needs an output file name (.json)",
    },
    notWritable: (out: string) => ({
      zh: `无法写入 ${out}：目录不存在或没有写权限`,
      en: `cannot write ${out}: no such directory or not writable`,
    }),
    none: "没有找到可用的候选回答。\n",
    question: (section: string, question: string) => `【${section}】${question}`,
    found: (source: string, quote: string) => `  从《${source}》找到：${quote}`,
    written: (out: string, n: number) =>
      `已写入回答文件 ${out}（${n} 个问题）。/ wrote ${out} (${n} questions).\n`,
    fillOrg: (out: string, fields: string) =>
      `提示：材料中没有找到${fields}，请在 ${out} 的 org 中填写后再运行 draft。\nNote: fill in org (${fields}) in ${out} before running draft.\n`,
    fallback: (section: string, reason: string) =>
      `提示：“${section}”的大模型回复未采用（${reason}），已改用离线查找。\n`,
  },
  draft: {
    usage: "用法 / usage: fazhi-report draft --answers FILE [--out FILE.md|FILE.docx] [--json]\n",
    badArgs: (message: string) => `参数有误 / invalid arguments: ${message}\n`,
    needAnswers: "缺少 --answers / --answers is required\n",
    badOut: "--out 只支持 .md 或 .docx / --out must end in .md or .docx\n",
    notWritable: (out: string) =>
      `无法写入 ${out}：目录不存在或没有写权限 / cannot write ${out}: no such directory or not writable\n`,
    written: (out: string) => `已写入 ${out}。`,
    sections: (n: number, llm: number) => `共 ${n} 节（LLM ${llm} 节，离线 ${n - llm} 节）。`,
    items: (missing: string, weak: string) =>
      `必备要素缺失：${missing || "无"}；较弱：${weak || "无"}。`,
    ungrounded: (n: number) => `未能在回答中找到出处的数值：${n} 个。`,
    ungroundedItem: (value: string, why: string, context: string) =>
      `· ${value}（${why}）：${context}`,
    ungroundedReason: {
      absent: "回答中没有这个数值",
      elsewhere: "回答中这个数值说的是另一件事",
      unit: "回答中这个数值的单位不同",
    },
    failed: (section: string, reason: string, detail: string) =>
      `“${section}”的大模型回复未采用（${reason}），已改用离线生成：${detail}`,
  },
} as const;

/** Start-up calls to the Bot API that fail for good (net/startup.ts), Chinese and English. */
export const STARTUP = {
  unreachable: (url: string, attempts: number, seconds: number) => ({
    zh: `无法连接 Telegram Bot API（${url}），${seconds} 秒内尝试 ${attempts} 次均失败。中国大陆的服务器通常无法直接访问 api.telegram.org：请设置 HTTPS_PROXY（或 TELEGRAM_PROXY，支持 http:// 与 socks5://）为可用的代理，或将 TELEGRAM_API_ROOT 指向可以访问的 Bot API 服务器。可先运行 fazhi-report doctor 检查。`,
    en: `cannot reach the Telegram Bot API (${url}): ${attempts} attempt(s) in ${seconds} s failed. Hosts in mainland China usually cannot reach api.telegram.org directly: set HTTPS_PROXY (or TELEGRAM_PROXY; http:// and socks5:// work) to a working proxy, or point TELEGRAM_API_ROOT at a reachable Bot API server. Run fazhi-report doctor to check.`,
  }),
  refused: (url: string, status: number, description: string) => ({
    zh: `Telegram Bot API（${url}）拒绝了请求（${status} ${description}）：请检查 TELEGRAM_BOT_TOKEN 是否正确、机器人是否已被删除，以及 TELEGRAM_API_ROOT 是否指向 Bot API 服务器。`,
    en: `the Telegram Bot API (${url}) refused the request (${status} ${description}): check TELEGRAM_BOT_TOKEN, that the bot still exists, and that TELEGRAM_API_ROOT points at a Bot API server.`,
  }),
} as const;

/** `fazhi-report doctor`: one finding per check, Chinese and English. */
export const DOCTOR = {
  config: (ok: boolean) =>
    ok ? { zh: "配置", en: "configuration" } : { zh: "配置有误", en: "invalid configuration" },
  store: (where: string) => ({
    zh: `存储可读写（${where}）`,
    en: `store reads and writes (${where})`,
  }),
  noToken: {
    zh: "Telegram：未设置 TELEGRAM_BOT_TOKEN，跳过（npm start 将在终端中对话）",
    en: "Telegram: TELEGRAM_BOT_TOKEN is not set, skipped (npm start chats in the terminal)",
  },
  telegramOk: (root: string, via: string, username: string) => ({
    zh: `Telegram Bot API 可访问（${root}${via}），机器人 @${username}`,
    en: `Telegram Bot API reachable (${root}${via}), bot @${username}`,
  }),
  telegramFail: (root: string, via: string, error: string) => ({
    zh: `无法访问 Telegram Bot API（${root}${via}）：${error}。请设置 HTTPS_PROXY 或 TELEGRAM_PROXY，或检查 TELEGRAM_API_ROOT 与令牌`,
    en: `cannot use the Telegram Bot API (${root}${via}): ${error}. Set HTTPS_PROXY or TELEGRAM_PROXY, or check TELEGRAM_API_ROOT and the token`,
  }),
  noLlm: {
    zh: "LLM：未配置 OPENAI_API_KEY / OPENAI_BASE_URL，跳过（起草使用离线生成）",
    en: "LLM: OPENAI_API_KEY / OPENAI_BASE_URL not set, skipped (drafts use the offline composer)",
  },
  llmOk: (where: string, model: string) => ({
    zh: `LLM 接口可用（${where}，模型 ${model}）`,
    en: `LLM endpoint works (${where}, model ${model})`,
  }),
  llmFail: (where: string, model: string, error: string) => ({
    zh: `LLM 接口不可用（${where}，模型 ${model}）：${error}`,
    en: `LLM endpoint failed (${where}, model ${model}): ${error}`,
  }),
  summary: (failed: number) =>
    failed === 0
      ? "全部检查通过。\nAll checks passed.\n"
      : `${failed} 项检查未通过。\n${failed} check(s) failed.\n`,
} as const;

/** The store check at start-up and in doctor (store/health.ts names the kind of problem). */
export const STORE_CHECK = {
  problems: {
    empty: {
      zh: "数据库文件是空的（0 字节），不会当作空数据库使用。若是首次启动时被中断留下的，确认后可删除它再启动；否则请从备份恢复",
      en: "the database file is empty (0 bytes) and is not taken as an empty store; if a first start was interrupted, delete it and start again, otherwise restore it from a backup",
    },
    notDatabase: {
      zh: "数据库文件已损坏或不是 SQLite 数据库，文件未作任何改动。请从备份恢复，或改用新的 STORE_URL",
      en: "the database file is corrupt or not an SQLite database; it was left untouched. Restore it from a backup, or use another STORE_URL",
    },
    noAccess: {
      zh: "没有读写权限。请检查运行用户对该文件和所在目录的权限，或改用可写的 STORE_URL",
      en: "no permission to read and write it; check the permissions of the file and its directory for this user, or use a writable STORE_URL",
    },
    unreachable: {
      zh: "无法连接存储服务。请确认服务已启动、地址和密码正确",
      en: "cannot reach the store; check that the server is running and the URL and password are right",
    },
    failed: {
      zh: "存储无法读写",
      en: "the store cannot be read and written",
    },
  },
  /** One line per language, for stderr; `detail` is the cause (may be ""). */
  failed: (where: string, problem: { zh: string; en: string }, detail: string) =>
    `存储检查失败（${where}）：${problem.zh}${detail ? `（${detail}）` : ""}\n` +
    `Store check failed (${where}): ${problem.en}${detail ? ` (${detail})` : ""}\n`,
} as const;
