import type { Member, Org } from "../domain/types.js";
import type { Question, Section, Template } from "../template/load.js";
import { chineseNumeral } from "../text/numerals.js";
import { callbackData } from "./callbacks.js";
import { type Answers, isAnswered, progressOf, type SectionProgress } from "./progress.js";
import type { Button, DraftCheck, Reply } from "./types.js";

/** All user-facing wording of the interview (简体中文) lives here. */

const PREVIEW_CHARS = 300;

export function sectionLabel(template: Template, section: Section): string {
  if (section.part === "intro") return section.title;
  if (section.part === "measures") {
    const measures = template.sections.filter((s) => s.part === "measures");
    return `（${chineseNumeral(measures.indexOf(section) + 1)}）${section.title}`;
  }
  return template.parts[section.part];
}

export function questionReply(template: Template, question: Question, answers: Answers): Reply {
  const section = template.section(question.sectionId) as Section;
  const index = section.questions.indexOf(question) + 1;
  const lines = [
    `【${sectionLabel(template, section)}】`,
    `第 ${index}/${section.questions.length} 题${question.required ? "（必答）" : "（选答）"} · 编号 ${question.id}`,
    "",
    question.text,
    `提示：${question.hint}`,
  ];
  const current = answers.get(question.id);
  if (current && isAnswered(answers, question.id)) {
    lines.push("", `当前回答：${preview(current.text)}`, "直接发送新内容将替换当前回答。");
  }
  return { text: lines.join("\n") };
}

export function ackReply(question: Question, mode: "replace" | "append" | "new"): Reply {
  const verb = { new: "已保存", replace: "已更新", append: "已补充" }[mode];
  return {
    text: `✅ ${verb}：${shorten(question.text, 40)}`,
    buttons: [
      [
        { label: "补充", data: callbackData("ap", question.id) },
        { label: "重答", data: callbackData("re", question.id) },
      ],
    ],
  };
}

export function pendingReply(
  question: Question,
  mode: "append" | "replace",
  current?: string,
): Reply {
  const head =
    mode === "append"
      ? `请发送要补充的内容，将追加到「${shorten(question.text, 40)}」的回答之后。`
      : `请发送新的回答，将替换「${shorten(question.text, 40)}」的当前回答（旧版本会保留）。`;
  const tail = current ? `\n\n当前回答：${current}` : "";
  return { text: `${head}${tail}\n发送 /cancel 取消。` };
}

export function finishedReply(template: Template, answers: Answers): Reply {
  const missing = progressOf(template, answers).reduce((n, p) => n + p.missing.length, 0);
  const tail =
    missing === 0
      ? "必答问题已全部回答。"
      : `还有 ${missing} 个必答问题未回答，发送 /missing 查看并跳转。`;
  return {
    text: `所有问题都已过了一遍。${tail}\n发送 /sections 可选择章节继续修改，/status 查看进度。`,
  };
}

/** Progress per section; with the team known, who owns each section and who answered what. */
export function statusReply(
  template: Template,
  org: Org,
  answers: Answers,
  team?: { members: readonly Member[]; assignments: Readonly<Record<string, number>> },
): Reply {
  const rows = progressOf(template, answers);
  const done = rows.reduce((n, p) => n + p.answered, 0);
  const total = rows.reduce((n, p) => n + p.total, 0);
  const names = new Map(team?.members.map((m) => [m.userId, m.displayName]));
  const lines = [
    `${org.name}（${org.superior}）${org.year}年度报告 · 填写进度 ${done}/${total}`,
    "",
  ];
  for (const p of rows) {
    lines.push(
      `${mark(p)} ${bar(p.answered, p.total)} ${p.answered}/${p.total} ${shortLabel(template, p.section)}`,
    );
    if (!team) continue;
    const owner = team.assignments[p.section.id];
    const who = authorsOf(p.section, answers, names);
    const parts = [
      owner !== undefined ? `负责：${names.get(owner) ?? "已退出的成员"}` : "",
      who ? `已答：${who}` : "",
    ];
    if (parts.some(Boolean)) lines.push(`    ${parts.filter(Boolean).join(" · ")}`);
  }
  lines.push("", "✓ 必答已齐  … 仍有必答未答  ○ 选答章节");
  return { text: lines.join("\n") };
}

/** "小王 3、老李 1": who gave the current answers of a section, by count. */
function authorsOf(section: Section, answers: Answers, names: ReadonlyMap<number, string>): string {
  const counts = new Map<string, number>();
  for (const q of section.questions) {
    const answer = answers.get(q.id);
    if (!answer || !isAnswered(answers, q.id)) continue;
    const name = names.get(answer.author) ?? answer.authorName;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => `${name} ${n}`).join("、");
}

/** Every version of one answer, oldest first, with author and Beijing time. */
export function historyReply(question: Question, answers: Answers): Reply {
  const answer = answers.get(question.id);
  if (!answer) return { text: `「${shorten(question.text, 40)}」还没有回答。` };
  const versions = [...(answer.history ?? []), answer];
  const lines = [`「${shorten(question.text, 40)}」共 ${versions.length} 个版本：`];
  versions.forEach((v, i) => {
    const label = i === versions.length - 1 ? "当前" : `第${i + 1}版`;
    lines.push("", `${label} · ${beijingTime(v.at)} · ${v.authorName}`, preview(v.text));
  });
  return { text: lines.join("\n") };
}

function beijingTime(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/** Required questions still unanswered and, when a draft exists, the items it lacks. */
export function missingReply(template: Template, answers: Answers, draft?: DraftCheck): Reply {
  const gaps = progressOf(template, answers).filter(
    (p) => p.section.required && p.missing.length > 0,
  );
  const lines: string[] = [];
  if (gaps.length === 0) lines.push("✅ 必答内容已全部填写，没有缺项。");
  else lines.push(`还缺 ${gaps.length} 个必答章节的内容：`);
  for (const p of gaps) {
    lines.push("", `▶ ${sectionLabel(template, p.section)}（缺 ${p.missing.length} 题）`);
    for (const q of p.missing) lines.push(`  · ${shorten(q.text, 60)}`);
  }
  const targets = gaps.map((p) => p.section);
  if (draft) {
    const items = draftGaps(template, draft);
    lines.push(
      "",
      items.length === 0
        ? `✅ 最新草稿（第 ${draft.n} 版）必备要素齐全。`
        : `最新草稿（第 ${draft.n} 版）的必备要素：`,
    );
    for (const item of items) {
      const where = item.sections.map((s) => sectionLabel(template, s)).join("、");
      const mark = item.status === "missing" ? "✗ 缺少" : "△ 较弱";
      lines.push(`${mark}：${item.title}${where ? `（补充：${where}）` : ""}`);
      for (const s of item.sections) if (!targets.includes(s)) targets.push(s);
    }
  }
  const text = lines.join("\n");
  if (targets.length === 0) return { text };
  const buttons = targets.map((s) => [
    { label: `去填写：${shortLabel(template, s)}`, data: callbackData("sec", s.id) },
  ]);
  return { text, buttons };
}

/** The draft's missing and weak items, each with the sections whose answers feed it. */
function draftGaps(
  template: Template,
  draft: DraftCheck,
): { title: string; status: "missing" | "weak"; sections: Section[] }[] {
  return template.checklist.flatMap((item) => {
    const status = draft.missing.includes(item.id)
      ? "missing"
      : draft.weak.includes(item.id)
        ? "weak"
        : undefined;
    if (!status) return [];
    const sections = template.sections.filter((s) => s.feeds.includes(item.id));
    return [{ title: item.title, status, sections }];
  });
}

export function sectionsMenu(template: Template, answers: Answers, action: "sec" | "edsec"): Reply {
  const head = action === "sec" ? "选择要填写的章节：" : "选择要修改的章节：";
  const buttons = progressOf(template, answers).map((p) => [
    {
      label: `${mark(p)} ${shortLabel(template, p.section)} ${p.answered}/${p.total}`,
      data: callbackData(action, p.section.id),
    },
  ]);
  return { text: head, buttons };
}

export function questionsMenu(template: Template, section: Section, answers: Answers): Reply {
  const buttons: Button[][] = section.questions.map((q, i) => [
    {
      label: `${isAnswered(answers, q.id) ? "✓" : "…"} ${i + 1}. ${shorten(q.text, 24)}`,
      data: callbackData("ed", q.id),
    },
  ]);
  return { text: `【${sectionLabel(template, section)}】选择要修改的问题：`, buttons };
}

export const HELP_TEXT = [
  "法治政府建设年度报告助手：逐章提问，保存每条回答，帮助起草报告。",
  "",
  "直接发送文字即回答当前问题；回复（引用）之前的问题可为该题补充内容。",
  "",
  "/start 登记单位（或用邀请码加入）",
  "/join 邀请码 加入已登记的单位",
  "/next 下一个未答的问题",
  "/skip 跳过当前问题",
  "/back 回到上一题",
  "/sections 选择章节",
  "/edit 修改已答内容",
  "/status 各章节填写进度",
  "/missing 还缺哪些必答内容",
  "/draft 起草报告（分节起草，标出缺项和找不到出处的数值）",
  "/drafts 历次草稿",
  "/export 导出最新草稿的 Word 文件（/export md 导出 Markdown）",
  "/check 检查任何一份报告（也可直接发送 .docx/.txt 文件）",
  "/revise 章节 要求 按要求重写某一节，如“/revise enforcement 突出数据”",
  "/history 问题编号 查看某一题的修改记录",
  "/members 成员列表；/invite 生成邀请码；/assign 分配章节；/deadline 截止日期",
  "/cancel 取消当前操作",
  "/help 帮助",
].join("\n");

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
    "用法：/history 问题编号（如 /history rules.issued）；不带编号时显示当前问题的修改记录。",
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
  skipped: (q: Question) => `已跳过：${shorten(q.text, 40)}（稍后可用 /missing 找回）`,
  replyAppended: (q: Question) => `已补充到「${shorten(q.text, 40)}」。`,
  noAnswerToAppend: (q: Question) =>
    `「${shorten(q.text, 40)}」还没有回答，这条内容已作为它的回答保存。`,
} as const;

function mark(p: SectionProgress): string {
  if (!p.section.required) return "○";
  return p.missing.length === 0 ? "✓" : "…";
}

function bar(done: number, total: number): string {
  const width = 8;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return "▰".repeat(filled) + "▱".repeat(width - filled);
}

function shortLabel(template: Template, section: Section): string {
  return shorten(sectionLabel(template, section), 18);
}

export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function preview(text: string): string {
  return shorten(text, PREVIEW_CHARS);
}
