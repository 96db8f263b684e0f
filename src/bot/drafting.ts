import type { Bot, Context } from "grammy";
import type { Draft, Member, Org } from "../domain/types.js";
import {
  type DrafterDeps,
  type DraftResult,
  draftReport,
  reviseSection,
} from "../draft/drafter.js";
import { requestFromAnswers } from "../draft/request.js";
import { questionsOf } from "../interview/progress.js";
import { shorten, TEXT } from "../interview/views.js";
import { errorData } from "../log.js";
import { type Store, StoreError } from "../store/store.js";
import type { Section, Template } from "../template/load.js";
import { cleanText } from "../text/sanitize.js";
import type { BotContext } from "./context.js";
import { EXPORT_BUTTONS } from "./exporting.js";
import { splitText } from "./render.js";

export interface DraftingDeps {
  store: Store;
  template: Template;
  drafter: DrafterDeps;
}

/** Telegram shows "typing…" for about 5 seconds per chat action. */
const TYPING_EVERY_MS = 4_500;

/** /draft, /drafts and /revise: any member of the org may use them. */
export function installDrafting(bot: Bot<BotContext>, deps: DraftingDeps): void {
  bot.command("draft", (ctx) => withOrg(ctx, deps, (org, member) => draft(ctx, deps, org, member)));
  bot.command("drafts", (ctx) => withOrg(ctx, deps, (org) => listDrafts(ctx, deps, org)));
  bot.command("revise", (ctx) =>
    withOrg(ctx, deps, (org, member) => revise(ctx, deps, org, member, ctx.match.trim())),
  );
}

async function withOrg(
  ctx: Context,
  deps: DraftingDeps,
  run: (org: Org, member: Member) => Promise<void>,
): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  try {
    const member = await deps.store.getMember(userId);
    const org = member && (await deps.store.getOrg(member.orgId));
    if (!member || !org) {
      await ctx.reply(TEXT.notMember);
      return;
    }
    await run(org, member);
  } catch (error) {
    deps.drafter.logger.error("drafting failed", {
      update: ctx.update.update_id,
      ...errorData(error),
    });
    await ctx.reply(
      error instanceof StoreError
        ? TEXT.storeDown
        : "起草时出错，请稍后重试。已保存的回答不受影响。",
    );
  }
}

async function draft(ctx: Context, deps: DraftingDeps, org: Org, member: Member): Promise<void> {
  const answers = await deps.store.getAnswers(
    org,
    questionsOf(deps.template).map((q) => q.id),
  );
  const request = requestFromAnswers(deps.template, org, answers);
  const progress = await ctx.reply(
    deps.drafter.llm ? "起草中…" : "起草中（未配置大模型，使用离线生成）…",
  );
  const edit = editor(ctx, progress.message_id);
  const result = await typing(ctx, () =>
    draftReport(deps.drafter, request, {
      onProgress: (done, total) => edit(`起草中 ${done}/${total}`),
    }),
  );
  const saved = await save(deps.store, org, member, result);
  await edit(`起草完成：第 ${saved.n} 版`, true);
  await sendDraft(ctx, deps.template, saved, result);
}

async function revise(
  ctx: Context,
  deps: DraftingDeps,
  org: Org,
  member: Member,
  arg: string,
): Promise<void> {
  const [target = "", ...rest] = arg.split(/\s+/);
  const instruction = cleanText(rest.join(" "));
  const section = findSection(deps.template, target);
  if (!section || instruction === "") {
    await ctx.reply(reviseUsage(deps.template));
    return;
  }
  const latest = (await deps.store.listDrafts(org)).at(-1);
  if (!latest) {
    await ctx.reply("还没有草稿，请先发送 /draft 起草。");
    return;
  }
  const answers = await deps.store.getAnswers(
    org,
    questionsOf(deps.template).map((q) => q.id),
  );
  const request = requestFromAnswers(deps.template, org, answers);
  await ctx.reply(`正在按“${shorten(instruction, 30)}”重写「${section.title}」…`);
  const result = await typing(ctx, () =>
    reviseSection(deps.drafter, request, latest.sections, section.id, instruction),
  );
  const saved = await save(deps.store, org, member, result);
  const revised = result.sections.find((s) => s.id === section.id);
  for (const part of splitText(
    `【${section.title}】（第 ${saved.n} 版）\n${revised?.text ?? ""}`,
  )) {
    await ctx.reply(part);
  }
  await ctx.reply(summaryText(deps.template, result), { reply_markup: EXPORT_BUTTONS });
}

async function listDrafts(ctx: Context, deps: DraftingDeps, org: Org): Promise<void> {
  const drafts = await deps.store.listDrafts(org);
  if (drafts.length === 0) {
    await ctx.reply("还没有草稿，发送 /draft 起草。");
    return;
  }
  const lines = drafts.map((d) => {
    const llm = d.sections.filter((s) => s.source === "llm").length;
    const when = d.createdAt.slice(0, 16).replace("T", " ");
    return `第 ${d.n} 版 · ${when} UTC · ${d.authorName} · 大模型 ${llm} 节 / 离线 ${d.sections.length - llm} 节 · 缺项 ${d.check.missing.length} · 待核数值 ${d.ungrounded.length}`;
  });
  await ctx.reply(`${org.name}${org.year}年度报告的草稿：\n${lines.join("\n")}`);
}

async function save(store: Store, org: Org, member: Member, result: DraftResult): Promise<Draft> {
  return store.addDraft(org, {
    createdAt: new Date().toISOString(),
    author: member.userId,
    authorName: member.displayName,
    title: result.title,
    text: result.text,
    markdown: result.markdown,
    sections: result.sections,
    check: result.check,
    ungrounded: result.ungrounded,
    usage: result.usage,
  });
}

async function sendDraft(
  ctx: Context,
  template: Template,
  saved: Draft,
  result: DraftResult,
): Promise<void> {
  for (const part of splitText(saved.text)) await ctx.reply(part);
  await ctx.reply(summaryText(template, result), { reply_markup: EXPORT_BUTTONS });
}

/** What the user must look at: missing items, values without a source, who wrote each section. */
export function summaryText(template: Template, result: DraftResult): string {
  const titles = new Map(template.checklist.map((c) => [c.id, c.title]));
  const name = (id: string) => titles.get(id) ?? id;
  const llm = result.sections.filter((s) => s.source === "llm");
  const offline = result.sections.filter((s) => s.source === "offline");
  const gaps = (result.text.match(/【待补充/g) ?? []).length;
  const lines = [
    "草稿说明：",
    `· 必备要素缺失：${result.check.missing.map(name).join("、") || "无"}`,
    `· 较弱的要素：${result.check.weak.map(name).join("、") || "无"}`,
    `· 【待补充】标记：${gaps} 处`,
  ];
  if (result.ungrounded.length > 0) {
    lines.push(`· 以下 ${result.ungrounded.length} 个数值在回答中找不到出处，请核实或删除：`);
    for (const u of result.ungrounded.slice(0, 20))
      lines.push(`  - ${u.value}：${shorten(u.context, 50)}`);
  } else {
    lines.push("· 所有数字、日期和文件名称都能在回答中找到出处。");
  }
  lines.push(
    `· 由大模型起草：${llm.map((s) => s.title).join("、") || "无"}`,
    `· 离线生成：${offline.map((s) => s.title).join("、") || "无"}`,
  );
  for (const f of result.failures)
    lines.push(`· 「${sectionTitle(template, f.section)}」大模型调用失败，已改用离线生成。`);
  lines.push("修改某一节：/revise 章节 修改要求，例如“/revise enforcement 突出数据”。");
  return lines.join("\n");
}

function reviseUsage(template: Template): string {
  const ids = template.sections.map((s) => `${s.id}：${s.title}`).join("\n");
  return `用法：/revise 章节 修改要求\n例如：/revise enforcement 更突出数据\n\n章节编号：\n${ids}`;
}

/** A section by id, or by a unique part of its title ("执法"). */
function findSection(template: Template, key: string): Section | undefined {
  if (key === "") return undefined;
  const byId = template.section(key);
  if (byId) return byId;
  const matches = template.sections.filter((s) => s.title.includes(key));
  return matches.length === 1 ? matches[0] : undefined;
}

function sectionTitle(template: Template, id: string): string {
  return template.section(id)?.title ?? id;
}

/** Edits the progress message in order, skipping repeats (Telegram rejects "not modified"). */
function editor(ctx: Context, messageId: number): (text: string, force?: boolean) => Promise<void> {
  let chain = Promise.resolve();
  let last = "";
  const chatId = ctx.chat?.id;
  return (text, force = false) => {
    if (chatId === undefined || (text === last && !force)) return chain;
    last = text;
    chain = chain
      .then(() => ctx.api.editMessageText(chatId, messageId, text))
      .then(
        () => {},
        () => {},
      );
    return chain;
  };
}

/** Shows "typing…" while `work` runs. */
async function typing<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  const send = () => void ctx.replyWithChatAction("typing").catch(() => {});
  send();
  const timer = setInterval(send, TYPING_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
