import { redact } from "./text/redact.js";

/** A one-line JSON logger on stderr; enough for a bot whose logs go to journald or a container. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (name: LogLevel) =>
    (msg: string, data?: Record<string, unknown>): void => {
      if (LOG_LEVELS.indexOf(name) < threshold) return;
      // Whatever a message or an error carries, credentials never reach the log (redact.ts).
      const line = JSON.stringify({ time: new Date().toISOString(), level: name, msg, ...data });
      write(`${redact(line)}\n`);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export function errorData(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return { error: error.message, name: error.name, ...(cause ? { cause } : {}) };
}
