import type { Agent } from "node:http";
import { hydrateFiles } from "@grammyjs/files";
import { limit } from "@grammyjs/ratelimiter";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type Context, type NextFunction, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { AppDeps } from "../app/deps.js";
import type { ImportDeps } from "../app/import.js";
import type { ImportContext } from "../import/context.js";
import type { LlmClient } from "../llm/client.js";
import { errorData, type Logger } from "../log.js";
import { TEXT } from "../messages/zh.js";
import type { Store } from "../store/store.js";
import type { Template } from "../template/load.js";
import { type BotContext, updateLogger } from "./context.js";
import { replyToError } from "./errors.js";
import { checkingFeature } from "./features/checking.js";
import { draftingFeature } from "./features/drafting.js";
import { exportFeature } from "./features/export.js";
import { groupsFeature } from "./features/groups.js";
import { importingFeature } from "./features/importing.js";
import { interviewFeature } from "./features/interview.js";
import { teamFeature } from "./features/team.js";
import type { InFlight } from "./in-flight.js";

export interface BotOptions {
  token: string;
  store: Store;
  template: Template;
  logger: Logger;
  /** Another Bot API server (TELEGRAM_API_ROOT), e.g. a local emulator. */
  apiRoot?: string;
  /** The proxy for Bot API calls and file downloads (net/proxy.ts). */
  agent?: Agent;
  /** Preset bot info: no getMe call at start-up (tests, terminal chat). */
  botInfo?: UserFromGetMe;
  now?: () => Date;
  /** Per-user flood limit; false turns it off (terminal chat, where one person types). */
  rateLimit?: { timeFrame: number; limit: number } | false;
  /** The LLM for /draft; without it the offline composer drafts. */
  llm?: LlmClient;
  /** Replaces HTTP calls to Telegram (terminal chat, tests): installed as the innermost transformer. */
  transport?: Transformer;
  /** Counts updates being handled, for a graceful shutdown; with it, drafts run in the background. */
  inFlight?: InFlight;
  /** What reading last year's report and materials needs; without it every upload is checked. */
  imports?: ImportContext;
  /** ALLOWED_USER_IDS: when set, everyone else is refused. */
  allowedUserIds?: ReadonlySet<number>;
}

const DEFAULT_RATE_LIMIT = { timeFrame: 10_000, limit: 30 };

/** The Telegram adapter: updates go to the features, which call the use cases in src/app. */
export function createBot(options: BotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      ...(options.agent ? { baseFetchConfig: { agent: options.agent } } : {}),
    },
  });
  if (options.transport) bot.api.config.use(options.transport);
  bot.api.config.use(hydrateFiles(bot.token, options.apiRoot ? { apiRoot: options.apiRoot } : {}));
  const deps = appDeps(options);

  bot.use(updateLogger(options.logger));
  if (options.inFlight) bot.use(options.inFlight.middleware);
  // One update at a time per chat and user, so a user's messages are handled in order; a draft
  // leaves the lane once started (features/drafting.ts), so answers are not held behind it.
  bot.use(sequentialize((ctx) => [ctx.chat?.id, ctx.from?.id].filter(Boolean).map(String)));
  if (options.allowedUserIds) bot.use(allowlist(options.allowedUserIds));
  if (options.rateLimit !== false) {
    bot.use(
      limit({
        ...(options.rateLimit ?? DEFAULT_RATE_LIMIT),
        onLimitExceeded: (ctx) => void ctx.reply(TEXT.tooFast).catch(() => {}),
      }),
    );
  }
  bot.errorBoundary(
    replyToError,
    groupsFeature(),
    draftingFeature(deps, options.inFlight),
    teamFeature(deps),
    ...(options.imports
      ? [
          importingFeature(
            importDeps(options, options.imports),
            options.template,
            options.template.checker,
          ),
        ]
      : []),
    checkingFeature(options.template.checker, deps),
    exportFeature(deps),
    interviewFeature(deps),
  );
  bot.catch((err) =>
    options.logger.error("unhandled bot error", {
      update: err.ctx.update.update_id,
      ...errorData(err.error),
    }),
  );
  return bot;
}

function appDeps(options: BotOptions): AppDeps {
  const now = options.now ?? (() => new Date());
  const { template, logger } = options;
  return {
    store: options.store,
    template,
    now,
    drafter: { template, logger, ...(options.llm ? { llm: options.llm } : {}) },
    ...(options.imports ? { imports: options.imports } : {}),
  };
}

function importDeps(options: BotOptions, imports: ImportContext): ImportDeps {
  return {
    store: options.store,
    imports,
    now: options.now ?? (() => new Date()),
    ...(options.llm ? { llm: options.llm } : {}),
  };
}

function allowlist(allowed: ReadonlySet<number>) {
  return async (ctx: Context, next: NextFunction): Promise<void> => {
    if (ctx.from && allowed.has(ctx.from.id)) return next();
    if (ctx.message) await ctx.reply(TEXT.notAllowed);
  };
}
