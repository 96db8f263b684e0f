import { GrammyError, HttpError } from "grammy";
import type { Logger } from "../log.js";
import { STARTUP } from "../messages/zh.js";
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
        const text = STARTUP.refused(url, error.error_code, error.description);
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
        const text = STARTUP.unreachable(url, attempt, Math.round(elapsed / 1000));
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
