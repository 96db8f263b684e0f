import { loadChecker } from "../check/checker.js";
import { formatVerdict } from "../check/format.js";
import { InputError, readReportFile } from "../check/read-input.js";
import { CheckerRulesError } from "../check/rules.js";
import { CLI } from "../messages/zh.js";
import { DEFAULT_TEMPLATE_DIR } from "../template/load.js";
import { showControls } from "../text/controls.js";
import { type CommandIo, type CommandSpec, type Flag, inputError, readArgs } from "./args.js";

/**
 * `fazhi-report check FILE [--json] [--year N] [--last-year FILE]`: checks a report (.txt, .md,
 * .docx) against the checklist, and with --last-year which of last year's plan items it mentions.
 * Exit code 0 when the check ran, whatever it found; 2 on bad usage or unreadable input; 1 when
 * the checker's own rules are broken (not the user's fault).
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
    /** Last year's report: its plan items are looked for in this year's. */
    "last-year": {
      type: "string",
      check: (v) => (v !== undefined && v !== "" ? undefined : M.noLastYear),
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
    // Only --last-year loads the import rules and the template: a plain check stays light.
    const lastYear = values["last-year"];
    const last = lastYear
      ? await (await import("./check-last-year.js")).lastYearPlans(
          lastYear,
          input.text,
          promptsDir,
          io,
        )
      : undefined;
    if (values.json) {
      const json = last ? { ...result, lastYearPlans: last.plans } : result;
      io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.stdout(formatVerdict(result, input.fileName) + (last?.text ?? ""));
    }
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
