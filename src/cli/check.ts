import { checkReport } from "../check/checker.js";
import { formatVerdict } from "../check/format.js";
import { InputError, readReportFile } from "../check/read-input.js";
import { CheckerRulesError } from "../check/rules.js";
import { showControls } from "../text/controls.js";

/**
 * `fazhi-report check FILE [--json] [--year N]`: checks a report (.txt, .md, .docx) against the
 * checklist. Exit code 0 when the check ran, whatever it found; 2 on bad usage or unreadable
 * input; 1 when the checker's own rules are broken (not the user's fault).
 */

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE_ZH = "用法：fazhi-report check 文件 [--json] [--year 年份]";
const USAGE_EN = "usage: fazhi-report check FILE [--json] [--year N]";
const HELP = `${USAGE_ZH}
${USAGE_EN}

检查一份法治政府建设年度报告（.docx、.txt、.md）缺少哪些必备内容。
Checks an annual rule-of-law report (.docx, .txt, .md) for the required items.

  --json       输出 JSON / print JSON
  --year N     报告年度（默认取标题中的年份）/ report year (default: the year in the title)
`;

interface Parsed {
  file: string;
  json: boolean;
  year?: number;
}

class UsageError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const YEAR = /^(?:199\d|20\d\d|2100)$/;

function parseYear(value: string | undefined): number {
  if (value === undefined || !YEAR.test(value)) {
    throw new UsageError(
      `--year 需要一个四位年份，例如 --year 2024（收到：${value ?? "无"}）`,
      `--year needs a four-digit year such as --year 2024 (got: ${value ?? "nothing"})`,
    );
  }
  return Number(value);
}

function parseArgs(args: string[]): Parsed | "help" {
  const files: string[] = [];
  let json = false;
  let year: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--json") json = true;
    else if (arg === "--year") year = parseYear(args[++i]);
    else if (arg.startsWith("--year=")) year = parseYear(arg.slice("--year=".length));
    else if (arg.startsWith("-")) {
      throw new UsageError(`未知选项“${arg}”`, `unknown option "${arg}"`);
    } else files.push(arg);
  }
  if (files.length !== 1) {
    throw new UsageError(
      files.length === 0 ? "缺少要检查的文件" : "一次只能检查一个文件",
      files.length === 0 ? "missing the file to check" : "check one file at a time",
    );
  }
  return { file: files[0] ?? "", json, ...(year === undefined ? {} : { year }) };
}

export async function checkCommand(args: string[], rawIo: CommandIo): Promise<number> {
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
    io.stderr(`错误：${error.zh}\nError: ${error.en}\n${USAGE_ZH}\n${USAGE_EN}\n`);
    return 2;
  }
  if (parsed === "help") {
    io.stdout(HELP);
    return 0;
  }
  try {
    const input = await readReportFile(parsed.file);
    if (input.notice) io.stderr(`提示：${input.notice.zh}\nNote: ${input.notice.en}\n`);
    const result = checkReport(input.text, parsed.year === undefined ? {} : { year: parsed.year });
    io.stdout(
      parsed.json ? `${JSON.stringify(result, null, 2)}\n` : formatVerdict(result, input.fileName),
    );
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`错误：${error.messageZh}\nError: ${error.messageEn}\n`);
      return 2;
    }
    if (error instanceof CheckerRulesError) {
      io.stderr(
        `检查规则文件有误：${error.message}\nChecker rules are invalid: ${error.message}\n`,
      );
      return 1;
    }
    throw error;
  }
}
