import { createReadStream, existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { runBot } from "../bot/run.js";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { LlmClient, llmSettings } from "../llm/client.js";
import { createLogger } from "../log.js";
import { CLI, TERMINAL } from "../messages/zh.js";
import { ProxyError } from "../net/proxy.js";
import { StartupError } from "../net/startup.js";
import { checkStore, describeProblem } from "../store/health.js";
import { Store } from "../store/store.js";
import { loadTemplate, TemplateError } from "../template/load.js";
import { runChat } from "../terminal/chat.js";
import { checkCommand } from "./check.js";
import { doctorCommand } from "./doctor.js";
import { draftCommand } from "./draft.js";

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
        return await checkCommand(rest, stdio, loadConfig().PROMPTS_DIR);
      case "draft":
        return await draftCommand(rest, stdio);
      case "doctor":
        return await doctorCommand(stdio);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(CLI.usage);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`${CLI.unknownCommand(command)}${CLI.usage}`);
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
    process.stdout.write(TERMINAL.noToken);
    return chat([]);
  }
  process.stderr.write(CLI.noTerminal);
  return 1;
}

async function bot(): Promise<number> {
  const config = loadConfig();
  if (!config.TELEGRAM_BOT_TOKEN) {
    process.stderr.write(CLI.needToken);
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
    process.stderr.write(CLI.noScript(values.script));
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
      ...(script === undefined
        ? { prompt: TERMINAL.prompt, bracketedPaste: process.stdout.isTTY === true }
        : {}),
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
