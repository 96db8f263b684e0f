import { type Bot, type Context, InlineKeyboard, InputFile } from "grammy";
import type { Draft, Org } from "../domain/types.js";
import { toDocx } from "../export/docx.js";
import { toMarkdown } from "../export/markdown.js";
import { parseOutline } from "../export/outline.js";
import { callbackData } from "../interview/callbacks.js";
import { TEXT } from "../interview/views.js";
import { errorData, type Logger } from "../log.js";
import { type Store, StoreError } from "../store/store.js";
import type { BotContext } from "./context.js";

export type ExportFormat = "docx" | "md";

/** The buttons under a finished draft. */
export const EXPORT_BUTTONS = new InlineKeyboard()
  .text("导出Word", callbackData("export", "docx"))
  .text("导出Markdown", callbackData("export", "md"));

/** /export [md] and the export buttons: the latest draft of the user's own org as a file. */
export function installExport(bot: Bot<BotContext>, store: Store, logger: Logger): void {
  bot.command("export", async (ctx) => {
    const format: ExportFormat = /^(md|markdown)$/i.test(ctx.match.trim()) ? "md" : "docx";
    await send(ctx, store, logger, format);
  });
  bot.callbackQuery(/^export:(docx|md)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await send(ctx, store, logger, ctx.match[1] === "md" ? "md" : "docx");
  });
}

export function exportFileName(org: Org, format: ExportFormat): string {
  return `${org.name}${org.year}年度法治政府建设情况报告.${format}`;
}

async function send(
  ctx: Context,
  store: Store,
  logger: Logger,
  format: ExportFormat,
): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  try {
    const member = await store.getMember(userId);
    const org = member && (await store.getOrg(member.orgId));
    if (!org) {
      await ctx.reply(TEXT.notMember);
      return;
    }
    const draft = await store.latestDraft(org);
    if (!draft) {
      await ctx.reply("还没有草稿，请先发送 /draft 起草。");
      return;
    }
    const file = new InputFile(await render(draft, format), exportFileName(org, format));
    const caption = `第 ${draft.n} 版草稿${format === "docx" ? "（公文格式，【待补充】处已标黄）" : ""}`;
    await ctx.replyWithDocument(file, {
      caption,
      ...(format === "docx"
        ? { reply_markup: new InlineKeyboard().text("Markdown 版", callbackData("export", "md")) }
        : {}),
    });
  } catch (error) {
    logger.error("export failed", { update: ctx.update.update_id, ...errorData(error) });
    await ctx.reply(error instanceof StoreError ? TEXT.storeDown : "导出失败，请稍后重试。");
  }
}

async function render(draft: Draft, format: ExportFormat): Promise<Buffer> {
  const outline = parseOutline(draft.text);
  return format === "docx" ? toDocx(outline) : Buffer.from(toMarkdown(outline), "utf8");
}
