import { createServer as createHttpServer, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LlmClient, llmSettings } from "../../src/llm/client.js";
import { bypassesProxy, dispatcherFor, proxySettings } from "../../src/llm/transport.js";
import { createLogger } from "../../src/log.js";
import { type OpenAIStub, startOpenAIStub } from "../stub/openai-stub.js";

/**
 * The LLM endpoint through a proxy: a small HTTP proxy (CONNECT and absolute-form requests) and a
 * small SOCKS5 proxy on 127.0.0.1, both forwarding every connection to the local stub, so the
 * endpoint's name (llm.example.invalid) is never resolved by the client.
 */

const ENDPOINT = "http://llm.example.invalid/v1";
const logger = createLogger("silent");
let stub: OpenAIStub;
let stubPort: number;

/** Targets the proxies were asked for, in order. */
const asked: string[] = [];
const servers: { close(cb: () => void): void }[] = [];
const sockets = new Set<Socket>();

function listen(server: Server | ReturnType<typeof createServer>): Promise<number> {
  servers.push(server);
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

function toStub(client: Socket, head: Buffer = Buffer.alloc(0)): Socket {
  const upstream = connect(stubPort, "127.0.0.1", () => {
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream).pipe(client);
  });
  upstream.on("error", () => client.destroy());
  client.on("error", () => upstream.destroy());
  return upstream;
}

async function httpProxy(): Promise<number> {
  const server = createHttpServer((req, res) => {
    // Absolute-form request ("POST http://host/path"): forwarded to the stub.
    asked.push(`GET-FORM ${req.url}`);
    const url = new URL(req.url ?? "/");
    const forward = httpRequest(
      { host: "127.0.0.1", port: stubPort, method: req.method, path: url.pathname + url.search },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.setHeader("content-type", req.headers["content-type"] ?? "application/json");
    req.pipe(forward);
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    asked.push(`CONNECT ${req.url}`);
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    toStub(client, head);
  });
  return listen(server);
}

/** SOCKS5 without authentication (RFC 1928): CONNECT to any address goes to the stub. */
async function socksProxy(): Promise<number> {
  const server = createServer((client) => {
    let stage: "greeting" | "request" = "greeting";
    const onData = (data: Buffer) => {
      if (stage === "greeting") {
        client.write(Buffer.from([5, 0]));
        stage = "request";
        return;
      }
      client.off("data", onData);
      const type = data[3];
      const target = type === 3 ? data.subarray(5, 5 + (data[4] ?? 0)).toString() : `ip(${type})`;
      asked.push(`SOCKS ${target}`);
      client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
      toStub(client);
    };
    client.on("data", onData);
  });
  return listen(server);
}

let httpPort: number;
let socksPort: number;

beforeAll(async () => {
  stub = await startOpenAIStub({ reply: () => "我镇全年开展法治培训3次。" });
  stubPort = Number(new URL(stub.baseURL).port);
  httpPort = await httpProxy();
  socksPort = await socksProxy();
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  await stub.close();
});
beforeEach(() => {
  asked.length = 0;
  stub.clear();
});

async function ask(env: Record<string, string>): Promise<string> {
  const settings = llmSettings(loadConfig({ OPENAI_API_KEY: "test", ...env }));
  if (!settings) throw new Error("no LLM settings");
  const llm = new LlmClient({ ...settings, maxRetries: 0 }, logger);
  try {
    const reply = await llm.complete([{ role: "user", content: "起草" }], { maxTokens: 100 });
    return reply.text;
  } finally {
    await llm.close();
  }
}

describe("the LLM endpoint through a proxy", () => {
  it("LLM_PROXY=http://… reaches the endpoint through the HTTP proxy", async () => {
    const text = await ask({
      OPENAI_BASE_URL: ENDPOINT,
      LLM_PROXY: `http://127.0.0.1:${httpPort}`,
    });
    expect(text).toBe("我镇全年开展法治培训3次。");
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/llm\.example\.invalid/);
    expect(stub.requests).toHaveLength(1);
  });

  it("HTTPS_PROXY is used when LLM_PROXY is not set", async () => {
    await ask({ OPENAI_BASE_URL: ENDPOINT, HTTPS_PROXY: `http://127.0.0.1:${httpPort}` });
    expect(asked).toHaveLength(1);
  });

  it("ALL_PROXY=socks5://… reaches the endpoint through the SOCKS5 proxy", async () => {
    const text = await ask({
      OPENAI_BASE_URL: ENDPOINT,
      ALL_PROXY: `socks5://127.0.0.1:${socksPort}`,
    });
    expect(text).toBe("我镇全年开展法治培训3次。");
    expect(asked).toEqual(["SOCKS llm.example.invalid"]);
  });

  it("a loopback endpoint is reached directly, proxy or not", async () => {
    const text = await ask({
      OPENAI_BASE_URL: stub.baseURL,
      LLM_PROXY: `http://127.0.0.1:${httpPort}`,
    });
    expect(text).toBe("我镇全年开展法治培训3次。");
    expect(asked).toEqual([]);
  });
});

describe("proxy settings", () => {
  const config = (env: Record<string, string>) => loadConfig(env);

  it("LLM_PROXY wins over HTTPS_PROXY, which wins over ALL_PROXY; NO_PROXY is a list", () => {
    expect(
      proxySettings(
        config({
          LLM_PROXY: "http://10.0.0.1:3128",
          HTTPS_PROXY: "http://10.0.0.2:3128",
          ALL_PROXY: "socks5://10.0.0.3:1080",
          NO_PROXY: " example.gov.cn, .internal ,",
        }),
      ),
    ).toEqual({ url: "http://10.0.0.1:3128", noProxy: ["example.gov.cn", ".internal"] });
    expect(proxySettings(config({ https_proxy: "http://10.0.0.2:3128" }))?.url).toBe(
      "http://10.0.0.2:3128",
    );
    expect(proxySettings(config({ ALL_PROXY: "socks5://10.0.0.3:1080" }))?.url).toBe(
      "socks5://10.0.0.3:1080",
    );
    expect(proxySettings(config({}))).toBeUndefined();
  });

  it("a proxy URL of another kind is refused with a message", () => {
    expect(() => config({ LLM_PROXY: "ftp://10.0.0.1:21" })).toThrow(/LLM_PROXY: expected http/);
  });

  it.each([
    ["127.0.0.1", [], true],
    ["localhost", [], true],
    ["::1", [], true],
    ["api.deepseek.com", [], false],
    ["api.deepseek.com", ["deepseek.com"], true],
    ["api.deepseek.com", [".deepseek.com"], true],
    ["api.deepseek.com", ["*.deepseek.com"], true],
    ["deepseek.com.cn", ["deepseek.com"], false],
    ["10.1.2.3", ["10.1.2.3:8000"], true],
    ["api.openai.com", ["*"], true],
  ] as const)("%s with NO_PROXY %j is direct: %s", (host, noProxy, direct) => {
    expect(bypassesProxy(host, noProxy)).toBe(direct);
  });
});

describe("LLM settings from the environment", () => {
  it("reads the limits, with their defaults", () => {
    const base = { OPENAI_API_KEY: "k" };
    expect(llmSettings(loadConfig(base))).toMatchObject({
      timeoutMs: 120_000,
      idleMs: 60_000,
      draftDeadlineMs: 300_000,
    });
    expect(llmSettings(loadConfig(base))?.maxTokens).toBeUndefined();
    const set = llmSettings(
      loadConfig({
        ...base,
        LLM_TIMEOUT_MS: "900000",
        LLM_IDLE_MS: "300",
        LLM_MAX_TOKENS: "1500",
        LLM_DRAFT_DEADLINE_MS: "1200000",
      }),
    );
    expect(set).toMatchObject({
      timeoutMs: 900_000,
      idleMs: 300,
      maxTokens: 1500,
      draftDeadlineMs: 1_200_000,
    });
    expect(() => loadConfig({ ...base, LLM_IDLE_MS: "soon" })).toThrow(/LLM_IDLE_MS/);
  });
});

describe("undici's own time limits", () => {
  /** One chat completion request straight through a dispatcher's fetch. */
  const post = (timeoutMs: number) => {
    const { fetch, close } = dispatcherFor({ baseURL: stub.baseURL, timeoutMs });
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "起草" }] });
    return fetch(`${stub.baseURL}/chat/completions`, { method: "POST", body })
      .then((r) => r.status)
      .finally(() => close());
  };

  it("follow LLM_TIMEOUT_MS, not a built-in limit (Node's own fetch cuts at 300 s)", async () => {
    stub.set({ latencyMs: 1_000 });
    try {
      const error = await post(200).then(
        () => null,
        (e: unknown) => e as Error & { cause?: { code?: string } },
      );
      expect(error?.cause?.code).toBe("UND_ERR_HEADERS_TIMEOUT");
      expect(await post(20_000)).toBe(200);
    } finally {
      stub.set({ latencyMs: 0 });
    }
  });
});
