import { Api } from "grammy";
import OpenAI from "openai";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { llmSettings } from "../llm/client.js";
import { DOCTOR } from "../messages/zh.js";
import { telegramAgent, telegramProxy } from "../net/proxy.js";
import { checkStore } from "../store/health.js";
import { redact } from "../text/redact.js";
import { describeProblem } from "./store-problem.js";

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
    print({ status: "ok", ...DOCTOR.config(true) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print({
      status: "fail",
      ...DOCTOR.config(false),
      zh: error.message,
      en: DOCTOR.config(false).en,
    });
    io.stdout(DOCTOR.summary(1));
    return 1;
  }
  print(await storeFinding(config));
  print(await telegramFinding(config, env));
  print(await llmFinding(config));
  const failed = findings.filter((f) => f.status === "fail").length;
  io.stdout(DOCTOR.summary(failed));
  return failed === 0 ? 0 : 1;
}

async function storeFinding(config: Config): Promise<Finding> {
  const problem = await checkStore(config.STORE_URL, config.STORE_NAMESPACE);
  if (!problem) return { status: "ok", ...DOCTOR.store(redact(config.STORE_URL)) };
  const [zh = "", en = ""] = describeProblem(problem).trimEnd().split("\n");
  return { status: "fail", zh, en };
}

async function telegramFinding(config: Config, env: NodeJS.ProcessEnv): Promise<Finding> {
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return { status: "skip", ...DOCTOR.noToken };
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
    const text = DOCTOR.telegramOk(redact(root), via, me.username);
    return {
      status: "ok",
      zh: text.zh,
      en: DOCTOR.telegramOk(redact(root), viaEn, me.username).en,
    };
  } catch (error) {
    const message = redact((error as Error).message);
    return {
      status: "fail",
      zh: DOCTOR.telegramFail(redact(root), via, message).zh,
      en: DOCTOR.telegramFail(redact(root), viaEn, message).en,
    };
  }
}

async function llmFinding(config: Config): Promise<Finding> {
  const settings = llmSettings(config);
  if (!settings) return { status: "skip", ...DOCTOR.noLlm };
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
    return { status: "ok", ...DOCTOR.llmOk(where, settings.model) };
  } catch (error) {
    return {
      status: "fail",
      ...DOCTOR.llmFail(where, settings.model, redact((error as Error).message)),
    };
  }
}
