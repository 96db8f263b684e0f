import { describe, expect, it } from "vitest";
import { type CommandIo, type Message, readArgs } from "../src/cli/args.js";
import { checkCommand } from "../src/cli/check.js";
import { extractCommand } from "../src/cli/extract.js";
import { importCommand } from "../src/cli/import.js";
import type { Config } from "../src/config.js";
import { capturedIo } from "./helpers/command-io.js";

/** The usage handling `check`, `import` and `extract` share (src/cli/args.ts). */

const noFile: Message = { zh: "缺少文件", en: "missing the file" };
const oneFile: Message = { zh: "只能一个文件", en: "one file" };
const badN: Message = { zh: "--n 不对", en: "bad --n" };
const SPEC = {
  flags: {
    json: { type: "boolean" as const },
    n: {
      type: "string" as const,
      check: (v: string | undefined) => (v === "1" ? undefined : badN),
    },
  },
  help: "HELP\n",
  usage: "USAGE\n",
  noFile,
  oneFile,
};

const error = (m: Message) => `错误：${m.zh}\nError: ${m.en}\nUSAGE\n`;
const unknown = (arg: string) => error({ zh: `未知选项“${arg}”`, en: `unknown option "${arg}"` });

describe("readArgs", () => {
  it("returns the files and options as given", () => {
    const { io, out } = capturedIo();
    expect(readArgs(["a.txt", "--json", "--n=1"], SPEC, io)).toEqual({
      files: ["a.txt"],
      values: { json: true, n: "1" },
    });
    expect(readArgs(["--n", "1", "a.txt"], SPEC, io)).toEqual({
      files: ["a.txt"],
      values: { n: "1" },
    });
    expect(out).toEqual({ stdout: "", stderr: "" });
  });

  it.each([
    [["-h"], 0, "HELP\n", ""],
    [["a.txt", "--help", "--bogus"], 0, "HELP\n", ""],
    [["--bogus", "--help"], 2, "", unknown("--bogus")],
    [["--n", "2", "--help"], 2, "", error(badN)],
    [["a.txt", "--n"], 2, "", error(badN)],
    [["a.txt", "-hx"], 2, "", unknown("-hx")],
    [["a.txt", "--json=1"], 2, "", unknown("--json=1")],
    [["a.txt", "--help=1"], 2, "", unknown("--help=1")],
    [["a.txt", "-"], 2, "", unknown("-")],
    [["--", "a.txt"], 2, "", unknown("--")],
    [[], 2, "", error(noFile)],
    [["a.txt", "b.txt"], 2, "", error(oneFile)],
  ])("%j exits %i", (args, code, stdout, stderr) => {
    const { io, out } = capturedIo();
    expect(readArgs(args, SPEC, io)).toBe(code);
    expect(out).toEqual({ stdout, stderr });
  });
});

describe("check, import and extract answer bad usage alike", () => {
  const commands: [string, (args: string[], io: CommandIo) => Promise<number>][] = [
    ["check", (args, io) => checkCommand(args, io)],
    ["import", (args, io) => importCommand(args, io)],
    ["extract", (args, io) => extractCommand(args, io, {} as Config)],
  ];

  it.each(commands)("%s", async (name, run) => {
    const bad = capturedIo();
    expect(await run(["a.txt", "--jsn"], bad.io)).toBe(2);
    expect(bad.out.stdout).toBe("");
    expect(bad.out.stderr).toMatch(
      new RegExp(
        `^错误：未知选项“--jsn”\nError: unknown option "--jsn"\n用法：fazhi-report ${name} `,
      ),
    );
    const help = capturedIo();
    expect(await run(["--help"], help.io)).toBe(0);
    expect(help.out.stdout).toMatch(new RegExp(`^用法：fazhi-report ${name} `));
    expect(help.out.stderr).toBe("");
    const none = capturedIo();
    expect(await run([], none.io)).toBe(2);
    expect(none.out.stderr).toMatch(/^错误：缺少/);
  });
});
