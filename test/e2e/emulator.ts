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
  private readonly apiUrl: string;

  constructor(
    server: TelegramServer,
    readonly id: number,
    name: string,
  ) {
    this.apiUrl = server.config.apiURL;
    this.client = server.getClient(TOKEN, {
      userId: id,
      chatId: id,
      firstName: name,
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
    for (let idle = 0; ; ) {
      const found = this.seen.filter((m) => m.includes(text))[n - 1];
      if (found !== undefined) return found;
      if (Date.now() > until)
        throw new Error(`user ${this.id} never saw "${text}"; saw:\n${this.seen.join("\n---\n")}`);
      const updates = await this.poll();
      idle = updates.length === 0 ? idle + 1 : 0;
      if (idle > 0) await new Promise((r) => setTimeout(r, pollPause(idle)));
      for (const update of updates) {
        this.seen.push(update.message.text ?? "");
        for (const b of update.message.reply_markup?.inline_keyboard?.flat() ?? [])
          if (b.callback_data) this.buttons.push(b.callback_data);
      }
    }
  }

  /**
   * One request for the bot's unread messages to this chat. Not the client's getUpdates(): that
   * one polls on by itself after its timeout has given up, and the abandoned poll then marks
   * later messages read and drops them — on a loaded machine replies went missing that way.
   */
  private async poll(): Promise<EmulatorUpdate[]> {
    const res = await fetch(`${this.apiUrl}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: TOKEN, chatId: this.id }),
    });
    return ((await res.json()) as { result?: EmulatorUpdate[] }).result ?? [];
  }
}

/** A bot message as the emulator's client API returns it. */
interface EmulatorUpdate {
  message: {
    text?: string;
    reply_markup?: { inline_keyboard?: { callback_data?: string }[][] };
  };
}

/**
 * Pause before polling again after `idle` empty polls: short at first, then backing off, so that
 * hundreds of people waiting do not flood the emulator, which shares the test's one thread.
 */
function pollPause(idle: number): number {
  return Math.min(20 * 2 ** (idle - 1), 320);
}
