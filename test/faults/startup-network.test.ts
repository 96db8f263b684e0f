import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/bot.js";
import { LOCAL_BOT_INFO } from "../../src/bot/local-api.js";
import { createLogger } from "../../src/log.js";
import { bypassed, proxyAgent, telegramProxy } from "../../src/net/proxy.js";
import { Store } from "../../src/store/store.js";
import { template } from "../helpers/harness.js";
import { FakeBotApi, freePort } from "./fake-bot-api.js";
import { startHttpProxy, startSocksProxy, type TestProxy } from "./proxies.js";
import { waitUntil } from "./wait.js";

/**
 * `fazhi-report bot` reaching the Bot API: an unreachable API root is retried with a log line
 * per attempt and then exits 1 with advice; a refused token exits at once; HTTPS_PROXY (http)
 * and a socks5 proxy carry the calls; the store URL's password never reaches the log.
 */
const BIN = resolve("bin/fazhi-report.js");
const TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

interface Child {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const close of closers.splice(0)) await close();
});

function bot(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [BIN, "bot"], {
    env: {
      PATH: process.env.PATH ?? "",
      TELEGRAM_BOT_TOKEN: TOKEN,
      STORE_URL: "memory://",
      REMINDERS: "off",
      TELEGRAM_STARTUP_TIMEOUT_MS: "3000",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return { child, stderr: () => stderr, exited };
}

function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function fakeApi(): Promise<FakeBotApi> {
  const api = new FakeBotApi(TOKEN, LOCAL_BOT_INFO);
  await api.start();
  closers.push(() => api.close());
  return api;
}

async function proxy(start: () => Promise<TestProxy>): Promise<TestProxy> {
  const p = await start();
  closers.push(() => p.close());
  return p;
}

describe("start-up against the Bot API", () => {
  it("logs each failed attempt with the URL, then exits 1 suggesting HTTPS_PROXY", async () => {
    const root = `http://127.0.0.1:${await freePort()}`;
    const run = bot({ TELEGRAM_API_ROOT: root });
    expect(await run.exited).toBe(1);
    const stderr = run.stderr();
    const attempts = logLines(stderr).filter((l) => l.msg === "Bot API not reachable");
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    for (const a of attempts) expect(a.url).toBe(`${root}/bot<token>/getMe`);
    expect(stderr).toContain(`无法连接 Telegram Bot API（${root}/bot<token>/getMe）`);
    expect(stderr).toMatch(/请设置 HTTPS_PROXY（或 TELEGRAM_PROXY.*TELEGRAM_API_ROOT/);
    expect(stderr).toMatch(
      /cannot reach the Telegram Bot API .* set HTTPS_PROXY .* TELEGRAM_API_ROOT/,
    );
    expect(stderr).not.toContain(TOKEN.split(":")[1]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("exits at once when the Bot API refuses the token", async () => {
    const api = new FakeBotApi("999:other", LOCAL_BOT_INFO);
    await api.start();
    closers.push(() => api.close());
    const run = bot({ TELEGRAM_API_ROOT: api.apiRoot });
    expect(await run.exited).toBe(1);
    expect(logLines(run.stderr()).filter((l) => l.msg === "Bot API not reachable")).toEqual([]);
    expect(run.stderr()).toContain("拒绝了请求（404 Not Found）：请检查 TELEGRAM_BOT_TOKEN");
  });

  it("goes through HTTPS_PROXY, and logs the store URL without its password", async () => {
    const api = await fakeApi();
    const http = await proxy(startHttpProxy);
    const pg = process.env.TEST_POSTGRES_URL;
    // Trust authentication takes any password, so one can be written into the URL.
    const store = pg
      ? pg.replace("postgresql://postgres@", "postgresql://postgres:hunter2@")
      : "memory://";
    const run = bot({ TELEGRAM_API_ROOT: api.apiRoot, HTTPS_PROXY: http.url, STORE_URL: store });
    await waitUntil(() => run.stderr().includes('"bot started"'), 30_000, run.stderr);
    api.sendText({ id: 5, first_name: "小张" }, "/help");
    await waitUntil(() => api.delivered(5).length > 0, 15_000, run.stderr);
    expect(http.targets.length).toBeGreaterThan(0);
    expect(new Set(http.targets)).toEqual(new Set([new URL(api.apiRoot).host]));
    const started = logLines(run.stderr()).find((l) => l.msg === "bot started");
    expect(started?.store).toBe(pg ? store.replace("hunter2", "***") : "memory://");
    expect(run.stderr()).not.toContain("hunter2");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });
});

describe("proxies", () => {
  it("carries Bot API calls through a socks5 proxy", async () => {
    const api = await fakeApi();
    const socks = await proxy(startSocksProxy);
    const store = Store.open("memory://");
    const bot = createBot({
      token: TOKEN,
      apiRoot: api.apiRoot,
      agent: proxyAgent(socks.url),
      store,
      template,
      logger: createLogger("silent"),
    });
    await bot.init();
    expect(bot.botInfo.username).toBe(LOCAL_BOT_INFO.username);
    expect(socks.targets).toEqual([new URL(api.apiRoot).host]);
    await store.close();
  });

  it("chooses TELEGRAM_PROXY over HTTPS_PROXY over ALL_PROXY, and honours NO_PROXY", () => {
    const root = "https://api.telegram.org";
    expect(telegramProxy(root, {})).toBeUndefined();
    expect(telegramProxy(root, { ALL_PROXY: "socks5://a:1" })).toBe("socks5://a:1");
    expect(telegramProxy(root, { all_proxy: "socks5://a:1", https_proxy: "http://b:2" })).toBe(
      "http://b:2",
    );
    expect(
      telegramProxy(root, { HTTPS_PROXY: "http://b:2", TELEGRAM_PROXY: "socks5h://c:3" }),
    ).toBe("socks5h://c:3");
    expect(
      telegramProxy(root, { HTTPS_PROXY: "http://b:2", NO_PROXY: "localhost,.telegram.org" }),
    ).toBeUndefined();
    expect(bypassed("http://127.0.0.1:8081", "127.0.0.1")).toBe(true);
    expect(bypassed("https://api.telegram.org", "*")).toBe(true);
    expect(bypassed("https://api.telegram.org", "gram.org")).toBe(false);
    expect(() => proxyAgent("ftp://x:21")).toThrow(
      /not supported: use http:\/\/, https:\/\/ or socks5:\/\//,
    );
  });
});
