import { mkdir, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { InputFile } from "grammy";
import type { InlineKeyboardButton, Message } from "grammy/types";
import { checkReportFile, plansOfMember } from "../app/checking.js";
import { standingOf } from "../app/interview.js";
import { createBot } from "../bot/bot.js";
import { kindFromCaption } from "../bot/features/importing.js";
import { type ApiCall, LOCAL_BOT_INFO, LocalApi, LocalChat } from "../bot/local-api.js";
import { InputError, missingOrUnreadable } from "../check/read-input.js";
import type { ImportContext } from "../import/context.js";
import { BUTTONS } from "../interview/callbacks.js";
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
  /** Reading last year's report and materials (`/import 路径`); without it /import is refused. */
  imports?: ImportContext;
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
    ...(options.imports ? { imports: options.imports } : {}),
  });
  const user = options.user ?? { id: 10_001, first_name: TERMINAL.localUser };
  const session = new Session(options, new LocalChat(bot, api, user), api, user.id);
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
  /** `/import` sent a file: its choice leaves out 检查这份报告 (the command said import). */
  #importing = false;
  #files = 0;

  constructor(
    readonly options: ChatOptions,
    readonly chat: LocalChat,
    readonly api: LocalApi,
    readonly userId: number,
  ) {}

  shown(call: ApiCall): void {
    const shown = shownOf(call);
    if (!shown) return;
    // The bot's /check prompt speaks of sending files and replying; here a path is typed.
    if (shown.text.startsWith(CHECKING.prompt)) {
      shown.text = TERMINAL.checkPrompt;
      this.#checkNext = true;
    }
    if (this.#importing) {
      shown.buttons = shown.buttons.filter((b) => BUTTONS.upload.unpack(b.data)?.[1] !== "check");
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
    try {
      if (pressed?.startsWith("local:")) await this.#local(pressed);
      else if (pressed) await this.chat.press(pressed);
      else await this.#message(message, checkNext);
    } finally {
      this.#importing = false;
    }
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
    if (command?.[1] === "import") return this.#import(command[2] ?? "");
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

  /**
   * `/import 路径 [去年|材料]`: the file goes to the bot as an upload, so the chat's own choice
   * follows (这是去年的年度报告 / 这是今年的工作材料), unless a word after the path says which.
   * Someone not yet registered can only mean last year's report: it offers the office it names.
   */
  async #import(arg: string): Promise<void> {
    const words = arg.trim().split(/\s+/u);
    const said = words.length > 1 ? kindFromCaption(words.at(-1)) : undefined;
    const path = pathIn(said ? words.slice(0, -1).join(" ") : arg);
    if (!path || !this.options.imports) return this.#say(TERMINAL.importUsage);
    const full = resolve(path.replace(/^~(?=\/)/, homedir()));
    const name = basename(full);
    let size: number;
    try {
      size = (await stat(full)).size;
    } catch (cause) {
      return this.#say(CHECKING.inputError(missingOrUnreadable(name, cause).messageZh));
    }
    const member = await this.options.store.getMember(this.userId);
    const caption = said ? words.at(-1) : member ? undefined : TERMINAL.lastYearCaption;
    const fileId = `local-${++this.#files}`;
    this.api.addFile(fileId, full, size);
    this.#importing = true;
    await this.chat.sendMessage({
      document: { file_id: fileId, file_unique_id: fileId, file_name: name, file_size: size },
      ...(caption ? { caption } : {}),
    });
  }

  /** `/check 路径`: the file is read here, as the check CLI reads it. */
  async #check(path: string): Promise<void> {
    const { options } = this;
    const plans = {
      store: options.store,
      ...(options.imports ? { imports: options.imports } : {}),
    };
    try {
      this.#say(
        await checkReportFile(options.template.checker, path, (text) =>
          plansOfMember(plans, this.userId, text),
        ),
      );
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
