import { autoRetry } from "@grammyjs/auto-retry";
import { run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { Config } from "../config.js";
import type { LlmClient } from "../llm/client.js";
import { errorData, type Logger } from "../log.js";
import type { Store } from "../store/store.js";
import { remindDue } from "../team/reminders.js";
import type { Template } from "../template/load.js";
import { createBot } from "./bot.js";
import { COMMANDS } from "./commands.js";
import type { BotContext } from "./context.js";

export interface RunOptions {
  config: Config;
  token: string;
  store: Store;
  template: Template;
  logger: Logger;
  llm?: LlmClient;
}

/** Long polling with grammY's runner until SIGINT/SIGTERM; in-flight updates finish first. */
export async function runBot(options: RunOptions): Promise<void> {
  const { config, logger, store } = options;
  const bot = createBot({
    token: options.token,
    store,
    template: options.template,
    logger,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    ...(config.ALLOWED_USER_IDS ? { allowedUserIds: config.ALLOWED_USER_IDS } : {}),
    ...(options.llm ? { llm: options.llm } : {}),
  });
  await prepare(bot);
  const runner = run(bot);
  const reminders = startReminders(bot, options);
  logger.info("bot started", { username: bot.botInfo.username, store: redact(config.STORE_URL) });
  const stop = () => {
    logger.info("stopping");
    clearInterval(reminders);
    if (runner.isRunning()) void runner.stop();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await runner.task();
  } catch (error) {
    logger.error("polling stopped", errorData(error));
    throw error;
  } finally {
    await store.close();
  }
}

/** Reminders are checked every few minutes; a slot is due at 09:30, so it goes out by 09:40. */
const REMINDER_CHECK_MS = 10 * 60_000;

function startReminders(bot: Bot<BotContext>, options: RunOptions): NodeJS.Timeout {
  const deps = {
    store: options.store,
    template: options.template,
    logger: options.logger,
    send: async (userId: number, text: string) => void (await bot.api.sendMessage(userId, text)),
  };
  const round = () =>
    void remindDue(deps, new Date()).catch((error) =>
      options.logger.error("reminder round failed", errorData(error)),
    );
  round();
  return setInterval(round, REMINDER_CHECK_MS);
}

/** Retries on 429 (retry_after) and 5xx, then fetches the bot's identity and sets the command menu. */
export async function prepare(bot: Bot<BotContext>): Promise<void> {
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
  await bot.init();
  await bot.api.setMyCommands(
    COMMANDS.map(({ command, description }) => ({ command, description })),
  );
}

/** Hides a password in a store URL before it is logged. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
