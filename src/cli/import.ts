import { InputError, readReportFile } from "../check/read-input.js";
import { type ImportContext, loadImportContext } from "../import/context.js";
import { type PastReport, readPastReport } from "../import/past-report.js";
import { CLI } from "../messages/zh.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate } from "../template/load.js";
import { type CommandIo, type CommandSpec, type Flag, inputError, readArgs } from "./args.js";

/**
 * `fazhi-report import FILE [--json]`: reads last year's report. Exit code 0 when it was read,
 * 2 on bad usage or unreadable input (the check command's reader and messages), 1 otherwise.
 */

const M = CLI.importReport;
const E = CLI.check;

const ARGS = {
  flags: { json: { type: "boolean" } },
  help: M.help,
  usage: M.usage,
  noFile: M.noFile,
  oneFile: M.oneFile,
} satisfies CommandSpec<Record<string, Flag>>;

export async function importCommand(
  args: string[],
  io: CommandIo,
  promptsDir: string = DEFAULT_TEMPLATE_DIR,
): Promise<number> {
  const parsed = readArgs(args, ARGS, io);
  if (typeof parsed === "number") return parsed;
  let text: string;
  try {
    const input = await readReportFile(parsed.files[0] ?? "");
    if (input.notice) io.stderr(E.notice(input.notice.zh, input.notice.en));
    text = input.text;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return inputError(io, error);
  }
  const ctx = loadImportContext(promptsDir, loadTemplate(promptsDir));
  const report = readPastReport(text, ctx);
  io.stdout(parsed.values.json ? `${JSON.stringify(report, null, 2)}\n` : describe(report, ctx));
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
