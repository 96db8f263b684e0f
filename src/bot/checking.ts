import type { Bot, Context } from "grammy";
import { checkReport } from "../check/checker.js";
import { formatVerdict } from "../check/format.js";
import {
  assertUploadable,
  InputError,
  MAX_INPUT_BYTES,
  readReportBuffer,
} from "../check/read-input.js";
import { errorData, type Logger } from "../log.js";
import { DOWNLOAD_TIMEOUT_MS, DownloadError, downloadFile } from "../net/download.js";
import { showControls } from "../text/controls.js";
import type { BotContext } from "./context.js";
import { splitText } from "./render.js";

/** The first line of the /check prompt: a reply to it is a report to check. */
export const CHECK_PROMPT =
  "请发送要检查的报告文件（.docx、.txt 或 .md），或回复本消息粘贴报告全文；也可以发送“/check 报告全文”。";

/**
 * /check and documents: any report, also one written elsewhere, against the checklist. Anyone
 * may check a report (a county office checks the towns'); nothing is stored.
 */
export function installChecking(bot: Bot<BotContext>, logger: Logger): void {
  bot.command("check", async (ctx) => {
    const text = ctx.match.trim();
    if (text === "") await ctx.reply(CHECK_PROMPT);
    else await reply(ctx, checkText(text, "粘贴的文字"));
  });

  // Documents have no other use here, so any document is a report to check.
  bot.on("message:document", async (ctx) => {
    const doc = ctx.message.document;
    const name = showControls(doc.file_name ?? "未命名文件");
    try {
      assertUploadable(name, doc.file_size);
      const bytes = await download(ctx, name);
      const input = await readReportBuffer(bytes, name);
      const notice = input.notice ? `（${input.notice.zh}）\n` : "";
      await reply(ctx, notice + checkText(input.text, name));
    } catch (error) {
      if (!(error instanceof InputError)) {
        logger.error("check of a document failed", {
          update: ctx.update.update_id,
          ...errorData(error),
        });
        await ctx.reply("读取文件时出错，请稍后重试，或改发 .txt 文本。");
        return;
      }
      await ctx.reply(`${error.messageZh}。`);
    }
  });

  // A reply to the /check prompt carries the report text.
  bot.on("message:text", async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    if (replied?.from?.id !== ctx.me.id || !replied.text?.startsWith(CHECK_PROMPT)) return next();
    await reply(ctx, checkText(ctx.message.text, "粘贴的文字"));
  });
}

function checkText(text: string, source: string): string {
  return formatVerdict(checkReport(text), source);
}

async function reply(ctx: Context, text: string): Promise<void> {
  for (const part of splitText(text)) await ctx.reply(part);
}

/** Downloads the document (net/download.ts: http or https, proxy, timeout, size cap). */
async function download(ctx: BotContext, name: string): Promise<Uint8Array> {
  const file = await ctx.getFile();
  // Telegram leaves file_path out for a file it will not serve (over 20 MB).
  if (!file.file_path) throw new Error(`File path is not available for file ${file.file_id}`);
  const options = ctx.api.options;
  try {
    return await downloadFile(file.file_path, {
      apiRoot: options?.apiRoot ?? "https://api.telegram.org",
      token: ctx.api.token,
      ...(options?.baseFetchConfig?.agent ? { agent: options.baseFetchConfig.agent } : {}),
      maxBytes: MAX_INPUT_BYTES,
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
    });
  } catch (error) {
    if (error instanceof DownloadError && error.kind === "too-large") {
      assertUploadable(name, error.bytes);
    }
    throw error;
  }
}
