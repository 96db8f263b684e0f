import { type ChildProcess, spawn } from "node:child_process";

/** The prompt the interactive terminal chat prints before it reads each line. */
export const PROMPT = "你> ";
/** How an answer is acknowledged; printed only once the answer is persisted. */
export const ACK = /(?:^|\n)✅ 已(保存|更新|补充)：/;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * `node bin/fazhi-report.js chat` as a child process, fed line by line on stdin. Its stdout is
 * `PROMPT reply₁ PROMPT reply₂ PROMPT …`: the chat prints the prompt, then, for each line it
 * reads, all the replies to that line in one write, then the prompt again. So the n-th piece
 * between prompts is the answer to the n-th line written, which is how replies are mapped to
 * lines without trusting any timing.
 */
export class ChatProcess {
  readonly child: ChildProcess;
  /** Every line written to stdin, in order. */
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  #stdout = "";
  #stderr = "";
  #exit: Exit | undefined;
  #listeners = new Set<() => void>();

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ["bin/fazhi-report.js", "chat"], {
      cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const { stdin, stdout, stderr } = this.child;
    if (!stdin || !stdout || !stderr) throw new Error("child without pipes");
    // Writing to a child just killed fails with EPIPE: the line is simply never read.
    stdin.on("error", () => {});
    stdout.setEncoding("utf8");
    stderr.setEncoding("utf8");
    stdout.on("data", (chunk: string) => {
      this.#stdout += chunk;
      this.#notify();
    });
    stderr.on("data", (chunk: string) => {
      this.#stderr += chunk;
    });
    // "close" comes after the pipes are drained: everything the child wrote has been read.
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        this.#exit = { code, signal };
        this.#notify();
        resolve(this.#exit);
      });
    });
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Writes lines in one write (a burst when several); returns the index of the first. */
  write(...lines: string[]): number {
    const first = this.lines.length;
    this.lines.push(...lines);
    this.child.stdin?.write(`${lines.join("\n")}\n`);
    return first;
  }

  /** Ends stdin: the chat exits after handling what it has read. */
  end(): void {
    this.child.stdin?.end();
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }

  /**
   * The replies printed so far, one per line read, in order: `replies[i]` answers `lines[i]`.
   * `complete` counts the replies followed by a prompt; the last one may lack its prompt when the
   * child died between the two writes, and it still counts as printed.
   */
  replies(): { replies: string[]; complete: number } {
    const pieces = this.#stdout.split(PROMPT);
    // pieces[0] is what came before the first prompt (the greeting); the last piece is still open.
    const replies = pieces.slice(1);
    const open = replies.at(-1);
    if (open === "") replies.pop();
    return { replies, complete: Math.max(0, pieces.length - 2) };
  }

  /** Whether the reply to `lines[index]` has been printed and acknowledges an answer. */
  acked(index: number): boolean {
    const reply = this.replies().replies[index];
    return reply !== undefined && ACK.test(reply);
  }

  /** Resolves once the reply to `lines[index]` is complete. */
  replyTo(index: number, timeoutMs = 15_000): Promise<void> {
    return this.until(
      () => this.replies().complete > index,
      `the reply to line ${index}`,
      timeoutMs,
    );
  }

  /** Resolves once the reply to `lines[index]` shows an acknowledgement (checked on each chunk). */
  ackOf(index: number, timeoutMs = 15_000): Promise<void> {
    return this.until(() => this.acked(index), `the ack of line ${index}`, timeoutMs);
  }

  /** Resolves once `condition` holds; rejects when the child exits first or on timeout. */
  until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) {
          done();
          resolve();
        } else if (this.#exit) {
          done();
          reject(this.#failure(`exited (${JSON.stringify(this.#exit)}) before ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(this.#failure(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
    });
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #failure(message: string): Error {
    return new Error(
      `chat child ${message}\n--- lines ---\n${this.lines.join("\n")}\n--- stdout (tail) ---\n${this.#stdout.slice(-2000)}\n--- stderr ---\n${this.#stderr.slice(-2000)}`,
    );
  }
}
