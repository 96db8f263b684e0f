import { accessSync, constants } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { InputError } from "../check/read-input.js";
import { CLI } from "../messages/zh.js";

/**
 * What the commands share. The file commands (`check`, `import`, `extract`) read their arguments
 * here: -h/--help prints the command's help (exit 0); an unknown option, a bad option value or a
 * wrong number of files prints the error in Chinese and English, then the usage (exit 2).
 * Arguments are read in order and the first problem wins, so `--year x --help` is a bad year.
 * node:util's parseArgs splits the tokens; its own strict errors are English only, hence the
 * checks here.
 */

/** Where a command prints. */
export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** A message for the user, in Chinese and English. */
export interface Message {
  zh: string;
  en: string;
}

/** An option: a switch, or one that takes a value, checked as soon as it is read. */
export type Flag =
  | { type: "boolean" }
  | { type: "string"; check: (value: string | undefined) => Message | undefined };

export interface CommandSpec<F extends Record<string, Flag>> {
  flags: F;
  help: string;
  /** Printed after a usage error; ends with a newline. */
  usage: string;
  /** The error when no file is given. */
  noFile: Message;
  /** Set when the command takes exactly one file: the error for more. */
  oneFile?: Message;
}

export type FlagValues<F extends Record<string, Flag>> = {
  [K in keyof F]?: F[K] extends { type: "string" } ? string : true;
};

export interface CommandArgs<F extends Record<string, Flag>> {
  files: string[];
  values: FlagValues<F>;
}

/** The files and options of a command line, or the exit code when help or an error was printed. */
export function readArgs<F extends Record<string, Flag>>(
  args: string[],
  spec: CommandSpec<F>,
  io: CommandIo,
): CommandArgs<F> | number {
  const read = readTokens(args, spec);
  if (read === "help") {
    io.stdout(spec.help);
    return 0;
  }
  if ("zh" in read) return usageError(io, read, spec.usage);
  if (read.files.length === 0) return usageError(io, spec.noFile, spec.usage);
  if (spec.oneFile && read.files.length > 1) return usageError(io, spec.oneFile, spec.usage);
  return read;
}

/** Unreadable input (missing, too large, damaged, wrong type): its message, exit 2. */
export function inputError(io: CommandIo, error: InputError): number {
  io.stderr(CLI.check.error(error.messageZh, error.messageEn));
  return 2;
}

/** Whether an output file can be created: its folder exists and is writable. */
export function writableDir(file: string): boolean {
  try {
    accessSync(dirname(resolve(file)), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function usageError(io: CommandIo, message: Message, usage: string): number {
  io.stderr(`${CLI.check.error(message.zh, message.en)}${usage}`);
  return 2;
}

function readTokens<F extends Record<string, Flag>>(
  args: string[],
  spec: CommandSpec<F>,
): CommandArgs<F> | "help" | Message {
  const options = Object.fromEntries(
    Object.entries(spec.flags).map(([name, flag]) => [name, { type: flag.type }]),
  );
  const { tokens } = parseArgs({
    args,
    options: { ...options, help: { type: "boolean", short: "h" } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const files: string[] = [];
  const values: Record<string, string | true> = {};
  for (const token of tokens) {
    // "--" and a lone "-" are no file names here; "-hx" and "--json=1" are no known options.
    const raw = args[token.index] ?? "";
    if (token.kind === "positional" && raw !== "-") {
      files.push(token.value);
      continue;
    }
    if (token.kind !== "option") return CLI.unknownOption(raw);
    if (token.name === "help" && (raw === "-h" || raw === "--help")) return "help";
    const flag = spec.flags[token.name];
    if (flag?.type === "boolean" && raw === `--${token.name}`) values[token.name] = true;
    else if (
      flag?.type === "string" &&
      (raw === `--${token.name}` || raw.startsWith(`--${token.name}=`))
    ) {
      const problem = flag.check(token.value);
      if (problem) return problem;
      values[token.name] = token.value ?? "";
    } else return CLI.unknownOption(raw);
  }
  return { files, values: values as FlagValues<F> };
}
