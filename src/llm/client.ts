import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";

export interface LlmSettings {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  concurrency: number;
  /** Retries after the first attempt, with the SDK's exponential backoff (429, 5xx, timeouts). */
  maxRetries: number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface Completion {
  text: string;
  usage: Usage;
  ms: number;
}

export type Messages = ChatCompletionMessageParam[];

const DEFAULT_MODEL = "gpt-4o-mini";
/** Beyond the per-attempt timeouts and retries, how long a started stream may still run. */
const STALL_GRACE_MS = 30_000;

/** The LLM settings, or undefined when none is configured (the offline composer then drafts). */
export function llmSettings(config: Config): LlmSettings | undefined {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return undefined;
  return {
    // Local servers (Ollama, vLLM, llama.cpp) take any key; the SDK insists on one.
    apiKey: config.OPENAI_API_KEY ?? "local",
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    model: config.LLM_MODEL ?? DEFAULT_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    concurrency: config.LLM_CONCURRENCY,
    maxRetries: 3,
  };
}

/** One OpenAI-compatible endpoint through the official SDK, which also does the retrying. */
export class LlmClient {
  readonly #client: OpenAI;

  constructor(
    readonly settings: LlmSettings,
    logger: Logger,
  ) {
    this.#client = new OpenAI({
      apiKey: settings.apiKey,
      ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries,
      // The SDK's own warnings (e.g. an unparsable stream line) go to our log, not the console.
      logger: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => logger.warn(`openai: ${message}`),
        error: (message: string) => logger.error(`openai: ${message}`),
      },
      logLevel: "warn",
    });
  }

  /** Streams one chat completion; `onText` sees the text so far. Usage is the server's count. */
  async complete(messages: Messages, onText?: (soFar: string) => void): Promise<Completion> {
    const started = performance.now();
    // The SDK's timeout ends at the response headers; this also ends a stream that stalls later.
    const { timeoutMs, maxRetries } = this.settings;
    const signal = AbortSignal.timeout(timeoutMs * (maxRetries + 1) + STALL_GRACE_MS);
    const stream = await this.#client.chat.completions.create(
      {
        model: this.settings.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.3,
      },
      { signal },
    );
    let text = "";
    let usage: Usage = { promptTokens: 0, completionTokens: 0 };
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        text += delta;
        onText?.(text);
      }
      if (chunk.usage) {
        usage = {
          promptTokens: chunk.usage.prompt_tokens,
          completionTokens: chunk.usage.completion_tokens,
        };
      }
    }
    if (text.trim() === "") throw new Error("the model returned an empty answer");
    return { text, usage, ms: performance.now() - started };
  }
}
