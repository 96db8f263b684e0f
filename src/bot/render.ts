import { InlineKeyboard } from "grammy";
import type { Reply } from "../interview/types.js";

/** Telegram rejects messages over 4096 characters. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Splits text into parts of at most `limit` UTF-16 units, at line breaks where possible. */
export function splitText(text: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
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

export function keyboardOf(reply: Reply): InlineKeyboard | undefined {
  if (!reply.buttons?.length) return undefined;
  return InlineKeyboard.from(
    reply.buttons.map((row) => row.map((b) => InlineKeyboard.text(b.label, b.data))),
  );
}
