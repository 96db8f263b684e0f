import { createReadStream, existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { ImportRulesError } from "../import/rules.js";
import { createLogger } from "../log.js";
import { CLI, TERMINAL } from "../messages/zh.js";
import { ProxyError, StartupError } from "../net/errors.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate, TemplateError } from "../template/load.js";

// Each command imports what it needs when it runs (`import()` below): most of a command's
// start-up is loading modules, so `check` loads neither grammY, the store, openai nor docx, and
// `draft` no grammY (issue 17; test/build/built-cli.test.ts traces it).

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
        return await checkCommand(rest, stdio, loadConfig().PROMPTS_DIR);
      }
      case "draft": {
        const { draftCommand } = await import("./draft.js");
        return await draftCommand(rest, stdio);
      }
      case "doctor": {
        const { doctorCommand } = await import("./doctor.js");
        return await doctorCommand(stdio);
      }
      case "import": {
        const { importCommand } = await import("./import.js");
        return await importCommand(rest, stdio, loadConfig().PROMPTS_DIR);
      }
      case "extract": {
        const { extractCommand } = await import("./extract.js");
        return await extractCommand(rest, stdio, loadConfig());
      }
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
      error instanceof ProxyError ||
      error instanceof ImportRulesError
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
  const [{ runBot }, opened] = await Promise.all([import("../bot/run.js"), openAll(config)]);
  await runBot({ config, token: config.TELEGRAM_BOT_TOKEN, ...opened });
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
  const [{ runChat }, { loadImportContext }, opened] = await Promise.all([
    import("../terminal/chat.js"),
    import("../import/context.js"),
    openAll(config),
  ]);
  try {
    const script = values.script;
    await runChat({
      ...opened,
      imports: loadImportContext(config.PROMPTS_DIR ?? DEFAULT_TEMPLATE_DIR, opened.template),
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
  const [{ checkStore }, { describeProblem }] = await Promise.all([
    import("../store/health.js"),
    import("./store-problem.js"),
  ]);
  const problem = await checkStore(config.STORE_URL, config.STORE_NAMESPACE);
  if (problem) process.stderr.write(describeProblem(problem));
  return problem === undefined;
}

async function openAll(config: Config) {
  const template = loadTemplate(config.PROMPTS_DIR);
  const logger = createLogger(config.LOG_LEVEL);
  const { llmSettings } = await import("../llm/settings.js");
  const settings = llmSettings(config);
  // The openai SDK (~150 modules) only when an LLM is configured.
  const [client, { Store }] = await Promise.all([
    settings ? import("../llm/client.js") : undefined,
    import("../store/store.js"),
  ]);
  return {
    template,
    logger,
    store: Store.open(config.STORE_URL, config.STORE_NAMESPACE),
    ...(settings && client ? { llm: new client.LlmClient(settings, logger) } : {}),
  };
}

/** Reads ./.env when present (Node 20's own loader); real environment variables win. */
function loadDotEnv(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
}
