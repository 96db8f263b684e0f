import { loadChecker } from "../check/checker.js";
import { formatVerdict } from "../check/format.js";
import { InputError, readReportFile } from "../check/read-input.js";
import { CheckerRulesError } from "../check/rules.js";
import { CLI } from "../messages/zh.js";
import { DEFAULT_TEMPLATE_DIR } from "../template/load.js";
import { showControls } from "../text/controls.js";

/**
 * `fazhi-report check FILE [--json] [--year N] [--last-year FILE]`: checks a report (.txt, .md,
 * .docx) against the checklist, and with --last-year which of last year's plan items it mentions. Exit code 0 when the check ran, whatever it found; 2 on bad usage or unreadable
 * input; 1 when the checker's own rules are broken (not the user's fault).
 */

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const M = CLI.check;

interface Parsed {
  file: string;
  json: boolean;
  year?: number;
  /** Last year's report: its plan items are looked for in this year's. */
  lastYear?: string;
}

class UsageError extends Error {
  readonly zh: string;
  readonly en: string;

  constructor(message: { zh: string; en: string }) {
    super(message.en);
    this.zh = message.zh;
    this.en = message.en;
  }
}

const YEAR = /^(?:199\d|20\d\d|2100)$/;

function parseYear(value: string | undefined): number {
  if (value === undefined || !YEAR.test(value)) {
    throw new UsageError(M.badYear(value));
  }
  return Number(value);
}

function parseArgs(args: string[]): Parsed | "help" {
  const files: string[] = [];
  let json = false;
  let year: number | undefined;
  let lastYear: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--json") json = true;
    else if (arg === "--year") year = parseYear(args[++i]);
    else if (arg.startsWith("--year=")) year = parseYear(arg.slice("--year=".length));
    else if (arg === "--last-year") lastYear = lastYearFile(args[++i]);
    else if (arg.startsWith("--last-year=")) lastYear = lastYearFile(arg.slice(12));
    else if (arg.startsWith("-")) {
      throw new UsageError(M.unknownOption(arg));
    } else files.push(arg);
  }
  if (files.length !== 1) {
    throw new UsageError(files.length === 0 ? M.noFile : M.oneFile);
  }
  return {
    file: files[0] ?? "",
    json,
    ...(year === undefined ? {} : { year }),
    ...(lastYear === undefined ? {} : { lastYear }),
  };
}

function lastYearFile(value: string | undefined): string {
  if (value === undefined || value === "") throw new UsageError(M.noLastYear);
  return value;
}

/** `promptsDir`: the report-type folder whose checklist and checker rules apply. */
export async function checkCommand(
  args: string[],
  rawIo: CommandIo,
  promptsDir: string = DEFAULT_TEMPLATE_DIR,
): Promise<number> {
  // File names and report text reach the terminal: their control characters are shown escaped.
  const io: CommandIo = {
    stdout: (s) => rawIo.stdout(showControls(s)),
    stderr: (s) => rawIo.stderr(showControls(s)),
  };
  let parsed: Parsed | "help";
  try {
    parsed = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${M.error(error.zh, error.en)}${M.usage}\n`);
    return 2;
  }
  if (parsed === "help") {
    io.stdout(M.help);
    return 0;
  }
  try {
    const input = await readReportFile(parsed.file);
    if (input.notice) io.stderr(M.notice(input.notice.zh, input.notice.en));
    const checker = loadChecker(promptsDir);
    const result = checker.check(
      input.text,
      parsed.year === undefined ? {} : { year: parsed.year },
    );
    // Only --last-year loads the import rules and the template: a plain check stays light.
    const last = parsed.lastYear
      ? await (await import("./check-last-year.js")).lastYearPlans(
          parsed.lastYear,
          input.text,
          promptsDir,
          io,
        )
      : undefined;
    if (parsed.json) {
      const json = last ? { ...result, lastYearPlans: last.plans } : result;
      io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.stdout(formatVerdict(result, input.fileName) + (last?.text ?? ""));
    }
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(M.error(error.messageZh, error.messageEn));
      return 2;
    }
    if (error instanceof CheckerRulesError) {
      io.stderr(M.badRules(error.message));
      return 1;
    }
    throw error;
  }
}
