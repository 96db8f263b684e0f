import { Api } from "grammy";
import OpenAI from "openai";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { llmSettings } from "../llm/client.js";
import { telegramAgent, telegramProxy } from "../net/proxy.js";
import { checkStore, describeProblem } from "../store/health.js";
import { redact } from "../text/redact.js";

/**
 * `fazhi-report doctor`: the command an operator runs first. Checks, in order, the
 * configuration, the store (open, write, read, delete a probe key), the Telegram Bot API (one
 * getMe, through the proxy the bot would use) and the LLM endpoint (a one-token completion), and
 * prints each in Chinese and English. Exit 0 when nothing failed (skipped checks do not fail), 1
 * otherwise. Every URL is shown redacted.
 */

export interface DoctorIo {
  stdout: (s: string) => void;
}

type Status = "ok" | "skip" | "fail";

interface Finding {
  status: Status;
  zh: string;
  en: string;
}

/** One network check gives up after this long. */
const CHECK_TIMEOUT_MS = 15_000;
const TELEGRAM_API = "https://api.telegram.org";

const MARK: Record<Status, string> = { ok: "✓", skip: "-", fail: "✗" };

const TEXT = {
  config: (ok: boolean) =>
    ok ? { zh: "配置", en: "configuration" } : { zh: "配置有误", en: "invalid configuration" },
  store: (where: string) => ({
    zh: `存储可读写（${where}）`,
    en: `store reads and writes (${where})`,
  }),
  noToken: {
    zh: "Telegram：未设置 TELEGRAM_BOT_TOKEN，跳过（npm start 将在终端中对话）",
    en: "Telegram: TELEGRAM_BOT_TOKEN is not set, skipped (npm start chats in the terminal)",
  },
  telegramOk: (root: string, via: string, username: string) => ({
    zh: `Telegram Bot API 可访问（${root}${via}），机器人 @${username}`,
    en: `Telegram Bot API reachable (${root}${via}), bot @${username}`,
  }),
  telegramFail: (root: string, via: string, error: string) => ({
    zh: `无法访问 Telegram Bot API（${root}${via}）：${error}。请设置 HTTPS_PROXY 或 TELEGRAM_PROXY，或检查 TELEGRAM_API_ROOT 与令牌`,
    en: `cannot use the Telegram Bot API (${root}${via}): ${error}. Set HTTPS_PROXY or TELEGRAM_PROXY, or check TELEGRAM_API_ROOT and the token`,
  }),
  noLlm: {
    zh: "LLM：未配置 OPENAI_API_KEY / OPENAI_BASE_URL，跳过（起草使用离线生成）",
    en: "LLM: OPENAI_API_KEY / OPENAI_BASE_URL not set, skipped (drafts use the offline composer)",
  },
  llmOk: (where: string, model: string) => ({
    zh: `LLM 接口可用（${where}，模型 ${model}）`,
    en: `LLM endpoint works (${where}, model ${model})`,
  }),
  llmFail: (where: string, model: string, error: string) => ({
    zh: `LLM 接口不可用（${where}，模型 ${model}）：${error}`,
    en: `LLM endpoint failed (${where}, model ${model}): ${error}`,
  }),
  summary: (failed: number) =>
    failed === 0
      ? "全部检查通过。\nAll checks passed.\n"
      : `${failed} 项检查未通过。\n${failed} check(s) failed.\n`,
};

export async function doctorCommand(
  io: DoctorIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const findings: Finding[] = [];
  const print = (finding: Finding): void => {
    findings.push(finding);
    io.stdout(`${MARK[finding.status]} ${finding.zh}\n  ${finding.en}\n`);
  };
  let config: Config;
  try {
    config = loadConfig(env);
    print({ status: "ok", ...TEXT.config(true) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print({ status: "fail", ...TEXT.config(false), zh: error.message, en: TEXT.config(false).en });
    io.stdout(TEXT.summary(1));
    return 1;
  }
  print(await storeFinding(config));
  print(await telegramFinding(config, env));
  print(await llmFinding(config));
  const failed = findings.filter((f) => f.status === "fail").length;
  io.stdout(TEXT.summary(failed));
  return failed === 0 ? 0 : 1;
}

async function storeFinding(config: Config): Promise<Finding> {
  const problem = await checkStore(config.STORE_URL, config.STORE_NAMESPACE);
  if (!problem) return { status: "ok", ...TEXT.store(redact(config.STORE_URL)) };
  const [zh = "", en = ""] = describeProblem(problem).trimEnd().split("\n");
  return { status: "fail", zh, en };
}

async function telegramFinding(config: Config, env: NodeJS.ProcessEnv): Promise<Finding> {
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return { status: "skip", ...TEXT.noToken };
  const root = config.TELEGRAM_API_ROOT ?? TELEGRAM_API;
  const proxy = telegramProxy(root, env);
  const via = proxy ? `，经代理 ${redact(proxy)}` : "";
  const viaEn = proxy ? `, through ${redact(proxy)}` : "";
  try {
    const agent = telegramAgent(root, env);
    const api = new Api(token, {
      apiRoot: root,
      timeoutSeconds: CHECK_TIMEOUT_MS / 1000,
      ...(agent ? { baseFetchConfig: { agent } } : {}),
    });
    const me = await api.getMe();
    const text = TEXT.telegramOk(redact(root), via, me.username);
    return { status: "ok", zh: text.zh, en: TEXT.telegramOk(redact(root), viaEn, me.username).en };
  } catch (error) {
    const message = redact((error as Error).message);
    return {
      status: "fail",
      zh: TEXT.telegramFail(redact(root), via, message).zh,
      en: TEXT.telegramFail(redact(root), viaEn, message).en,
    };
  }
}

async function llmFinding(config: Config): Promise<Finding> {
  const settings = llmSettings(config);
  if (!settings) return { status: "skip", ...TEXT.noLlm };
  const where = redact(settings.baseURL ?? "https://api.openai.com/v1");
  const client = new OpenAI({
    apiKey: settings.apiKey,
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    timeout: CHECK_TIMEOUT_MS,
    maxRetries: 0,
  });
  try {
    await client.chat.completions.create({
      model: settings.model,
      max_tokens: 1,
      messages: [{ role: "user", content: "你好" }],
    });
    return { status: "ok", ...TEXT.llmOk(where, settings.model) };
  } catch (error) {
    return {
      status: "fail",
      ...TEXT.llmFail(where, settings.model, redact((error as Error).message)),
    };
  }
}
