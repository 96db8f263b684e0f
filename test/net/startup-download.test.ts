import { createServer, type Server } from "node:http";
import { GrammyError, HttpError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { DownloadError, downloadFile } from "../../src/net/download.js";
import { StartupError } from "../../src/net/errors.js";
import { withStartupRetries } from "../../src/net/startup.js";

/** The start-up retry loop on a fake clock, and the bounded download against a local server. */
const RETRY = { deadlineMs: 10_000, delayMs: 1_000, maxDelayMs: 4_000, attemptMs: 5_000 };

function clock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

const networkError = () =>
  new HttpError("Network request for 'getMe' failed!", new Error("ECONNREFUSED"));
const apiError = (code: number, description: string) =>
  new GrammyError(
    `Call to 'getMe' failed! (${code}: ${description})`,
    { ok: false, error_code: code, description },
    "getMe",
    {},
  );

describe("withStartupRetries", () => {
  it("retries network errors and 5xx with backoff, logging each, until the call succeeds", async () => {
    const c = clock();
    const lines: string[] = [];
    const failures = [networkError(), apiError(502, "Bad Gateway"), networkError()];
    const result = await withStartupRetries({
      method: "getMe",
      apiRoot: "https://api.telegram.org",
      call: async () => {
        const failure = failures.shift();
        if (failure) throw failure;
        return "me";
      },
      logger: createLogger("warn", (l) => lines.push(l)),
      retry: RETRY,
      ...c,
    });
    expect(result).toBe("me");
    expect(c.sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(lines.map((l) => JSON.parse(l).attempt)).toEqual([1, 2, 3]);
    expect(JSON.parse(lines[0] ?? "").url).toBe("https://api.telegram.org/bot<token>/getMe");
  });

  it("gives up before passing the deadline, with advice in Chinese and English", async () => {
    const c = clock();
    const error = await withStartupRetries({
      method: "getMe",
      apiRoot: "https://api.telegram.org/",
      call: () => Promise.reject(networkError()),
      logger: createLogger("silent"),
      retry: RETRY,
      ...c,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    // 1 + 2 + 4 s slept; the next 4 s pause would pass the 10 s deadline.
    expect(c.sleeps).toEqual([1_000, 2_000, 4_000]);
    expect((error as StartupError).zh).toMatch(
      /^无法连接 Telegram Bot API（https:\/\/api\.telegram\.org\/bot<token>\/getMe），7 秒内尝试 4 次均失败/,
    );
    expect((error as StartupError).en).toContain("set HTTPS_PROXY (or TELEGRAM_PROXY");
  });

  it("does not retry a refused token", async () => {
    const c = clock();
    let calls = 0;
    const error = await withStartupRetries({
      method: "getMe",
      apiRoot: "https://api.telegram.org",
      call: () => {
        calls++;
        return Promise.reject(apiError(401, "Unauthorized"));
      },
      logger: createLogger("silent"),
      retry: RETRY,
      ...c,
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect((error as StartupError).zh).toContain("拒绝了请求（401 Unauthorized）");
  });
});

describe("downloadFile", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((done) => server?.listen(0, "127.0.0.1", () => done()));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  }

  const options = (apiRoot: string) => ({
    apiRoot,
    token: "1:secret",
    maxBytes: 1000,
    timeoutMs: 200,
  });

  it("gives up on a server that never answers (timeout), and names no token", async () => {
    const root = await serve(() => {});
    const error = (await downloadFile("documents/a.txt", options(root)).catch(
      (e: unknown) => e,
    )) as DownloadError;
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      `download of ${root}/file/bot<token>/documents/a.txt took over 200 ms`,
    );
  });

  it("refuses an announced size over the limit before reading the body", async () => {
    const root = await serve((_, res) => {
      res.writeHead(200, { "content-length": "5000" });
      res.end(Buffer.alloc(5000));
    });
    const error = (await downloadFile("a", options(root)).catch(
      (e: unknown) => e,
    )) as DownloadError;
    expect([error.kind, error.bytes]).toEqual(["too-large", 5000]);
  });

  it("reads a file within the limit", async () => {
    const root = await serve((req, res) => res.end(req.url));
    expect(String(await downloadFile("documents/b.txt", options(root)))).toBe(
      "/file/bot1:secret/documents/b.txt",
    );
  });
});
