import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { InputFile } from "grammy";
import type { InlineKeyboardButton, Message } from "grammy/types";
import { checkReportFile } from "../app/checking.js";
import { standingOf } from "../app/interview.js";
import { createBot } from "../bot/bot.js";
import { type ApiCall, LOCAL_BOT_INFO, LocalApi, LocalChat } from "../bot/local-api.js";
import { InputError } from "../check/read-input.js";
import type { LlmClient } from "../llm/client.js";
import type { Logger } from "../log.js";
import { TERMINAL_HELP_TEXT } from "../messages/commands.js";
import { CHECKING, TERMINAL } from "../messages/zh.js";
import type { Store } from "../store/store.js";
import type { Template } from "../template/load.js";
import { looksLikeReport, pathIn } from "./guard.js";
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, MessageReader } from "./input.js";

export interface ChatOptions {
  store: Store;
  template: Template;
  logger: Logger;
  /** Lines to send; see ./input.ts for how lines become messages. */
  input: Readable;
  write: (text: string) => void;
  /** Script mode echoes each message before the replies; interactive mode shows a prompt. */
  echo: boolean;
  prompt?: string;
  /** Ask the terminal to mark pastes, so a pasted text is one message (interactive only). */
  bracketedPaste?: boolean;
  user?: { id: number; first_name: string };
  /** Where documents the bot sends (Word, Markdown) are saved; ./exports by default. */
  exportDir?: string;
  llm?: LlmClient;
  now?: () => Date;
}

interface Shown {
  text: string;
  buttons: { label: string; data: string }[];
  document?: InputFile;
}

/** Choices the terminal itself offers (the "looks like a path or a report" question). */
const LOCAL = { check: "local:check", save: "local:save", drop: "local:drop" } as const;

/** The terminal chat: the same grammY bot, fed by a local transport instead of Telegram. */
export async function runChat(options: ChatOptions): Promise<void> {
  const api = new LocalApi(LOCAL_BOT_INFO, { record: false });
  const now = options.now ?? (() => new Date());
  const bot = createBot({
    token: "0:local",
    botInfo: LOCAL_BOT_INFO,
    transport: api.transformer,
    store: options.store,
    template: options.template,
    logger: options.logger,
    rateLimit: false,
    now,
    ...(options.llm ? { llm: options.llm } : {}),
  });
  const user = options.user ?? { id: 10_001, first_name: TERMINAL.localUser };
  const session = new Session(options, new LocalChat(bot, api, user));
  api.onCall((call) => session.shown(call));

  const deps = { store: options.store, template: options.template, now };
  const standing = await standingOf(deps, { id: user.id, name: user.first_name });
  options.write(standing ? TERMINAL.greeting(standing) : TERMINAL.greetingNew);
  if (options.bracketedPaste) options.write(BRACKETED_PASTE_ON);
  try {
    const reader = new MessageReader();
    if (options.prompt) options.write(options.prompt);
    for await (const line of createInterface({ input: options.input, terminal: false })) {
      const message = reader.push(line);
      if (message !== undefined) await session.turn(message);
      if (options.prompt) options.write(reader.open ? TERMINAL.more : options.prompt);
    }
    const last = reader.end();
    if (last !== undefined) await session.turn(last);
  } finally {
    if (options.bracketedPaste) options.write(BRACKETED_PASTE_OFF);
  }
}

/** One person's conversation: what was shown last, and what the next message answers. */
class Session {
  #batch: Shown[] = [];
  #choices: Shown["buttons"] = [];
  /** The message the terminal asked about before saving it as an answer. */
  #held: { text: string; path?: string } | undefined;
  /** The bot asked for a report to check: the next message is one (or its path). */
  #checkNext = false;

  constructor(
    readonly options: ChatOptions,
    readonly chat: LocalChat,
  ) {}

  shown(call: ApiCall): void {
    const shown = shownOf(call);
    if (!shown) return;
    // The bot's /check prompt speaks of sending files and replying; here a path is typed.
    if (shown.text.startsWith(CHECKING.prompt)) {
      shown.text = TERMINAL.checkPrompt;
      this.#checkNext = true;
    }
    this.#batch.push(shown);
  }

  async turn(message: string): Promise<void> {
    const { options } = this;
    if (options.echo) options.write(`\n> ${message.replaceAll("\n", "\n> ")}\n`);
    const pressed = buttonFor(message, this.#choices, this.#batch);
    const checkNext = this.#checkNext;
    this.#batch = [];
    this.#checkNext = false;
    if (pressed?.startsWith("local:")) await this.#local(pressed);
    else if (pressed) await this.chat.press(pressed);
    else await this.#message(message, checkNext);
    await saveDocuments(this.#batch, options.exportDir ?? join(process.cwd(), "exports"));
    this.#choices = this.#batch.flatMap((m) => m.buttons);
    options.write(render(this.#batch));
  }

  async #message(text: string, checkNext: boolean): Promise<void> {
    this.#held = undefined;
    const command = /^\/(\w+)(?:\s+([\s\S]*))?$/.exec(text);
    if (command?.[1] === "help") return this.#say(TERMINAL_HELP_TEXT);
    const checked = command?.[1] === "check" ? pathIn(command[2] ?? "") : undefined;
    if (checked) return this.#check(checked);
    if (command) return this.chat.send(text);
    const path = pathIn(text);
    if (checkNext) return path ? this.#check(path) : this.chat.send(text, promptReply());
    if (path || looksLikeReport(text)) return this.#hold(text, path);
    await this.chat.send(text);
  }

  /** Asks before saving a path or a whole report as an answer. */
  #hold(text: string, path: string | undefined): void {
    this.#held = { text, ...(path ? { path } : {}) };
    const kind = path ? "path" : "report";
    this.#batch.push({
      text: TERMINAL.guard(kind),
      buttons: [
        { label: TERMINAL.guardCheck(kind), data: LOCAL.check },
        { label: TERMINAL.guardSave, data: LOCAL.save },
        { label: TERMINAL.guardDrop, data: LOCAL.drop },
      ],
    });
  }

  async #local(choice: string): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    if (!held || choice === LOCAL.drop) return this.#say(TERMINAL.dropped);
    // Saved as typed: a path's leading "/" is no command here.
    if (choice === LOCAL.save) return this.chat.send(held.text, { entities: [] });
    if (held.path) return this.#check(held.path);
    await this.chat.send(held.text, promptReply());
  }

  /** `/check 路径`: the file is read here, as the check CLI reads it. */
  async #check(path: string): Promise<void> {
    try {
      this.#say(await checkReportFile(this.options.template.checker, path));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.#say(CHECKING.inputError(error.messageZh));
    }
  }

  #say(text: string): void {
    this.#batch.push({ text, buttons: [] });
  }
}

/** A message sent as the reply to the bot's /check prompt, which the bot checks as a report. */
function promptReply(): Partial<Message> {
  const prompt = {
    message_id: 0,
    date: 0,
    chat: { id: 0, type: "private", first_name: "" },
    from: LOCAL_BOT_INFO,
    text: CHECKING.prompt,
  };
  return { reply_to_message: prompt } as unknown as Partial<Message>;
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

/** A document the bot sends is written to a file in `dir` (created), and its path shown. */
async function saveDocuments(batch: Shown[], dir: string): Promise<void> {
  for (const shown of batch) {
    if (!shown.document) continue;
    const raw = await shown.document.toRaw();
    if (!(raw instanceof Uint8Array)) continue;
    await mkdir(dir, { recursive: true });
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
