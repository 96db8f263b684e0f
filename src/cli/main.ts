import { createReadStream, existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { loadTemplate, TemplateError } from "../template/load.js";

// Each command imports what it needs when it runs (`import()` below): most of a command's
// start-up is loading modules, so `check` loads neither grammY, the store, openai nor docx, and
// `draft` no grammY (issue 17; test/build/built-cli.test.ts traces it).

const USAGE = `用法 / usage: fazhi-report <command>

  start                     有 TELEGRAM_BOT_TOKEN 时运行 Telegram 机器人，否则在终端中对话
  bot                       运行 Telegram 机器人 (needs TELEGRAM_BOT_TOKEN)
  chat [--script FILE]      在终端中与机器人对话；--script 逐行发送文件内容后退出
  check FILE [--json]       检查报告是否包含必备内容
  draft --answers FILE [--out FILE] [--json]   根据回答起草报告
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
      case "check": {
        const { checkCommand } = await import("./check.js");
        return await checkCommand(rest, stdio);
      }
      case "draft": {
        const { draftCommand } = await import("./draft.js");
        return await draftCommand(rest, stdio);
      }
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
    if (error instanceof ConfigError || error instanceof TemplateError) {
      process.stderr.write(`${error.message}\n`);
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
  const [{ runBot }, opened] = await Promise.all([import("../bot/run.js"), openAll(config)]);
  await runBot({ config, token: config.TELEGRAM_BOT_TOKEN, ...opened });
  return 0;
}

async function chat(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { script: { type: "string" } } });
  const config = loadConfig();
  if (values.script !== undefined && !existsSync(values.script)) {
    process.stderr.write(`找不到脚本文件 / script not found: ${values.script}\n`);
    return 2;
  }
  const [{ runChat }, opened] = await Promise.all([import("../terminal/chat.js"), openAll(config)]);
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

async function openAll(config: Config) {
  const template = loadTemplate(config.PROMPTS_DIR);
  const logger = createLogger(config.LOG_LEVEL);
  const [{ LlmClient, llmSettings }, { Store }] = await Promise.all([
    import("../llm/client.js"),
    import("../store/store.js"),
  ]);
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
