import { Composer } from "grammy";
import { type PlanCheckDeps, plansOfMember, verdictWithPlans } from "../../app/checking.js";
import type { Checker } from "../../check/checker.js";
import {
  assertUploadable,
  InputError,
  MAX_INPUT_BYTES,
  readReportBuffer,
} from "../../check/read-input.js";
import { errorData } from "../../log.js";
import { CHECKING } from "../../messages/zh.js";
import { DOWNLOAD_TIMEOUT_MS, DownloadError, downloadFile } from "../../net/download.js";
import { showControls } from "../../text/controls.js";
import type { BotContext } from "../context.js";
import { replyLong } from "../render.js";

/**
 * /check and documents: any report, also one written elsewhere, against the checklist of the
 * report type in use. Anyone may check a report (a county office checks the towns'); nothing is
 * stored.
 */
export function checkingFeature(checker: Checker, plans?: PlanCheckDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  // A member whose office loaded last year's report also learns which plan items are unmentioned.
  const check = async (ctx: BotContext, text: string, fileName: string) => {
    const accounted = plans && ctx.from ? await plansOfMember(plans, ctx.from.id, text) : undefined;
    return verdictWithPlans(checker, { text, fileName }, accounted);
  };

  composer.command("check", async (ctx) => {
    const text = ctx.match.trim();
    if (text === "") await ctx.reply(CHECKING.prompt);
    else await replyLong(ctx, { text: await check(ctx, text, CHECKING.pasted) });
  });

  // A member's upload may also be last year's report or a material (features/importing.ts, which
  // runs first); what reaches here is a report to check.
  composer.on("message:document", async (ctx) => {
    const doc = ctx.message.document;
    const name = showControls(doc.file_name ?? CHECKING.unnamedFile);
    try {
      assertUploadable(name, doc.file_size);
      const input = await readReportBuffer(await download(ctx, name), name);
      const notice = input.notice ? CHECKING.notice(input.notice.zh) : "";
      await replyLong(ctx, { text: notice + (await check(ctx, input.text, name)) });
    } catch (error) {
      // A report the user sent that cannot be read is their answer, not a failed update.
      if (error instanceof InputError)
        return void (await ctx.reply(CHECKING.inputError(error.messageZh)));
      ctx.log.error("check of a document failed", errorData(error));
      await ctx.reply(CHECKING.readFailed);
    }
  });

  // A reply to the /check prompt carries the report text.
  composer.on("message:text", async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    if (replied?.from?.id !== ctx.me.id || !replied.text?.startsWith(CHECKING.prompt))
      return next();
    await replyLong(ctx, { text: await check(ctx, ctx.message.text, CHECKING.pasted) });
  });
  return composer;
}

/** Downloads the document (net/download.ts: http or https, proxy, timeout, size cap). */
export async function download(ctx: BotContext, name: string): Promise<Uint8Array> {
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
