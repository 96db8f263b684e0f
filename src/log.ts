import { type DestinationStream, type Logger as PinoLogger, pino } from "pino";
import { redact } from "./text/redact.js";

/**
 * Logging through pino: one JSON line per event on stderr ({"level":"info","time":"…","msg":…}),
 * for journald or a container. Whatever a message or an error carries, credentials never
 * reach the log (text/redact.ts). Call sites keep a small interface (message first, then fields),
 * so the library stays an implementation detail.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, data?: LogFields): void;
  info(msg: string, data?: LogFields): void;
  warn(msg: string, data?: LogFields): void;
  error(msg: string, data?: LogFields): void;
  /** A logger that adds `bindings` to every line (e.g. `{ update: 123 }` per Telegram update). */
  child(bindings: LogFields): Logger;
}

/** `write` receives each line (with its newline); default: stderr, written synchronously. */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const out = write ?? stderrLine();
  const destination: DestinationStream = { write: (line) => out(redact(line)) };
  return wrap(
    pino(
      {
        level,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    ),
  );
}

function stderrLine(): (line: string) => void {
  const stderr = pino.destination({ dest: 2, sync: true });
  return (line) => void stderr.write(line);
}

function wrap(log: PinoLogger): Logger {
  return {
    debug: (msg, data) => log.debug(data ?? {}, msg),
    info: (msg, data) => log.info(data ?? {}, msg),
    warn: (msg, data) => log.warn(data ?? {}, msg),
    error: (msg, data) => log.error(data ?? {}, msg),
    child: (bindings) => wrap(log.child(bindings)),
  };
}

export function errorData(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return { error: error.message, name: error.name, ...(cause ? { cause } : {}) };
}
