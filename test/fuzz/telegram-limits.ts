import type { ApiCall } from "../../src/bot/local-api.js";

/**
 * What Telegram would refuse in a call the bot made (the in-process API accepts anything): a
 * refused sendMessage is an error in the handler, so odd input must never lead to one.
 * Limits from the Bot API: message text 1–4096 characters and not blank, captions up to 1024,
 * callback answers up to 200, button labels not empty, callback data 1–64 bytes.
 */
export function telegramProblems(call: ApiCall): string[] {
  const { method, payload } = call;
  const problems: string[] = [];
  const text = (field: string, max: number, required: boolean) => {
    const value = payload[field];
    if (value === undefined) {
      if (required) problems.push(`${method} without ${field}`);
      return;
    }
    if (typeof value !== "string") return void problems.push(`${method} ${field} not a string`);
    if (required && value.trim() === "") problems.push(`${method} with a blank ${field}`);
    if (value.length > max) problems.push(`${method} ${field} of ${value.length} > ${max}`);
  };
  switch (method) {
    case "sendMessage":
    case "editMessageText":
      text("text", 4096, true);
      break;
    case "sendDocument":
      text("caption", 1024, false);
      break;
    case "answerCallbackQuery":
      text("text", 200, false);
      break;
  }
  if ((method === "sendMessage" || method === "sendDocument") && payload.chat_id === undefined) {
    problems.push(`${method} without chat_id`);
  }
  const markup = payload.reply_markup as
    | { inline_keyboard?: { text?: string; callback_data?: string }[][] }
    | undefined;
  for (const button of markup?.inline_keyboard?.flat() ?? []) {
    if (!button.text?.trim()) problems.push(`${method}: a button without a label`);
    const bytes = Buffer.byteLength(button.callback_data ?? "", "utf8");
    if (bytes < 1 || bytes > 64) {
      problems.push(`${method}: callback data of ${bytes} bytes: ${button.callback_data}`);
    }
  }
  return problems;
}
