import { homedir } from "node:os";
import { basename } from "node:path";
import type { Checker } from "../check/checker.js";
import { formatVerdict } from "../check/format.js";
import { readReportFile } from "../check/read-input.js";
import { CHECKING } from "../messages/zh.js";

/**
 * Checks a report file on this machine's disk (the terminal chat's `/check 路径`): read as the
 * check CLI reads it (.docx/.txt/.md, the same size and length limits as an upload), then the
 * same verdict as for a sent document. An unreadable file throws InputError (Chinese message).
 */
export async function checkReportFile(checker: Checker, path: string): Promise<string> {
  const input = await readReportFile(path.replace(/^~(?=\/)/, homedir()));
  const notice = input.notice ? CHECKING.notice(input.notice.zh) : "";
  return notice + formatVerdict(checker.check(input.text), basename(input.fileName));
}
