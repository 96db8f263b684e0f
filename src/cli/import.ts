import { InputError, readReportFile } from "../check/read-input.js";
import { type ImportContext, loadImportContext } from "../import/context.js";
import { type PastReport, readPastReport } from "../import/past-report.js";
import { CLI } from "../messages/zh.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate } from "../template/load.js";
import type { CommandIo } from "./check.js";

/**
 * `fazhi-report import FILE [--json]`: reads last year's report. Exit code 0 when it was read,
 * 2 on bad usage or unreadable input (the check command's reader and messages), 1 otherwise.
 */

const M = CLI.importReport;
const E = CLI.check;

type Parsed = { file: string; json: boolean } | "help" | { zh: string; en: string };

function parseArgs(args: string[]): Parsed {
  const files: string[] = [];
  let json = false;
  for (const arg of args) {
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--json") json = true;
    else if (arg.startsWith("-")) return M.unknownOption(arg);
    else files.push(arg);
  }
  if (files.length !== 1) return files.length === 0 ? M.noFile : M.oneFile;
  return { file: files[0] ?? "", json };
}

export async function importCommand(
  args: string[],
  io: CommandIo,
  promptsDir: string = DEFAULT_TEMPLATE_DIR,
): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === "help") {
    io.stdout(M.help);
    return 0;
  }
  if ("zh" in parsed) {
    io.stderr(`${E.error(parsed.zh, parsed.en)}${M.usage}`);
    return 2;
  }
  let text: string;
  try {
    const input = await readReportFile(parsed.file);
    if (input.notice) io.stderr(E.notice(input.notice.zh, input.notice.en));
    text = input.text;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr(E.error(error.messageZh, error.messageEn));
    return 2;
  }
  const ctx = loadImportContext(promptsDir, loadTemplate(promptsDir));
  const report = readPastReport(text, ctx);
  io.stdout(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : describe(report, ctx));
  return 0;
}

/** The plain summary, in the names users know (section titles, not ids). */
function describe(report: PastReport, ctx: ImportContext): string {
  const { org } = report;
  const shown = (v: string | number | null): string => (v === null ? M.unknown : String(v));
  const lines = [
    M.org(shown(org.name), shown(org.kind), shown(org.superior), shown(org.year)),
    M.shortcomings(report.shortcomings.length),
    ...report.shortcomings.map((s) => M.item(s.text)),
    M.plans(report.plans.length),
    ...report.plans.map((p) =>
      M.planItem(p.text, ctx.template.section(p.section)?.title ?? p.section),
    ),
  ];
  return `${lines.join("\n")}\n`;
}
