import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Runs `fazhi-report chat --script` as a user would: the script `lines` written to `dir`, the
 * chat on its own SQLite file there, no Telegram token. Returns what the chat printed.
 */
export async function chatScript(dir: string, name: string, lines: string[]): Promise<string> {
  const script = join(dir, `${name}.txt`);
  writeFileSync(script, `${lines.join("\n")}\n`);
  const { stdout } = await run("node", ["bin/fazhi-report.js", "chat", "--script", script], {
    env: {
      ...process.env,
      STORE_URL: `sqlite://${join(dir, `${name}.sqlite`)}`,
      TELEGRAM_BOT_TOKEN: "",
    },
  });
  return stdout;
}
