import { GrammyError, HttpError } from "grammy";
import type { Logger } from "../log.js";
import { redact } from "../text/redact.js";
import { StartupError } from "./errors.js";

/**
 * The bot's first Bot API call (getMe, setWebhook), retried a bounded time with a log line per
 * failed attempt, then given up with advice. Without this, grammY and auto-retry retry network
 * errors silently and forever: a host that cannot reach api.telegram.org printed nothing at all.
 */

export interface StartupRetry {
  /** Give up when the next attempt would start after this long. */
  deadlineMs: number;
  /** First pause between attempts; it doubles up to maxDelayMs. */
  delayMs: number;
  maxDelayMs: number;
  /** One attempt is abandoned after this long (a blocked host drops packets: no error comes). */
  attemptMs: number;
}

export const STARTUP_RETRY: StartupRetry = {
  deadlineMs: 60_000,
  delayMs: 1_000,
  maxDelayMs: 10_000,
  attemptMs: 15_000,
};

/** The start-up failed for good; zh and en are for the operator. */

const TEXT = {
  unreachable: (url: string, attempts: number, seconds: number) => ({
    zh: `无法连接 Telegram Bot API（${url}），${seconds} 秒内尝试 ${attempts} 次均失败。中国大陆的服务器通常无法直接访问 api.telegram.org：请设置 HTTPS_PROXY（或 TELEGRAM_PROXY，支持 http:// 与 socks5://）为可用的代理，或将 TELEGRAM_API_ROOT 指向可以访问的 Bot API 服务器。可先运行 fazhi-report doctor 检查。`,
    en: `cannot reach the Telegram Bot API (${url}): ${attempts} attempt(s) in ${seconds} s failed. Hosts in mainland China usually cannot reach api.telegram.org directly: set HTTPS_PROXY (or TELEGRAM_PROXY; http:// and socks5:// work) to a working proxy, or point TELEGRAM_API_ROOT at a reachable Bot API server. Run fazhi-report doctor to check.`,
  }),
  refused: (url: string, status: number, description: string) => ({
    zh: `Telegram Bot API（${url}）拒绝了请求（${status} ${description}）：请检查 TELEGRAM_BOT_TOKEN 是否正确、机器人是否已被删除，以及 TELEGRAM_API_ROOT 是否指向 Bot API 服务器。`,
    en: `the Telegram Bot API (${url}) refused the request (${status} ${description}): check TELEGRAM_BOT_TOKEN, that the bot still exists, and that TELEGRAM_API_ROOT points at a Bot API server.`,
  }),
};

export interface StartupCall<T> {
  /** What is called, e.g. "getMe". */
  method: string;
  /** The Bot API root; shown redacted, never with the token. */
  apiRoot: string;
  call: (signal: AbortSignal) => Promise<T>;
  logger: Logger;
  retry?: StartupRetry;
  /** Injected by tests (fake timers). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function withStartupRetries<T>(o: StartupCall<T>): Promise<T> {
  const retry = o.retry ?? STARTUP_RETRY;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const url = redact(`${o.apiRoot.replace(/\/+$/, "")}/bot<token>/${o.method}`);
  const started = now();
  let delay = retry.delayMs;
  for (let attempt = 1; ; attempt++) {
    const remaining = Math.max(1, retry.deadlineMs - (now() - started));
    const signal = AbortSignal.timeout(Math.min(retry.attemptMs, remaining));
    try {
      return await o.call(signal);
    } catch (error) {
      if (!signal.aborted && !transient(error)) {
        if (!(error instanceof GrammyError)) throw error;
        const text = TEXT.refused(url, error.error_code, error.description);
        throw new StartupError(text.zh, text.en, { cause: error });
      }
      const elapsed = now() - started;
      const giveUp = elapsed + delay > retry.deadlineMs;
      o.logger.warn("Bot API not reachable", {
        url,
        attempt,
        error: (error as Error).message,
        ...(giveUp ? {} : { retryInMs: delay }),
      });
      if (giveUp) {
        const text = TEXT.unreachable(url, attempt, Math.round(elapsed / 1000));
        throw new StartupError(text.zh, text.en, { cause: error });
      }
      await sleep(delay);
      delay = Math.min(delay * 2, retry.maxDelayMs);
    }
  }
}

/** Network errors, 5xx and 429 may pass; a 401 (bad token) or 404 (wrong root) will not. */
function transient(error: unknown): boolean {
  if (error instanceof HttpError) return true;
  if (error instanceof GrammyError) return error.error_code >= 500 || error.error_code === 429;
  return false;
}
