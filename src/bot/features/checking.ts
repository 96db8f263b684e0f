import { Composer } from "grammy";
import type { Checker } from "../../check/checker.js";
import { formatVerdict } from "../../check/format.js";
import {
  assertUploadable,
  InputError,
  MAX_INPUT_BYTES,
  readReportBuffer,
} from "../../check/read-input.js";
import { errorData } from "../../log.js";
import { CHECKING } from "../../messages/zh.js";
import type { BotContext } from "../context.js";
import { replyLong } from "../render.js";

/**
 * /check and documents: any report, also one written elsewhere, against the checklist of the
 * report type in use. Anyone may check a report (a county office checks the towns'); nothing is
 * stored.
 */
export function checkingFeature(checker: Checker): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const check = (text: string, source: string) => formatVerdict(checker.check(text), source);

  composer.command("check", async (ctx) => {
    const text = ctx.match.trim();
    if (text === "") await ctx.reply(CHECKING.prompt);
    else await replyLong(ctx, { text: check(text, CHECKING.pasted) });
  });

  // Documents have no other use here, so any document is a report to check.
  composer.on("message:document", async (ctx) => {
    const doc = ctx.message.document;
    const name = doc.file_name ?? CHECKING.unnamedFile;
    try {
      assertUploadable(name, doc.file_size);
      const input = await readReportBuffer(await download(ctx, name), name);
      const notice = input.notice ? CHECKING.notice(input.notice.zh) : "";
      await replyLong(ctx, { text: notice + check(input.text, name) });
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
    await replyLong(ctx, { text: check(ctx.message.text, CHECKING.pasted) });
  });
  return composer;
}

/** Reads the document through grammY's files plugin, refusing it once it passes the size cap. */
async function download(ctx: BotContext, name: string): Promise<Uint8Array> {
  const file = await ctx.getFile();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of file) {
    size += chunk.byteLength;
    assertUploadable(name, size > MAX_INPUT_BYTES ? size : undefined);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
