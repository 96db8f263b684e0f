import { homedir } from "node:os";
import { basename } from "node:path";
import type { Checker } from "../check/checker.js";
import { formatVerdict } from "../check/format.js";
import { readReportFile } from "../check/read-input.js";
import type { LastYearPlan, LastYearReport } from "../domain/types.js";
import type { ImportContext } from "../import/context.js";
import { accountForPlans } from "../import/plans-accounted.js";
import { plansLines } from "../interview/views.js";
import { CHECKING } from "../messages/zh.js";
import type { Store } from "../store/store.js";

/**
 * Checks a report file on this machine's disk (the terminal chat's `/check 路径`): read as the
 * check CLI reads it (.docx/.txt/.md, the same size and length limits as an upload), then the
 * same verdict as for a sent document. An unreadable file throws InputError (Chinese message).
 */
export async function checkReportFile(
  checker: Checker,
  path: string,
  plansFor?: (text: string) => Promise<LastYearPlan[] | undefined>,
): Promise<string> {
  const input = await readReportFile(path.replace(/^~(?=\/)/, homedir()));
  const notice = input.notice ? CHECKING.notice(input.notice.zh) : "";
  const file = { text: input.text, fileName: basename(input.fileName) };
  return notice + verdictWithPlans(checker, file, await plansFor?.(input.text));
}

/** What last year's plans accounted for needs: the import rules and the office's record. */
export interface PlanCheckDeps {
  store: Store;
  imports?: ImportContext;
}

/**
 * The sibling of the checker's plan-answers-problems: which of last year's plan items a report
 * mentions. Pure; the check of a file, a draft and the CLI's --last-year all come here.
 */
export function accountForLastYear(
  text: string,
  lastYear: Pick<LastYearReport, "plans">,
  imports: ImportContext,
): LastYearPlan[] {
  return accountForPlans(text, lastYear.plans, imports).map(({ text, section, mentioned }) => ({
    text,
    section,
    mentioned,
  }));
}

/** The plans of a user's office for a report they check; none for a stranger or without a record. */
export async function plansOfMember(
  deps: PlanCheckDeps,
  userId: number,
  text: string,
): Promise<LastYearPlan[] | undefined> {
  if (!deps.imports) return undefined;
  const member = await deps.store.getMember(userId);
  const lastYear = member && (await deps.store.getLastYear(member.orgId));
  if (!lastYear || lastYear.plans.length === 0) return undefined;
  return accountForLastYear(text, lastYear, deps.imports);
}

/** A check's verdict, followed by last year's plans accounted for when there are any. */
export function verdictWithPlans(
  checker: Checker,
  file: { text: string; fileName: string },
  plans: readonly LastYearPlan[] | undefined,
): string {
  const lines = plansLines(plans);
  const tail = lines.length > 0 ? `\n${lines.join("\n")}\n` : "";
  return formatVerdict(checker.check(file.text), file.fileName) + tail;
}
