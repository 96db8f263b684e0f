import { autoRetry } from "@grammyjs/auto-retry";
import { run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import { takeOrphans } from "../app/draft-jobs.js";
import type { Config } from "../config.js";
import { loadImportContext } from "../import/context.js";
import type { LlmClient } from "../llm/client.js";
import { errorData, type Logger } from "../log.js";
import { telegramAgent } from "../net/proxy.js";
import { STARTUP_RETRY, type StartupRetry, withStartupRetries } from "../net/startup.js";
import type { Store } from "../store/store.js";
import { remindDue } from "../team/reminders.js";
import { DEFAULT_TEMPLATE_DIR, type Template } from "../template/load.js";
import { redact } from "../text/redact.js";
import { createBot } from "./bot.js";
import { COMMANDS } from "./commands.js";
import type { BotContext } from "./context.js";
import { reportInterrupted } from "./features/drafting.js";
import { InFlight } from "./in-flight.js";
import { closeServer, serveWebhook, webhookSecret } from "./webhook.js";

export interface RunOptions {
  config: Config;
  token: string;
  store: Store;
  template: Template;
  logger: Logger;
  llm?: LlmClient;
}

const TELEGRAM_API = "https://api.telegram.org";
/** grammY types its signals with the abort-controller shim; Node's own is the same at run time. */
type GrammySignal = Parameters<Bot<BotContext>["api"]["getMe"]>[0];

/** Shutdown waits this long at most for updates still being handled. */
const DRAIN_MS = 60_000;

/**
 * Long polling with grammY's runner (the default), or webhooks when WEBHOOK_URL is set, until
 * SIGINT/SIGTERM; updates being handled finish before the store is closed.
 */
export async function runBot(options: RunOptions): Promise<void> {
  const { config, logger, store } = options;
  const inFlight = new InFlight();
  const apiRoot = config.TELEGRAM_API_ROOT ?? TELEGRAM_API;
  const agent = telegramAgent(apiRoot);
  const bot = createBot({
    token: options.token,
    ...(agent ? { agent } : {}),
    store,
    template: options.template,
    logger,
    inFlight,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    ...(config.ALLOWED_USER_IDS ? { allowedUserIds: config.ALLOWED_USER_IDS } : {}),
    ...(options.llm ? { llm: options.llm } : {}),
    imports: loadImportContext(config.PROMPTS_DIR ?? DEFAULT_TEMPLATE_DIR, options.template),
  });
  const retry = { ...STARTUP_RETRY, deadlineMs: config.TELEGRAM_STARTUP_TIMEOUT_MS };
  let receiving: Receiving;
  try {
    await prepare(bot, logger, retry);
    receiving = config.WEBHOOK_URL
      ? await receiveByWebhook(bot, options, config.WEBHOOK_URL)
      : receiveByPolling(bot);
  } catch (error) {
    // A start-up that fails leaves nothing open, so the process exits with its message.
    await store.close();
    throw error;
  }
  void reportInterruptedDrafts(bot, options);
  const reminders = config.REMINDERS ? startReminders(bot, options) : undefined;
  logger.info("bot started", {
    username: bot.botInfo.username,
    mode: config.WEBHOOK_URL ? "webhook" : "polling",
    store: redact(config.STORE_URL),
  });
  const signal = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  try {
    // Polling that fails for good (a revoked token) ends the process, after the same cleanup.
    await Promise.race([signal, receiving.failed]);
  } finally {
    logger.info("stopping", { inFlight: inFlight.count });
    clearInterval(reminders);
    await receiving.stop();
    await inFlight.idle(DRAIN_MS);
    await store.close();
    logger.info("stopped");
  }
}

interface Receiving {
  stop: () => Promise<void>;
  /** Rejects when receiving updates fails for good; never resolves otherwise. */
  failed: Promise<never>;
}

function receiveByPolling(bot: Bot<BotContext>): Receiving {
  const runner = run(bot);
  const failed = new Promise<never>((_, reject) => {
    runner
      .task()
      ?.catch((error: unknown) => reject(new Error("polling stopped", { cause: error })));
  });
  return {
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
    failed,
  };
}

async function receiveByWebhook(
  bot: Bot<BotContext>,
  options: RunOptions,
  url: string,
): Promise<Receiving> {
  const { config, logger } = options;
  const secretToken = webhookSecret(options.token, config.WEBHOOK_SECRET);
  const server = await serveWebhook(bot, {
    url,
    port: config.PORT,
    host: config.HOST,
    secretToken,
    logger,
  });
  // Every instance sets the same URL and secret, so starting another one changes nothing.
  await withStartupRetries({
    method: "setWebhook",
    apiRoot: config.TELEGRAM_API_ROOT ?? TELEGRAM_API,
    call: (signal) =>
      bot.api.setWebhook(url, { secret_token: secretToken }, signal as GrammySignal),
    logger,
    retry: { ...STARTUP_RETRY, deadlineMs: config.TELEGRAM_STARTUP_TIMEOUT_MS },
  }).catch(async (error: unknown) => {
    await closeServer(server);
    throw error;
  });
  return { stop: () => closeServer(server), failed: new Promise<never>(() => {}) };
}

/**
 * Drafts whose process died (kill -9, a crash) are reported to their users at start-up: the
 * progress message is unfrozen and the user told to resend /draft (issue 14.6). Jobs of other
 * live instances are left alone; a user's next message catches any found later.
 */
async function reportInterruptedDrafts(bot: Bot<BotContext>, options: RunOptions): Promise<void> {
  try {
    for (const job of await takeOrphans(options.store, new Date())) {
      options.logger.warn("draft interrupted", { org: job.orgId, started: job.startedAt });
      await reportInterrupted(bot.api, job).catch((error: unknown) =>
        options.logger.error("could not report an interrupted draft", errorData(error)),
      );
    }
  } catch (error) {
    options.logger.error("could not look for interrupted drafts", errorData(error));
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
export async function prepare(
  bot: Bot<BotContext>,
  logger: Logger,
  retry: StartupRetry = STARTUP_RETRY,
): Promise<void> {
  // The first call is retried a bounded time, with a log line per attempt (net/startup.ts);
  // auto-retry, installed after it, would retry a network error silently and forever.
  const apiRoot = bot.api.options?.apiRoot ?? TELEGRAM_API;
  await withStartupRetries({
    method: "getMe",
    apiRoot,
    // Not bot.init(): it retries network errors by itself, forever.
    call: async (signal) => {
      if (!bot.isInited()) bot.botInfo = await bot.api.getMe(signal as GrammySignal);
    },
    logger,
    retry,
  });
  // On 5xx, three retries 3, 6 and 12 s apart (auto-retry gives up about 45 s after the first
  // try); a 429 waits its retry_after, up to a minute.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  try {
    await bot.api.setMyCommands(
      COMMANDS.map(({ command, description }) => ({ command, description })),
    );
  } catch (error) {
    // The menu is a convenience: a Bot API server without it must not stop the bot.
    logger.warn("could not set the command menu", errorData(error));
  }
}
