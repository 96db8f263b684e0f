import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { InputFile } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { createBot } from "../bot/bot.js";
import { type ApiCall, LOCAL_BOT_INFO, LocalApi, LocalChat } from "../bot/local-api.js";
import type { LlmClient } from "../llm/client.js";
import type { Logger } from "../log.js";
import { TERMINAL } from "../messages/zh.js";
import type { Store } from "../store/store.js";
import type { Template } from "../template/load.js";

export interface ChatOptions {
  store: Store;
  template: Template;
  logger: Logger;
  /** Lines to send; each line is one message. */
  input: Readable;
  write: (text: string) => void;
  /** Script mode echoes each line before the replies; interactive mode shows a prompt. */
  echo: boolean;
  prompt?: string;
  user?: { id: number; first_name: string };
  /** Where documents the bot sends (Word, Markdown) are saved; the working directory by default. */
  exportDir?: string;
  llm?: LlmClient;
  now?: () => Date;
}

interface Shown {
  text: string;
  buttons: { label: string; data: string }[];
  document?: InputFile;
}

/** The terminal chat: the same grammY bot, fed by a local transport instead of Telegram. */
export async function runChat(options: ChatOptions): Promise<void> {
  const api = new LocalApi(LOCAL_BOT_INFO, { record: false });
  const bot = createBot({
    token: "0:local",
    botInfo: LOCAL_BOT_INFO,
    transport: api.transformer,
    store: options.store,
    template: options.template,
    logger: options.logger,
    rateLimit: false,
    ...(options.llm ? { llm: options.llm } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const chat = new LocalChat(
    bot,
    api,
    options.user ?? { id: 10_001, first_name: TERMINAL.localUser },
  );
  let batch: Shown[] = [];
  let choices: Shown["buttons"] = [];
  api.onCall((call) => {
    const shown = shownOf(call);
    if (shown) batch.push(shown);
  });

  const lines = createInterface({ input: options.input, terminal: false });
  if (options.prompt) options.write(options.prompt);
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === "") {
      if (options.prompt) options.write(options.prompt);
      continue;
    }
    if (options.echo) options.write(`\n> ${line}\n`);
    const pressed = buttonFor(line, choices, batch);
    batch = [];
    if (pressed) await chat.press(pressed);
    else await chat.send(line);
    await saveDocuments(batch, options.exportDir ?? process.cwd());
    choices = batch.flatMap((m) => m.buttons);
    options.write(render(batch));
    if (options.prompt) options.write(options.prompt);
  }
}

/** A line presses a button when it is a button's label, or its number in a menu. */
function buttonFor(line: string, choices: Shown["buttons"], last: Shown[]): string | undefined {
  const byLabel = choices.find((b) => b.label === line);
  if (byLabel) return byLabel.data;
  if (!isMenu(last) || !/^\d{1,2}$/.test(line)) return undefined;
  return choices[Number(line) - 1]?.data;
}

/** Numbers stand for buttons only when the last message is a menu; otherwise they are answers. */
function isMenu(batch: Shown[]): boolean {
  return (batch.at(-1)?.buttons.length ?? 0) > 0;
}

function render(batch: Shown[]): string {
  const menu = isMenu(batch);
  let n = 0;
  const blocks = batch.map((m) => {
    if (m.buttons.length === 0) return m.text;
    const labels = m.buttons.map((b) => (menu ? `  [${++n}] ${b.label}` : `[${b.label}]`));
    return `${m.text}\n${menu ? labels.join("\n") : `  ${labels.join(" ")}`}`;
  });
  return blocks.map((b) => `${b}\n`).join("\n");
}

/** A document the bot sends is written to a file, and its path shown instead. */
async function saveDocuments(batch: Shown[], dir: string): Promise<void> {
  for (const shown of batch) {
    if (!shown.document) continue;
    const raw = await shown.document.toRaw();
    if (!(raw instanceof Uint8Array)) continue;
    const path = join(dir, basename(shown.document.filename ?? "export.bin"));
    // Exports hold the office's answers: owner-only, like the store.
    await writeFile(path, raw, { mode: 0o600 });
    shown.text = `${TERMINAL.savedFile(path)}${shown.text ? `\n${shown.text}` : ""}`;
  }
}

function shownOf(call: ApiCall): Shown | undefined {
  const methods = ["sendMessage", "editMessageText", "sendDocument"];
  if (!methods.includes(call.method)) return undefined;
  const markup = call.payload.reply_markup as
    | { inline_keyboard?: InlineKeyboardButton[][] }
    | undefined;
  const buttons = (markup?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => ("callback_data" in b ? [{ label: b.text, data: b.callback_data }] : []));
  const document = call.payload.document instanceof InputFile ? call.payload.document : undefined;
  const text = String(call.payload.text ?? call.payload.caption ?? "");
  return { text, buttons, ...(document ? { document } : {}) };
}
