import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bot } from "grammy";
import { type BotOptions, createBot } from "../../src/bot/bot.js";
import type { BotContext } from "../../src/bot/context.js";
import { type ApiCall, LOCAL_BOT_INFO, LocalApi, LocalChat } from "../../src/bot/local-api.js";
import { type ImportContext, loadImportContext } from "../../src/import/context.js";
import { createLogger } from "../../src/log.js";
import type { Store } from "../../src/store/store.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate, type Template } from "../../src/template/load.js";

export const template: Template = loadTemplate();
/** Reading last year's report and materials, as the running bot has it (bot/run.ts). */
export const imports: ImportContext = loadImportContext(DEFAULT_TEMPLATE_DIR, template);

/** A fixed clock: 10 January 2026, Beijing morning, so the default report year is 2025. */
export const NOW = new Date("2026-01-10T02:00:00Z");

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "fazhi-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real grammY bot on a store, with every API call captured instead of sent. */
export class Harness {
  readonly bot: Bot<BotContext>;
  readonly api: LocalApi;
  readonly errors: string[] = [];

  constructor(
    readonly store: Store,
    options: Partial<BotOptions> = {},
  ) {
    this.api = new LocalApi(LOCAL_BOT_INFO);
    this.bot = createBot({
      token: "0:test",
      botInfo: LOCAL_BOT_INFO,
      transport: this.api.transformer,
      store,
      template,
      logger: createLogger("error", (line) => this.errors.push(line)),
      rateLimit: false,
      now: () => NOW,
      imports,
      ...options,
    });
  }

  chat(id: number, name = `用户${id}`): LocalChat {
    return new LocalChat(this.bot, this.api, { id, first_name: name });
  }

  /** Calls made since `mark` (an index into the captured calls). */
  since(mark: number): ApiCall[] {
    return this.api.calls.slice(mark);
  }

  /** Texts of the messages sent to `chatId` since `mark`. */
  texts(mark: number, chatId?: number): string[] {
    return this.since(mark)
      .filter((c) => c.method === "sendMessage")
      .filter((c) => chatId === undefined || c.payload.chat_id === chatId)
      .map((c) => String(c.payload.text));
  }

  /** Runs `action` and returns the texts it caused. */
  async run(action: () => Promise<void>, chatId?: number): Promise<string[]> {
    const mark = this.api.calls.length;
    await action();
    return this.texts(mark, chatId);
  }

  /** Callback data of the buttons on the last message sent since `mark`. */
  buttons(mark = 0): { label: string; data: string }[] {
    const last = this.since(mark)
      .filter((c) => c.method === "sendMessage")
      .at(-1);
    const markup = last?.payload.reply_markup as
      | { inline_keyboard: { text: string; callback_data: string }[][] }
      | undefined;
    return (markup?.inline_keyboard ?? [])
      .flat()
      .map((b) => ({ label: b.text, data: b.callback_data }));
  }
}

/** Registers an org through the chat, as a user would. */
export async function register(
  chat: LocalChat,
  name = "洪梅镇",
  superior = "东莞市",
): Promise<void> {
  await chat.send("/start");
  await chat.send(name);
  await chat.press(`kind:${name.endsWith("街道") ? "街道" : name.at(-1)}`);
  await chat.send(superior);
  await chat.press("year:2025");
}
