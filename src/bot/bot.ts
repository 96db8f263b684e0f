import { hydrateFiles } from "@grammyjs/files";
import { limit } from "@grammyjs/ratelimiter";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type Context, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { questionQuotedIn } from "../interview/progress.js";
import type { Outcome } from "../interview/types.js";
import { TEXT } from "../interview/views.js";
import type { LlmClient } from "../llm/client.js";
import { errorData, type Logger } from "../log.js";
import type { Store } from "../store/store.js";
import { StoreError, UnconfirmedWriteError } from "../store/store.js";
import type { Template } from "../template/load.js";
import { installChecking } from "./checking.js";
import { INTERVIEW_COMMANDS, isKnownCommand } from "./commands.js";
import type { BotContext } from "./context.js";
import { installDrafting } from "./drafting.js";
import { installExport } from "./exporting.js";
import { groupGuard, leadingCommand } from "./groups.js";
import type { InFlight } from "./in-flight.js";
import { keyboardOf, splitText } from "./render.js";
import {
  InviteTakenError,
  runInterview,
  type SessionDeps,
  type SessionInput,
  type User,
} from "./session.js";
import { installTeam } from "./team.js";

export interface BotOptions {
  token: string;
  store: Store;
  template: Template;
  logger: Logger;
  /** Another Bot API server (TELEGRAM_API_ROOT), e.g. a local emulator. */
  apiRoot?: string;
  /** Preset bot info: no getMe call at start-up (tests, terminal chat). */
  botInfo?: UserFromGetMe;
  now?: () => Date;
  /** Per-user flood limit; false turns it off (terminal chat, where one person types). */
  rateLimit?: { timeFrame: number; limit: number } | false;
  /** The LLM for /draft; without it the offline composer drafts. */
  llm?: LlmClient;
  /** Replaces HTTP calls to Telegram (terminal chat, tests): installed as the innermost transformer. */
  transport?: Transformer;
  /** Counts updates being handled, for a graceful shutdown. */
  inFlight?: InFlight;
  /** ALLOWED_USER_IDS: when set, everyone else is refused. */
  allowedUserIds?: ReadonlySet<number>;
}

export const DEFAULT_RATE_LIMIT = { timeFrame: 10_000, limit: 30 };

/** The Telegram adapter: turns updates into interview inputs and outcomes into messages. */
export function createBot(options: BotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    ...(options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {}),
  });
  if (options.transport) bot.api.config.use(options.transport);
  bot.api.config.use(hydrateFiles(bot.token, options.apiRoot ? { apiRoot: options.apiRoot } : {}));
  const deps: SessionDeps = {
    store: options.store,
    template: options.template,
    now: options.now ?? (() => new Date()),
  };
  const { logger } = options;

  if (options.inFlight) bot.use(options.inFlight.middleware);
  // One update at a time per chat and user, so a user's messages are handled in order.
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

  bot.use(groupGuard);

  const handle = async (ctx: Context, input: SessionInput): Promise<void> => {
    const user = userOf(ctx);
    if (!user) return;
    let outcome: Outcome;
    try {
      outcome = await runInterview(deps, user, input);
    } catch (error) {
      logger.error("update failed", { update: ctx.update.update_id, ...errorData(error) });
      await ctx.reply(failureText(error));
      return;
    }
    await deliver(ctx, outcome);
  };

  installDrafting(bot, {
    store: options.store,
    template: options.template,
    drafter: {
      template: options.template,
      logger,
      now: deps.now,
      ...(options.llm ? { llm: options.llm } : {}),
    },
  });

  installTeam(bot, { store: options.store, template: options.template, logger, now: deps.now });
  installChecking(bot, logger);
  installExport(bot, options.store, logger);

  for (const command of INTERVIEW_COMMANDS) {
    bot.command(command, async (ctx) => {
      const arg = ctx.match.trim();
      if ((command === "start" || command === "join") && arg !== "") {
        await handle(ctx, { kind: "join", code: arg.toUpperCase() });
      } else if (command === "join") {
        await ctx.reply(TEXT.joinUsage);
      } else {
        await handle(ctx, { kind: "command", name: command, arg });
      }
    });
  }

  bot.on("message:text", async (ctx) => {
    const command = leadingCommand(ctx);
    if (command !== undefined && !isKnownCommand(command)) {
      await ctx.reply(TEXT.unknownCommand(command));
      return;
    }
    const replied = ctx.message.reply_to_message;
    const quoted =
      replied?.from?.id === ctx.me.id && replied.text
        ? questionQuotedIn(options.template, replied.text)
        : undefined;
    await handle(ctx, {
      kind: "text",
      text: ctx.message.text,
      ...(quoted ? { replyTo: quoted.id } : {}),
    });
  });

  bot.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery();
    await handle(ctx, { kind: "button", data: ctx.callbackQuery.data });
  });
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());

  bot.on("edited_message", (ctx) => ctx.reply(TEXT.editedMessage));
  bot.on("message", (ctx) => ctx.reply(TEXT.notText));

  bot.catch((err) => {
    logger.error("unhandled bot error", {
      update: err.ctx.update.update_id,
      ...errorData(err.error),
    });
  });
  return bot;
}

function failureText(error: unknown): string {
  if (error instanceof InviteTakenError) return TEXT.joinRefused(error.code, "used");
  // A write whose outcome the store could not find out is never reported as not saved.
  if (error instanceof UnconfirmedWriteError) return TEXT.storeUnsure;
  return error instanceof StoreError ? TEXT.storeDown : TEXT.internal;
}

async function deliver(ctx: Context, outcome: Outcome): Promise<void> {
  for (const reply of outcome.replies) {
    const parts = splitText(reply.text);
    const keyboard = keyboardOf(reply);
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      await ctx.reply(part, last && keyboard ? { reply_markup: keyboard } : {});
    }
  }
}

function userOf(ctx: Context): User | undefined {
  const from = ctx.from;
  if (!from || from.is_bot) return undefined;
  const name = [from.first_name, from.last_name].filter(Boolean).join(" ");
  return { id: from.id, name };
}

function allowlist(allowed: ReadonlySet<number>) {
  return async (ctx: Context, next: () => Promise<void>): Promise<void> => {
    if (ctx.from && allowed.has(ctx.from.id)) return next();
    if (ctx.message) await ctx.reply(TEXT.notAllowed);
  };
}
