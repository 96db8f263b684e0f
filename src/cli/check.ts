import { loadChecker } from "../check/checker.js";
import { formatVerdict } from "../check/format.js";
import { InputError, readReportFile } from "../check/read-input.js";
import { CheckerRulesError } from "../check/rules.js";
import { CLI } from "../messages/zh.js";
import { DEFAULT_TEMPLATE_DIR } from "../template/load.js";
import { showControls } from "../text/controls.js";
import { type CommandIo, type CommandSpec, type Flag, inputError, readArgs } from "./args.js";

/**
 * `fazhi-report check FILE [--json] [--year N]`: checks a report (.txt, .md, .docx) against the
 * checklist. Exit code 0 when the check ran, whatever it found; 2 on bad usage or unreadable
 * input; 1 when the checker's own rules are broken (not the user's fault).
 */

const M = CLI.check;

const YEAR = /^(?:199\d|20\d\d|2100)$/;

const ARGS = {
  flags: {
    json: { type: "boolean" },
    year: {
      type: "string",
      check: (v) => (v !== undefined && YEAR.test(v) ? undefined : M.badYear(v)),
    },
  },
  help: M.help,
  usage: M.usage,
  noFile: M.noFile,
  oneFile: M.oneFile,
} satisfies CommandSpec<Record<string, Flag>>;

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
  const parsed = readArgs(args, ARGS, io);
  if (typeof parsed === "number") return parsed;
  const { files, values } = parsed;
  try {
    const input = await readReportFile(files[0] ?? "");
    if (input.notice) io.stderr(M.notice(input.notice.zh, input.notice.en));
    const checker = loadChecker(promptsDir);
    const result = checker.check(
      input.text,
      values.year === undefined ? {} : { year: Number(values.year) },
    );
    io.stdout(
      values.json ? `${JSON.stringify(result, null, 2)}\n` : formatVerdict(result, input.fileName),
    );
    return 0;
  } catch (error) {
    if (error instanceof InputError) return inputError(io, error);
    if (error instanceof CheckerRulesError) {
      io.stderr(M.badRules(error.message));
      return 1;
    }
    throw error;
  }
}
