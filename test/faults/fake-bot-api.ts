import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** One request the bot made, and what it was answered. */
export interface Request {
  method: string;
  payload: Record<string, unknown>;
  /** performance.now() when the request arrived. */
  at: number;
  status: number;
}

/** A scripted answer: an HTTP status and a body (an object is sent as JSON, a string as is). */
export interface Reply {
  status: number;
  body: unknown;
}

export const TOO_MANY_REQUESTS = (retryAfter: number): Reply => ({
  status: 429,
  body: {
    ok: false,
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  },
});
export const INTERNAL_ERROR: Reply = {
  status: 500,
  body: { ok: false, error_code: 500, description: "Internal Server Error" },
};
/** What a proxy in front of the Bot API sends: HTML, not JSON. */
export const BAD_GATEWAY_HTML: Reply = {
  status: 502,
  body: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
};

/**
 * A tiny Bot API server on 127.0.0.1: answers `/bot<token>/<method>` as Telegram does, serves
 * getUpdates by long polling from a queue, and fails a method on demand.
 */
export class FakeBotApi {
  readonly requests: Request[] = [];
  #server: Server | undefined;
  #messageId = 0;
  #updateId = 0;
  #updates: Update[] = [];
  #polls = new Set<() => void>();
  /** Files served at /file/bot<token>/<path>, by file_id. */
  #files = new Map<string, { path: string; bytes: Uint8Array; status: number }>();
  /** Paths of the file downloads asked for. */
  readonly downloads: string[] = [];
  /** Decides the answer to a request; undefined means the normal, successful one. */
  #fault: ((method: string, payload: Record<string, unknown>) => Reply | undefined) | undefined;

  constructor(
    readonly token: string,
    readonly botInfo: UserFromGetMe,
  ) {}

  get apiRoot(): string {
    const address = this.#server?.address();
    if (!address || typeof address !== "object") throw new Error("not listening");
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    // Node closes an idle keep-alive connection after about 6 s (5 s + 1 s), just when
    // auto-retry's second 5xx backoff (6 s) reuses it: the retry then fails as "socket hang up".
    // Telegram keeps connections open much longer.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.#server = server;
  }

  async close(): Promise<void> {
    for (const wake of this.#polls) wake();
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** From now on, `fault` chooses the answer to each request (undefined: the normal one). */
  failWhen(
    fault: ((method: string, payload: Record<string, unknown>) => Reply | undefined) | undefined,
  ): void {
    this.#fault = fault;
  }

  /** The next requests of `method` get these answers, in order; later ones succeed. */
  failNext(method: string, ...replies: Reply[]): void {
    const queue = [...replies];
    this.failWhen((m) => (m === method ? queue.shift() : undefined));
  }

  /** Queues a private text message from `user` for getUpdates; returns its update. */
  sendText(user: { id: number; first_name: string }, text: string): Update {
    const command = /^\/[A-Za-z0-9_]+/.exec(text);
    const update = this.#privateMessage(user, {
      text,
      ...(command
        ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
        : {}),
    });
    this.#updates.push(update);
    for (const wake of this.#polls) wake();
    return update;
  }

  /** Serves `bytes` for getFile(`fileId`) and its download, answering `status` to the download. */
  addFile(fileId: string, bytes: Uint8Array, status = 200): void {
    this.#files.set(fileId, { path: `documents/${fileId}.bin`, bytes, status });
  }

  /** An update carrying a document from `user`, as Telegram delivers one (not queued). */
  documentUpdate(
    user: { id: number; first_name: string },
    fileId: string,
    fileName: string,
    fileSize: number,
  ): Update {
    return this.#privateMessage(user, {
      document: {
        file_id: fileId,
        file_unique_id: fileId,
        file_name: fileName,
        file_size: fileSize,
      },
    });
  }

  /** An update of a new message from `user` in their private chat, with `content`. */
  #privateMessage(user: { id: number; first_name: string }, content: object): Update {
    this.#updateId += 1;
    this.#messageId += 1;
    return {
      update_id: this.#updateId,
      message: {
        message_id: this.#messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: "private", first_name: user.first_name },
        from: { ...user, is_bot: false },
        ...content,
      },
    } as Update;
  }

  /** Requests of `method` (sendMessage: to `chatId` only, when given). */
  calls(method: string, chatId?: number): Request[] {
    return this.requests.filter(
      (r) => r.method === method && (chatId === undefined || r.payload.chat_id === chatId),
    );
  }

  /** Texts Telegram accepted (HTTP 200) for `chatId`: what the user actually got. */
  delivered(chatId: number): string[] {
    return this.calls("sendMessage", chatId)
      .filter((r) => r.status === 200)
      .map((r) => String(r.payload.text));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? "");
    if (download && download[1] === this.token) {
      this.#download(download[2] ?? "", res);
      return;
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? "");
    let body = "";
    for await (const chunk of req) body += String(chunk);
    if (!match || match[1] !== this.token) {
      send(res, { status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
      return;
    }
    const method = match[2] ?? "";
    const payload = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const reply = this.#fault?.(method, payload) ?? (await this.#success(method, payload, res));
    if (method !== "getUpdates" || reply.status !== 200) {
      this.requests.push({ method, payload, at, status: reply.status });
    }
    send(res, reply);
  }

  async #success(
    method: string,
    payload: Record<string, unknown>,
    res: ServerResponse,
  ): Promise<Reply> {
    const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
    switch (method) {
      case "getMe":
        return ok(this.botInfo);
      case "getUpdates":
        return ok(await this.#poll(payload, res));
      case "getFile": {
        const file = this.#files.get(String(payload.file_id));
        if (!file)
          return {
            status: 400,
            body: { ok: false, error_code: 400, description: "Bad Request: invalid file_id" },
          };
        return ok({
          file_id: payload.file_id,
          file_unique_id: payload.file_id,
          file_size: file.bytes.byteLength,
          file_path: file.path,
        });
      }
      case "sendMessage":
        this.#messageId += 1;
        return ok({
          message_id: this.#messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: payload.chat_id, type: "private", first_name: "user" },
          from: this.botInfo,
          text: payload.text,
        });
      default:
        return ok(true);
    }
  }

  #download(path: string, res: ServerResponse): void {
    this.downloads.push(path);
    const file = [...this.#files.values()].find((f) => f.path === path);
    if (file?.status !== 200) {
      res.writeHead(file?.status ?? 404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(file.bytes);
  }

  /** Long polling: the updates from `offset` on, as soon as there are any, or [] after `timeout`. */
  async #poll(payload: Record<string, unknown>, res: ServerResponse): Promise<Update[]> {
    const offset = Number(payload.offset ?? 0);
    this.#updates = this.#updates.filter((u) => u.update_id >= offset);
    if (this.#updates.length === 0) {
      const seconds = Math.min(Number(payload.timeout ?? 0), 30);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#polls.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, seconds * 1000);
        this.#polls.add(wake);
        res.once("close", wake);
      });
    }
    return this.#updates.slice(0, Number(payload.limit ?? 100));
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  const type = typeof reply.body === "string" ? "text/html" : "application/json";
  res.writeHead(reply.status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
