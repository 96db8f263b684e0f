import type { Config } from "../config.js";
import { type ProxySettings, proxySettings } from "./transport.js";

/**
 * The LLM's settings from the configuration, apart from the client (client.ts, which loads the
 * openai SDK): a bot or command without an LLM configured never loads it (issue 17).
 */

export interface LlmSettings {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** The whole call: request, response headers and the last byte of the stream, SDK retries included. */
  timeoutMs: number;
  /** Longest silence between two chunks of the stream (default LLM_DEFAULTS.idleMs). */
  idleMs?: number;
  /** max_tokens of every call when set (LLM_MAX_TOKENS); otherwise each section's own limit. */
  maxTokens?: number;
  /** A whole draft ends by then; unfinished sections are composed offline (default LLM_DEFAULTS). */
  draftDeadlineMs?: number;
  concurrency: number;
  /** Retries after the first attempt, with the SDK's exponential backoff (429, 5xx, connection errors). */
  maxRetries: number;
  proxy?: ProxySettings;
}

const DEFAULT_MODEL = "gpt-4o-mini";

/** The LLM settings, or undefined when none is configured (the offline composer then drafts). */
export function llmSettings(config: Config): LlmSettings | undefined {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return undefined;
  const proxy = proxySettings(config);
  return {
    // Local servers (Ollama, vLLM, llama.cpp) take any key; the SDK insists on one.
    apiKey: config.OPENAI_API_KEY ?? "local",
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    model: config.LLM_MODEL ?? DEFAULT_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    idleMs: config.LLM_IDLE_MS,
    ...(config.LLM_MAX_TOKENS ? { maxTokens: config.LLM_MAX_TOKENS } : {}),
    draftDeadlineMs: config.LLM_DRAFT_DEADLINE_MS,
    concurrency: config.LLM_CONCURRENCY,
    maxRetries: 3,
    ...(proxy ? { proxy } : {}),
  };
}
