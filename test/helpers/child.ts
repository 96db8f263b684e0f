import type { ChildProcessWithoutNullStreams } from "node:child_process";

/** What a finished process printed, and its exit code (null when a signal ended it). */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Collects a spawned process's output until it closes. */
export function outputOf(child: ChildProcessWithoutNullStreams): Promise<Run> {
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  return new Promise((done) => child.on("close", (code) => done({ code, stdout, stderr })));
}
