import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type KeyvSqlite from "@keyv/sqlite";
import { redact } from "../text/redact.js";
import { openBackend, sqliteFileOf } from "./keyv.js";

/**
 * The start-up health check: open the store, write, read and delete a probe key. A store that
 * fails it stops the process with what is wrong and where, instead of a bot answering every
 * message with "暂时无法保存". Nothing here writes to a file that is not a healthy database:
 * a corrupt or empty SQLite file is left exactly as it was, for the operator to look at.
 */

/** What is wrong with the store; the wording for each is STORE_CHECK in messages/zh.ts. */
export type StoreProblemKind = "empty" | "notDatabase" | "noAccess" | "unreachable" | "failed";

export interface StoreProblem {
  kind: StoreProblemKind;
  /** The file, or the redacted URL. */
  where: string;
  cause?: unknown;
}

/** The first 16 bytes of every SQLite 3 database. */
const SQLITE_HEADER = "SQLite format 3\0";

const PERMISSION = new Set([
  "EACCES",
  "EPERM",
  "EROFS",
  "ENOTDIR",
  "SQLITE_CANTOPEN",
  "SQLITE_READONLY",
  "SQLITE_PERM",
]);
const CORRUPT = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB"]);
const NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET"]);

/** Undefined when the store works; otherwise what is wrong and where. */
export async function checkStore(
  url: string,
  namespace?: string,
): Promise<StoreProblem | undefined> {
  const file = sqliteFileOf(url);
  if (file !== undefined) {
    const before = await inspectSqliteFile(file);
    if (before) return before;
  }
  const where = file === undefined ? redact(url) : resolve(file);
  let backend: ReturnType<typeof openBackend>;
  try {
    backend = openBackend(url, namespace);
  } catch (cause) {
    return problemOf(cause, where);
  }
  const { keyv } = backend;
  keyv.throwOnErrors = true;
  keyv.on("error", () => {});
  try {
    if (file !== undefined) await quickCheck(keyv.store as KeyvSqlite);
    await probe(keyv);
    return undefined;
  } catch (cause) {
    return problemOf(cause, where);
  } finally {
    await keyv.disconnect().catch(() => {});
  }
}

/** The cause in a line (code and message, credentials redacted); "" when there is none. */
export function problemDetail(problem: StoreProblem): string {
  return causeText(problem.cause);
}

async function probe(keyv: ReturnType<typeof openBackend>["keyv"]): Promise<void> {
  const key = `health-probe:${randomUUID()}`;
  const value = { at: new Date().toISOString() };
  await keyv.set(key, value);
  const read = (await keyv.get(key)) as typeof value | undefined;
  await keyv.delete(key);
  if (read?.at !== value.at)
    throw new Error("the probe key read back differs from what was written");
}

/** SQLite's own check of the pages, so a file corrupt past its header is caught at start. */
async function quickCheck(store: KeyvSqlite): Promise<void> {
  const rows = (await store.query("PRAGMA quick_check")) as { quick_check: string }[];
  const verdict = rows.map((r) => r.quick_check).join("; ");
  if (verdict !== "ok") {
    throw Object.assign(new Error(`quick_check: ${verdict}`), { code: "SQLITE_CORRUPT" });
  }
}

/** Checks that need no open database: an empty file, a foreign file, no access. */
async function inspectSqliteFile(file: string): Promise<StoreProblem | undefined> {
  const where = resolve(file);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined; // created on open
    return problemOf(cause, where);
  }
  if (size === 0) return { kind: "empty", where };
  try {
    await access(file, constants.R_OK | constants.W_OK);
    // SQLite writes its journal beside the file.
    await access(dirname(file), constants.W_OK);
    const handle = await open(file, "r");
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(16), 0, 16, 0);
      if (bytesRead < 16 || buffer.toString("latin1") !== SQLITE_HEADER) {
        return { kind: "notDatabase", where };
      }
    } finally {
      await handle.close();
    }
  } catch (cause) {
    return problemOf(cause, where);
  }
  return undefined;
}

function problemOf(cause: unknown, where: string): StoreProblem {
  const code = codeOf(cause);
  if (code && CORRUPT.has(code)) return { kind: "notDatabase", where, cause };
  if (code && PERMISSION.has(code)) return { kind: "noAccess", where, cause };
  if ((code && NETWORK.has(code)) || /connect|timeout|timed out/i.test(messageOf(cause))) {
    return { kind: "unreachable", where, cause };
  }
  return { kind: "failed", where, cause };
}

/** The error code of `cause` or of the first cause in its chain that has one. */
function codeOf(cause: unknown): string | undefined {
  for (let e = cause as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.code === "string") return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

function messageOf(cause: unknown): string {
  const parts: string[] = [];
  for (
    let e = cause as { message?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 5;
    i++
  ) {
    if (typeof e.message === "string") parts.push(e.message);
    e = e.cause as typeof e;
  }
  return parts.join(": ");
}

function causeText(cause: unknown): string {
  if (cause === undefined) return "";
  const code = codeOf(cause);
  const message = redact(messageOf(cause) || String(cause));
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
