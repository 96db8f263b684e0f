import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";

export const TOKEN = "123456:e2e-test-token";

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The Bot API emulator on loopback. */
export async function startEmulator(): Promise<TelegramServer> {
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1" });
  await server.start();
  return server;
}

export interface BotProcess {
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/** Runs `fazhi-report bot` as a child process and waits for its "bot started" log line. */
export async function startBot(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn("node", ["bin/fazhi-report.js", "bot"], {
    env: {
      ...process.env,
      TELEGRAM_BOT_TOKEN: TOKEN,
      LOG_LEVEL: "info",
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  await waitUntil(
    () => err.includes('"msg":"bot started"'),
    // Generous: on a loaded machine tsx alone takes several seconds to start.
    60_000,
    () => `bot did not start:\n${err}`,
  );
  return {
    child,
    stderr: () => err,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

export async function waitUntil(ok: () => boolean, ms: number, why: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(why());
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One person chatting with the bot through the emulator's client API. */
export class Person {
  readonly client;
  readonly seen: string[] = [];
  readonly buttons: string[] = [];

  constructor(
    server: TelegramServer,
    readonly id: number,
    name: string,
  ) {
    this.client = server.getClient(TOKEN, {
      userId: id,
      chatId: id,
      firstName: name,
      timeout: 3000,
      interval: 20,
    });
  }

  async say(text: string): Promise<void> {
    if (text.startsWith("/")) await this.client.sendCommand(this.client.makeCommand(text));
    else await this.client.sendMessage(this.client.makeMessage(text));
  }

  async press(data: string): Promise<void> {
    await this.client.sendCallback(this.client.makeCallbackQuery(data));
  }

  /** Reads the bot's messages until one contains `text`; returns it. */
  expect(text: string, ms = 10_000): Promise<string> {
    return this.expectNth(text, 1, ms);
  }

  /** Reads the bot's messages until `n` of them contain `text`; returns the n-th. */
  async expectNth(text: string, n: number, ms = 10_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const found = this.seen.filter((m) => m.includes(text))[n - 1];
      if (found !== undefined) return found;
      if (Date.now() > until)
        throw new Error(`user ${this.id} never saw "${text}"; saw:\n${this.seen.join("\n---\n")}`);
      const updates = await this.client.getUpdates().catch(() => ({ result: [] }));
      for (const update of updates.result as {
        message: { text?: string; reply_markup?: unknown };
      }[]) {
        this.seen.push(update.message.text ?? "");
        const markup = update.message.reply_markup as
          | { inline_keyboard?: { callback_data?: string }[][] }
          | undefined;
        for (const b of markup?.inline_keyboard?.flat() ?? [])
          if (b.callback_data) this.buttons.push(b.callback_data);
      }
    }
  }
}
