import type { CommandIo } from "../../src/cli/args.js";

/** Where a command run in-process prints, and what it printed so far. */
export function capturedIo(): { io: CommandIo; out: { stdout: string; stderr: string } } {
  const out = { stdout: "", stderr: "" };
  const io: CommandIo = {
    stdout: (s) => {
      out.stdout += s;
    },
    stderr: (s) => {
      out.stderr += s;
    },
  };
  return { io, out };
}
