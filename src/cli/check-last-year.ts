import { accountForLastYear } from "../app/checking.js";
import { readReportFile } from "../check/read-input.js";
import type { LastYearPlan } from "../domain/types.js";
import { loadImportContext } from "../import/context.js";
import { readPastReport } from "../import/past-report.js";
import { plansLines } from "../interview/views.js";
import { CLI } from "../messages/zh.js";
import { loadTemplate } from "../template/load.js";
import type { CommandIo } from "./args.js";

/**
 * `check --last-year FILE`: last year's report, read as `import` reads it, and which of its plan
 * items the checked report mentions (the same reader and rules as the chat's check and draft
 * summary). Loaded only with the flag.
 */
export async function lastYearPlans(
  file: string,
  text: string,
  promptsDir: string,
  io: CommandIo,
): Promise<{ plans: LastYearPlan[]; text: string }> {
  const input = await readReportFile(file);
  if (input.notice) io.stderr(CLI.check.notice(input.notice.zh, input.notice.en));
  const imports = loadImportContext(promptsDir, loadTemplate(promptsDir));
  const plans = accountForLastYear(text, readPastReport(input.text, imports), imports);
  const lines = plansLines(plans);
  return { plans, text: lines.length > 0 ? `\n${lines.join("\n")}\n` : "" };
}
