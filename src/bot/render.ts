import { InlineKeyboard } from "grammy";
import type { Button, Reply } from "../interview/types.js";
import type { BotContext } from "./context.js";

/** Telegram rejects messages over 4096 characters. */
const TELEGRAM_TEXT_LIMIT = 4096;

/** Splits text into parts of at most `limit` UTF-16 units, at line breaks where possible. */
function splitText(text: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf("\n", limit);
    if (cut < limit / 2) cut = limit;
    // Never cut a surrogate pair in half.
    if (cut === limit && /[\uD800-\uDBFF]/.test(rest.charAt(cut - 1))) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  parts.push(rest);
  return parts;
}

function keyboardOf(buttons: readonly (readonly Button[])[] | undefined) {
  if (!buttons?.length) return undefined;
  return InlineKeyboard.from(
    buttons.map((row) => row.map((b) => InlineKeyboard.text(b.label, b.data))),
  );
}

/** Sends a reply in as many messages as it needs; its buttons go under the last one. */
export async function replyLong(ctx: BotContext, reply: Reply): Promise<void> {
  const parts = splitText(reply.text);
  const keyboard = keyboardOf(reply.buttons);
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    await ctx.reply(part, last && keyboard ? { reply_markup: keyboard } : {});
  }
}

export async function replyAll(ctx: BotContext, replies: readonly Reply[]): Promise<void> {
  for (const reply of replies) await replyLong(ctx, reply);
}
