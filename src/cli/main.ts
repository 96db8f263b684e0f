import { createReadStream, existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { runBot } from "../bot/run.js";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { LlmClient, llmSettings } from "../llm/client.js";
import { createLogger } from "../log.js";
import { ProxyError } from "../net/proxy.js";
import { StartupError } from "../net/startup.js";
import { checkStore, describeProblem } from "../store/health.js";
import { Store } from "../store/store.js";
import { loadTemplate, TemplateError } from "../template/load.js";
import { runChat } from "../terminal/chat.js";
import { checkCommand } from "./check.js";
import { doctorCommand } from "./doctor.js";
import { draftCommand } from "./draft.js";

const USAGE = `用法 / usage: fazhi-report <command>

  start                     有 TELEGRAM_BOT_TOKEN 时运行 Telegram 机器人，否则在终端中对话
  bot                       运行 Telegram 机器人 (needs TELEGRAM_BOT_TOKEN)
  chat [--script FILE]      在终端中与机器人对话；--script 逐行发送文件内容后退出
  check FILE [--json]       检查报告是否包含必备内容
  draft --answers FILE [--out FILE] [--json]   根据回答起草报告
  doctor                    检查配置、存储、Telegram 与 LLM 连接 / check config, store, Telegram, LLM
`;

const stdio = {
  stdout: (s: string) => void process.stdout.write(s),
  stderr: (s: string) => void process.stderr.write(s),
};

/** The `fazhi-report` command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  loadDotEnv();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "start":
        return await start();
      case "bot":
        return await bot();
      case "chat":
        return await chat(rest);
      case "check":
        return await checkCommand(rest, stdio);
      case "draft":
        return await draftCommand(rest, stdio);
      case "doctor":
        return await doctorCommand(stdio);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`未知命令 / unknown command: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof TemplateError ||
      error instanceof ProxyError
    ) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof StartupError) {
      process.stderr.write(`${error.zh}\n${error.en}\n`);
      return 1;
    }
    throw error;
  }
}

async function start(): Promise<number> {
  const config = loadConfig();
  if (config.TELEGRAM_BOT_TOKEN) return bot();
  if (process.stdin.isTTY && process.stdout.isTTY) {
    process.stdout.write(
      "未设置 TELEGRAM_BOT_TOKEN，现在在终端中对话（与 Telegram 中的机器人相同）。按 Ctrl+D 退出。\n" +
        "TELEGRAM_BOT_TOKEN is not set: chatting in the terminal instead.\n\n",
    );
    return chat([]);
  }
  process.stderr.write(
    "未设置 TELEGRAM_BOT_TOKEN，且当前不是终端，无法启动。请在 .env 中设置 TELEGRAM_BOT_TOKEN，或在终端中运行 npm start。\n" +
      "TELEGRAM_BOT_TOKEN is not set and stdin is not a terminal: set TELEGRAM_BOT_TOKEN (see .env.example).\n",
  );
  return 1;
}

async function bot(): Promise<number> {
  const config = loadConfig();
  if (!config.TELEGRAM_BOT_TOKEN) {
    process.stderr.write(
      "请设置 TELEGRAM_BOT_TOKEN（见 .env.example）。\nTELEGRAM_BOT_TOKEN is required for the Telegram bot.\n",
    );
    return 1;
  }
  if (!(await storeHealthy(config))) return 1;
  await runBot({ config, token: config.TELEGRAM_BOT_TOKEN, ...openAll(config) });
  return 0;
}

async function chat(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { script: { type: "string" } } });
  const config = loadConfig();
  if (values.script !== undefined && !existsSync(values.script)) {
    process.stderr.write(`找不到脚本文件 / script not found: ${values.script}\n`);
    return 2;
  }
  if (!(await storeHealthy(config))) return 1;
  const opened = openAll(config);
  try {
    const script = values.script;
    await runChat({
      ...opened,
      input: script === undefined ? process.stdin : createReadStream(script, "utf8"),
      write: (text) => process.stdout.write(text),
      echo: script !== undefined,
      ...(script === undefined ? { prompt: "你> " } : {}),
    });
  } finally {
    await opened.store.close();
  }
  return 0;
}

/** The start-up health check (store/health.ts); prints what is wrong and where. */
async function storeHealthy(config: Config): Promise<boolean> {
  const problem = await checkStore(config.STORE_URL, config.STORE_NAMESPACE);
  if (problem) process.stderr.write(describeProblem(problem));
  return problem === undefined;
}

function openAll(config: Config) {
  const template = loadTemplate(config.PROMPTS_DIR);
  const logger = createLogger(config.LOG_LEVEL);
  const settings = llmSettings(config);
  return {
    template,
    logger,
    store: Store.open(config.STORE_URL, config.STORE_NAMESPACE),
    ...(settings ? { llm: new LlmClient(settings, logger) } : {}),
  };
}

/** Reads ./.env when present (Node 20's own loader); real environment variables win. */
function loadDotEnv(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
}
