import OpenAI, { APIConnectionTimeoutError, APIError } from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { LLM_DEFAULTS } from "../config.js";
import type { Logger } from "../log.js";
import { LlmError } from "./error.js";
import type { LlmSettings } from "./settings.js";
import { type Dispatcher, dispatcherFor } from "./transport.js";

// Callers reach the whole LLM API here; settings.ts and error.ts load without the openai SDK.
export { LlmError, type LlmFailureKind } from "./error.js";
export { type LlmSettings, llmSettings } from "./settings.js";

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

export interface CompleteOptions {
  maxTokens: number;
  /** Aborts the call on the wire (the draft's deadline); the error is a "timeout". */
  signal?: AbortSignal;
  /** Sees the text so far. */
  onText?: (soFar: string) => void;
}

const SDK_TIMEOUT_SLACK_MS = 1_000;

/** One OpenAI-compatible endpoint through the official SDK, which also does the retrying. */
export class LlmClient {
  readonly #client: OpenAI;
  readonly #dispatcher: Dispatcher;

  constructor(
    readonly settings: LlmSettings,
    logger: Logger,
  ) {
    this.#dispatcher = dispatcherFor(settings);
    this.#client = new OpenAI({
      apiKey: settings.apiKey,
      ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
      // Our own limit (complete()) ends the call; the SDK's must not fire first and retry.
      timeout: settings.timeoutMs + SDK_TIMEOUT_SLACK_MS,
      maxRetries: settings.maxRetries,
      // undici's own fetch with our dispatcher: Node's built-in fetch cuts any silent response
      // after 300 s, whatever the SDK's timeout says.
      fetch: this.#dispatcher.fetch,
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

  /**
   * Streams one chat completion and returns it only when the server finished it ("stop"). Throws
   * LlmError: "timeout" past the call's limit, the silence limit or the caller's signal (the
   * request is then aborted on the wire); "truncated" when the reply was cut; "call" otherwise.
   */
  async complete(messages: Messages, options: CompleteOptions): Promise<Completion> {
    const started = performance.now();
    const { timeoutMs, idleMs = LLM_DEFAULTS.idleMs } = this.settings;
    const controller = new AbortController();
    const stop = (message: string) => {
      if (!controller.signal.aborted) controller.abort(new LlmError("timeout", message));
    };
    const whole = setTimeout(() => stop(`no complete answer within ${timeoutMs} ms`), timeoutMs);
    let idle: NodeJS.Timeout | undefined;
    const quiet = () => {
      clearTimeout(idle);
      idle = setTimeout(() => stop(`no data for ${idleMs} ms`), idleMs);
    };
    const cancel = () => {
      const reason = options.signal?.reason;
      stop(`cancelled by the caller: ${reason instanceof Error ? reason.message : String(reason)}`);
    };
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener("abort", cancel, { once: true });
    try {
      const stream = await this.#client.chat.completions.create(
        {
          model: this.settings.model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          temperature: 0.3,
          max_tokens: options.maxTokens,
        },
        { signal: controller.signal },
      );
      quiet();
      let text = "";
      let finish: string | null = null;
      let usage: Usage = { promptTokens: 0, completionTokens: 0 };
      for await (const chunk of stream) {
        quiet();
        const choice = chunk.choices[0];
        if (choice?.delta?.content) {
          text += choice.delta.content;
          options.onText?.(text);
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
        }
      }
      // The SDK's stream ends quietly when aborted: the abort's reason says what happened.
      if (controller.signal.aborted) throw controller.signal.reason;
      if (finish !== "stop") {
        const why = finish
          ? `finish_reason "${finish}"`
          : "the stream ended without a finish_reason";
        throw new LlmError("truncated", `reply cut: ${why}`);
      }
      if (text.trim() === "") throw new LlmError("call", "the model returned an empty answer");
      return { text, usage, ms: performance.now() - started };
    } catch (error) {
      throw asLlmError(error, controller.signal);
    } finally {
      clearTimeout(whole);
      clearTimeout(idle);
      options.signal?.removeEventListener("abort", cancel);
      // Whatever ended the loop, nothing of this call keeps running on the server.
      if (!controller.signal.aborted) controller.abort(new LlmError("call", "done"));
    }
  }

  /** Closes the connections (a CLI run ends; the bot keeps one client for its lifetime). */
  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

function asLlmError(error: unknown, signal: AbortSignal): LlmError {
  if (error instanceof LlmError) return error;
  // An abort surfaces as the SDK's APIUserAbortError or a DOMException: the reason says why.
  if (signal.aborted && signal.reason instanceof LlmError) return signal.reason;
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmError("timeout", error.message, { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status ? `${error.status} ` : "";
    return new LlmError("call", `${status}${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmError("call", message, { cause: error });
}
