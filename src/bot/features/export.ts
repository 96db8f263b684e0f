import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { AppDeps } from "../../app/deps.js";
import { exportLatest } from "../../app/drafting.js";
import { BUTTONS, type ExportFormat } from "../../interview/callbacks.js";
import { DRAFTING, TEXT } from "../../messages/zh.js";
import type { Seat } from "../../store/store.js";
import { type BotContext, seated } from "../context.js";

/** /export [md] and the export buttons: the latest draft of the user's own org as a file. */
export function exportFeature(deps: AppDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const chat = composer.chatType("private");
  const send = (format: (ctx: BotContext) => ExportFormat | undefined) =>
    seated(deps.store, "member", (ctx, seat) => {
      const chosen = format(ctx);
      return chosen ? sendFile(ctx, deps, seat, chosen) : ctx.reply(TEXT.staleButton);
    });
  chat.command(
    "export",
    send((ctx) => (/^(md|markdown)$/i.test(String(ctx.match ?? "").trim()) ? "md" : "docx")),
  );
  chat.callbackQuery(
    BUTTONS.export.filter,
    send((ctx) => BUTTONS.export.unpack(ctx.callbackQuery?.data ?? "")?.[0]),
  );
  return composer;
}

async function sendFile(
  ctx: BotContext,
  deps: AppDeps,
  seat: Seat,
  format: ExportFormat,
): Promise<void> {
  const file = await exportLatest(deps, seat.org, format);
  if (!file) return void (await ctx.reply(DRAFTING.noDraft));
  const markdown = new InlineKeyboard().text(DRAFTING.markdownVersion, BUTTONS.export.pack("md"));
  await ctx.replyWithDocument(new InputFile(file.bytes, file.fileName), {
    caption: DRAFTING.exportCaption(file.draft.n, format === "docx"),
    ...(format === "docx" ? { reply_markup: markdown } : {}),
  });
}
