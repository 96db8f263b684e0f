import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { freePort } from "./fake-bot-api.js";

/** Why the Redis fault tests cannot run here, or undefined when they can (in CI they must). */
export function redisMissing(): string | undefined {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (!probe.error && probe.status === 0) return undefined;
  const why = `redis-server is not installed (${probe.error?.message ?? probe.stderr.trim()})`;
  if (process.env.CI) throw new Error(`${why}: .ci/run installs it for the fault tests`);
  return why;
}

/**
 * A redis-server of the test's own, on loopback, that can be killed and started again on the
 * same port and data directory. Every write is in the append-only file before Redis answers it
 * (appendfsync always), so what Redis acknowledged survives a kill.
 */
export class RedisProcess {
  #child: ChildProcess | undefined;
  #log = "";

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(dir: string): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort(), dir);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts redis-server and waits until it accepts connections (10 s at most). */
  async start(): Promise<void> {
    if (this.#child) throw new Error("redis-server is already running");
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--daemonize",
        "no",
        "--logfile",
        "",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.#child = child;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start in 10 s:\n${this.#log}`)),
        10_000,
      );
      const onData = (chunk: Buffer) => {
        this.#log += chunk.toString("utf8");
        if (this.#log.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code ?? signal}):\n${this.#log}`));
      });
    });
    try {
      await ready;
    } catch (error) {
      this.#child = undefined;
      throw error;
    }
  }

  /** Kills redis-server at once (SIGKILL: no shutdown, no final save) and waits for its exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
  }

  /** SIGSTOP / SIGCONT: the server keeps its connections but answers nothing. */
  pause(): void {
    this.#child?.kill("SIGSTOP");
  }

  resume(): void {
    this.#child?.kill("SIGCONT");
  }
}
