import type { Bot, RawApi, Transformer } from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import type { BotContext } from "./context.js";

/** A Bot API call as the bot made it. */
export interface ApiCall {
  method: keyof RawApi | string;
  payload: Record<string, unknown>;
}

export const LOCAL_BOT_INFO: UserFromGetMe = {
  id: 7_000_000_001,
  is_bot: true,
  first_name: "法治报告助手",
  username: "fazhi_report_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

/**
 * Answers the bot's API calls in-process instead of Telegram: the terminal chat runs on it, and
 * tests use it to capture calls. Results have the shape Telegram returns, so handlers run as live.
 */
export class LocalApi {
  readonly calls: ApiCall[] = [];
  #messageId = 0;
  #listeners: ((call: ApiCall) => void)[] = [];
  readonly #files = new Map<string, { path: string; size: number }>();

  /**
   * `record` keeps every call in `calls` (tests read them); a long terminal session or a
   * benchmark turns it off and only listens.
   */
  constructor(
    readonly botInfo: UserFromGetMe = LOCAL_BOT_INFO,
    readonly options: { record: boolean } = { record: true },
  ) {}

  /** Pass as `transport` to createBot: it must be the innermost transformer, in place of HTTP. */
  readonly transformer: Transformer = async (_prev, method, payload) => {
    const call = { method, payload: { ...(payload as Record<string, unknown>) } };
    if (this.options.record) this.calls.push(call);
    for (const listener of this.#listeners) listener(call);
    return { ok: true, result: this.#result(call) } as never;
  };

  /** Makes a local file available to getFile, as a local Bot API server does (absolute path). */
  addFile(fileId: string, path: string, size: number): void {
    this.#files.set(fileId, { path, size });
  }

  onCall(listener: (call: ApiCall) => void): void {
    this.#listeners.push(listener);
  }

  nextMessageId(): number {
    this.#messageId += 1;
    return this.#messageId;
  }

  #result(call: ApiCall): unknown {
    const { payload } = call;
    switch (call.method) {
      case "getMe":
        return this.botInfo;
      case "getFile": {
        const fileId = String(payload.file_id);
        const file = this.#files.get(fileId);
        return {
          file_id: fileId,
          file_unique_id: fileId,
          file_size: file?.size,
          file_path: file?.path,
        };
      }
      case "sendMessage":
      case "sendDocument":
      case "editMessageText":
        return this.#message(payload);
      default:
        return true;
    }
  }

  #message(payload: Record<string, unknown>): Message {
    const chatId = Number(payload.chat_id);
    return {
      message_id: Number(payload.message_id ?? this.nextMessageId()),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "user" },
      from: this.botInfo,
      text: typeof payload.text === "string" ? payload.text : "",
    } as Message;
  }
}

/** Builds the updates a private chat with one user would send. */
export class LocalChat {
  #updateId = 0;

  constructor(
    readonly bot: Bot<BotContext>,
    readonly api: LocalApi,
    readonly user: { id: number; first_name: string },
  ) {}

  /** Sends a text message (a leading "/word" is marked as a bot command, as Telegram does). */
  async send(text: string, extra: Partial<Message> = {}): Promise<void> {
    const command = /^\/[A-Za-z0-9_@]+/.exec(text);
    await this.bot.handleUpdate(
      this.#update({
        message: {
          ...this.#base(),
          text,
          ...(command
            ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
            : {}),
          ...extra,
        },
      } as Partial<Update>),
    );
  }

  /** Sends any other message (sticker, photo…) given its fields. */
  async sendMessage(fields: Partial<Message>): Promise<void> {
    await this.bot.handleUpdate(
      this.#update({ message: { ...this.#base(), ...fields } } as Partial<Update>),
    );
  }

  /** Presses an inline button with this callback data. */
  async press(data: string, messageId?: number): Promise<void> {
    const message = {
      ...this.#base(),
      message_id: messageId ?? 0,
      from: this.bot.botInfo,
      text: "",
    };
    await this.bot.handleUpdate(
      this.#update({
        callback_query: {
          id: String(this.#updateId),
          from: { ...this.user, is_bot: false },
          chat_instance: String(this.user.id),
          message: message as Message,
          data,
        },
      } as Partial<Update>),
    );
  }

  #base(): Omit<Message, "text"> {
    return {
      message_id: this.api.nextMessageId(),
      date: Math.floor(Date.now() / 1000),
      chat: { id: this.user.id, type: "private", first_name: this.user.first_name },
      from: { ...this.user, is_bot: false },
    } as Omit<Message, "text">;
  }

  #update(fields: Partial<Update>): Update {
    this.#updateId += 1;
    return { update_id: this.#updateId, ...fields } as Update;
  }
}
