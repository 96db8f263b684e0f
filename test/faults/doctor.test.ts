import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { LOCAL_BOT_INFO } from "../../src/bot/local-api.js";
import { doctorCommand } from "../../src/cli/doctor.js";
import { tempDir } from "../helpers/harness.js";
import { type OpenAIStub, startOpenAIStub } from "../stub/openai-stub.js";
import { FakeBotApi, freePort } from "./fake-bot-api.js";
import { startHttpProxy, type TestProxy } from "./proxies.js";

/** `fazhi-report doctor`: every check in Chinese and English, exit 0 when none failed. */
const TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function doctor(env: Record<string, string>): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await doctorCommand(
    {
      stdout: (s) => {
        out += s;
      },
    },
    env,
  );
  return { code, out };
}

async function services(): Promise<{ api: FakeBotApi; llm: OpenAIStub; proxy: TestProxy }> {
  const api = new FakeBotApi(TOKEN, LOCAL_BOT_INFO);
  await api.start();
  const llm = await startOpenAIStub();
  const proxy = await startHttpProxy();
  closers.push(
    () => api.close(),
    () => llm.close(),
    () => proxy.close(),
  );
  return { api, llm, proxy };
}

describe("doctor", () => {
  it("passes every check, through the proxy, with a one-token LLM call", async () => {
    const { api, llm, proxy } = await services();
    const { code, out } = await doctor({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      HTTPS_PROXY: proxy.url.replace("http://", "http://ops:pw@"),
      STORE_URL: `sqlite://${join(tmp.dir, "ok.sqlite")}`,
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: "sk-test-0123456789abcdef",
      LLM_MODEL: "stub-model",
    });
    expect(out.split("\n").filter((l) => /^[✓✗-] /.test(l))).toEqual([
      "✓ 配置",
      `✓ 存储可读写（sqlite://${join(tmp.dir, "ok.sqlite")}）`,
      `✓ Telegram Bot API 可访问（${api.apiRoot}，经代理 http://ops:***@${proxy.url.slice(7)}），机器人 @${LOCAL_BOT_INFO.username}`,
      `✓ LLM 接口可用（${llm.baseURL}，模型 stub-model）`,
    ]);
    expect(out).toContain("  Telegram Bot API reachable (");
    expect(out.endsWith("全部检查通过。\nAll checks passed.\n")).toBe(true);
    expect(code).toBe(0);
    expect(proxy.targets).toEqual([new URL(api.apiRoot).host]);
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]?.body.max_tokens).toBe(1);
    expect(out).not.toContain("pw@");
    expect(out).not.toContain("sk-test");
  });

  it("skips Telegram and the LLM when they are not configured", async () => {
    const { code, out } = await doctor({ STORE_URL: "memory://" });
    expect(code).toBe(0);
    expect(out).toContain("- Telegram：未设置 TELEGRAM_BOT_TOKEN，跳过");
    expect(out).toContain("- LLM：未配置 OPENAI_API_KEY / OPENAI_BASE_URL，跳过");
  });

  it("fails on a corrupt store, an unreachable Bot API and a failing LLM, and exits 1", async () => {
    const { llm } = await services();
    llm.set({ failures: { kind: "always", status: 401 } });
    const corrupt = join(tmp.dir, "corrupt.sqlite");
    writeFileSync(corrupt, "not a database at all, just text".repeat(10));
    const root = `http://127.0.0.1:${await freePort()}`;
    const { code, out } = await doctor({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: root,
      STORE_URL: `sqlite://${corrupt}`,
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: "sk-test-0123456789abcdef",
    });
    expect(code).toBe(1);
    expect(out).toContain(`✗ 存储检查失败（${corrupt}）：数据库文件已损坏或不是 SQLite 数据库`);
    expect(out).toContain(`✗ 无法访问 Telegram Bot API（${root}）：`);
    expect(out).toContain("请设置 HTTPS_PROXY 或 TELEGRAM_PROXY");
    expect(out).toMatch(/✗ LLM 接口不可用（.*）：401/);
    expect(out).not.toContain(TOKEN.split(":")[1]);
    expect(out.endsWith("3 项检查未通过。\n3 check(s) failed.\n")).toBe(true);
  });

  it("is a subcommand of the CLI, and names a configuration error", async () => {
    const child = spawn(process.execPath, [resolve("bin/fazhi-report.js"), "doctor"], {
      cwd: tmp.dir,
      env: {
        PATH: process.env.PATH ?? "",
        TELEGRAM_BOT_TOKEN: "not-a-token",
        STORE_URL: "memory://",
      },
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(code).toBe(1);
    expect(out).toContain(
      "✗ 配置有误 / invalid configuration:\nTELEGRAM_BOT_TOKEN: expected the form 123456:ABC-DEF…",
    );
  });
});
