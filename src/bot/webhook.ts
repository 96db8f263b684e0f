import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { type Bot, webhookCallback } from "grammy";
import { errorData, type Logger } from "../log.js";
import type { BotContext } from "./context.js";

export interface WebhookOptions {
  /** The public URL Telegram posts to; its path is the one served. */
  url: string;
  port: number;
  host: string;
  secretToken: string;
  logger: Logger;
}

/**
 * Telegram waits about a minute for a webhook answer and then sends the update again; a draft
 * can take longer, so the answer goes out before that and the update is finished in the
 * background (the shutdown waits for it through InFlight).
 */
const ANSWER_WITHIN_MS = 50_000;

/** The secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token, the same on every instance. */
export function webhookSecret(token: string, configured?: string): string {
  return configured ?? createHash("sha256").update(`fazhi-report webhook ${token}`).digest("hex");
}

/** Serves the webhook on node:http: POST to the URL's path, GET /healthz for load balancers. */
export async function serveWebhook(bot: Bot<BotContext>, options: WebhookOptions): Promise<Server> {
  const path = new URL(options.url).pathname;
  const handle = webhookCallback(bot, "http", {
    secretToken: options.secretToken,
    onTimeout: "return",
    timeoutMilliseconds: ANSWER_WITHIN_MS,
  });
  const server = createServer((req, res) => {
    const requested = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && requested === "/healthz") {
      res.end("ok");
      return;
    }
    if (req.method !== "POST" || requested !== path) {
      res.statusCode = 404;
      res.end();
      return;
    }
    handle(req, res).catch((error: unknown) => {
      options.logger.error("webhook update failed", errorData(error));
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  return server;
}

/** Stops taking updates; open requests finish first. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
