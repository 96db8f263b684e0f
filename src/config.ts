import { z } from "zod";
import { LOG_LEVELS } from "./log.js";

/** Defaults of LLM_IDLE_MS and LLM_DRAFT_DEADLINE_MS. */
export const LLM_DEFAULTS = { idleMs: 60_000, draftDeadlineMs: 300_000 } as const;

/**
 * The store when STORE_URL is unset. Defined here rather than in store/, so that reading the
 * configuration loads no store driver.
 */
export const DEFAULT_STORE_URL = "sqlite://./data/fazhi-report.sqlite";

/** Empty variables (as in a copied .env.example) count as unset. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** A proxy the LLM client can use: http(s) through a CONNECT tunnel, or SOCKS5. */
const proxyUrl = z.url({
  protocol: /^(?:https?|socks5?)$/,
  error: "expected http://, https://, socks5:// or socks:// followed by host:port",
});

const envSchema = z.object({
  TELEGRAM_BOT_TOKEN: optional(
    z.string().regex(/^\d+:[\w-]+$/, "expected the form 123456:ABC-DEF…"),
  ),
  TELEGRAM_API_ROOT: optional(z.url()),
  // How long the first Bot API call is retried before the bot exits (net/startup.ts).
  TELEGRAM_STARTUP_TIMEOUT_MS: optional(z.coerce.number().int().min(0)).transform(
    (v) => v ?? 60_000,
  ),
  STORE_URL: optional(z.string()).transform((v) => v ?? DEFAULT_STORE_URL),
  STORE_NAMESPACE: optional(z.string().regex(/^[\w-]{1,40}$/, "1–40 of A–Z a–z 0–9 _ -")),
  OPENAI_API_KEY: optional(z.string()),
  OPENAI_BASE_URL: optional(z.url()),
  LLM_MODEL: optional(z.string()),
  LLM_TIMEOUT_MS: optional(z.coerce.number().int().min(1000)).transform((v) => v ?? 120_000),
  // Silence allowed between two chunks of a streamed answer.
  LLM_IDLE_MS: optional(z.coerce.number().int().min(100)).transform(
    (v) => v ?? LLM_DEFAULTS.idleMs,
  ),
  // Absent: each section's length target decides (src/draft/limits.ts).
  LLM_MAX_TOKENS: optional(z.coerce.number().int().min(16)),
  // A whole /draft ends by then: sections still unfinished are composed offline.
  LLM_DRAFT_DEADLINE_MS: optional(z.coerce.number().int().min(1000)).transform(
    (v) => v ?? LLM_DEFAULTS.draftDeadlineMs,
  ),
  // Proxy for the LLM endpoint only; else HTTPS_PROXY / ALL_PROXY (either case) apply.
  LLM_PROXY: optional(proxyUrl),
  HTTPS_PROXY: optional(proxyUrl),
  https_proxy: optional(proxyUrl),
  ALL_PROXY: optional(proxyUrl),
  all_proxy: optional(proxyUrl),
  NO_PROXY: optional(z.string()),
  no_proxy: optional(z.string()),
  // A report has 15 sections: 16 drafts them all in one round.
  LLM_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)).transform((v) => v ?? 16),
  ALLOWED_USER_IDS: optional(
    z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, "expected comma-separated Telegram user ids")
      .transform((v) => new Set(v.split(",").map((id) => Number(id.trim())))),
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS)).transform((v) => v ?? "info"),
  WEBHOOK_URL: optional(z.url()),
  PORT: optional(z.coerce.number().int().min(1).max(65535)).transform((v) => v ?? 8080),
  HOST: optional(z.string()).transform((v) => v ?? "0.0.0.0"),
  // Telegram allows A–Z, a–z, 0–9, _ and -, 1–256 characters.
  WEBHOOK_SECRET: optional(z.string().regex(/^[\w-]{1,256}$/, "1–256 of A–Z a–z 0–9 _ -")),
  // With several instances, exactly one should send reminders.
  REMINDERS: optional(z.enum(["on", "off"])).transform((v) => v !== "off"),
  PROMPTS_DIR: optional(z.string()),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(`配置有误 / invalid configuration:\n${lines.join("\n")}`);
}
