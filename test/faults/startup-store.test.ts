import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { draftCommand } from "../../src/cli/draft.js";
import { loadConfig } from "../../src/config.js";
import { checkStore } from "../../src/store/health.js";
import { Store } from "../../src/store/store.js";
import { outputOf, type Run } from "../helpers/child.js";
import { tempDir } from "../helpers/harness.js";
import { freePort } from "./fake-bot-api.js";

/**
 * The start-up health check, against the real process: `fazhi-report chat` on a store that is
 * corrupt, empty, unwritable or unreachable exits 1 naming what and where, and leaves the file
 * as it was; a healthy start creates the data directory 0700 and the database 0600.
 */
const BIN = resolve("bin/fazhi-report.js");
const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

function chat(
  env: Record<string, string>,
  options: { cwd?: string; uid?: number; input?: string } = {},
): Promise<Run> {
  const child = spawn(process.execPath, [BIN, "chat"], {
    cwd: options.cwd ?? tmp.dir,
    env: { PATH: process.env.PATH ?? "", HOME: tmp.dir, ...env },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  const run = outputOf(child);
  child.stdin.end(options.input ?? "");
  return run;
}

function newPath(name: string): string {
  n += 1;
  const dir = join(tmp.dir, `case-${n}`);
  mkdirSync(dir);
  return join(dir, name);
}

function sha(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** A real database of some pages, closed (its WAL checkpointed into the file). */
async function realDatabase(): Promise<string> {
  const file = newPath("real.sqlite");
  const store = Store.open(`sqlite://${file}`);
  const org = { id: "o1", name: "红桥镇", kind: "镇", superior: "东莞市", year: 2025 } as const;
  const at = "2026-01-10T00:00:00.000Z";
  for (let i = 0; i < 40; i++) {
    const id = `o${i}`;
    const invite = { code: `C${i}`, orgId: id, createdBy: 1, createdAt: at, expiresAt: null };
    await store.createOrg(
      { ...org, id, name: "法".repeat(300), inviteCode: `C${i}`, admins: [1], createdAt: at },
      { ...invite, oneTime: false },
    );
  }
  await store.close();
  expect(statSync(file).size).toBeGreaterThan(8 * 4096);
  return file;
}

const NOT_DATABASE =
  "数据库文件已损坏或不是 SQLite 数据库，文件未作任何改动。请从备份恢复，或改用新的 STORE_URL";

async function expectRefused(file: string, zh: string): Promise<Run> {
  const before = sha(file);
  const run = await chat({ STORE_URL: `sqlite://${file}` });
  expect(run.code).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain(`存储检查失败（${file}）：${zh}`);
  expect(run.stderr).toContain(`Store check failed (${file}): `);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(sha(file)).toBe(before);
  return run;
}

describe.concurrent("a store that cannot work stops the start", () => {
  it.each([
    ["random bytes", () => Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251))],
    ["a text file", () => Buffer.from("这不是数据库\n".repeat(100))],
  ])("a file of %s", async (_, bytes) => {
    const file = newPath("store.sqlite");
    writeFileSync(file, bytes());
    await expectRefused(file, NOT_DATABASE);
  });

  it("a database cut short", async () => {
    const file = await realDatabase();
    truncateSync(file, 3 * 4096);
    await expectRefused(file, NOT_DATABASE);
  });

  it("a database with overwritten pages", async () => {
    const file = await realDatabase();
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 4096 + 8, 4 * 4096);
    writeFileSync(file, bytes);
    await expectRefused(file, NOT_DATABASE);
  });

  it("a zero-length file, not taken as an empty store", async () => {
    const file = newPath("empty.sqlite");
    writeFileSync(file, "");
    await expectRefused(file, "数据库文件是空的（0 字节），不会当作空数据库使用");
    expect(statSync(file).size).toBe(0);
  });

  it("a directory that cannot be created (EPERM), without a stack trace", async () => {
    const file = "/sys/fazhi-report-test/store.sqlite";
    const run = await chat({ STORE_URL: `sqlite://${file}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^存储检查失败（\/sys\/fazhi-report-test\/store\.sqlite）：没有读写权限/,
    );
    expect(run.stderr).toContain("EPERM");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "an unwritable working directory (as another user)",
    async () => {
      const cwd = join(tmp.dir, "readonly-cwd");
      mkdirSync(cwd, { mode: 0o755 });
      chmodSync(tmp.dir, 0o755);
      const run = await chat({}, { cwd, uid: 65534 });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^存储检查失败（.*readonly-cwd\/data\/fazhi-report\.sqlite）：没有读写权限/,
      );
      expect(run.stderr).toContain("EACCES");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it("Redis down at start", async () => {
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`;
    const run = await chat({ STORE_URL: url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^存储检查失败（redis:\/\/:\*\*\*@127\.0\.0\.1:\d+）：无法连接存储服务/,
    );
    expect(run.stderr).not.toContain("hunter2");
  });

  it("a healthy store passes, and the probe leaves nothing behind", async () => {
    const file = await realDatabase();
    expect(await checkStore(`sqlite://${file}`)).toBeUndefined();
    const store = Store.open(`sqlite://${file}`);
    expect(await store.getOrg("o1")).toMatchObject({ id: "o1" });
    await store.close();
  });
});

describe.concurrent("permissions", () => {
  it("creates the data directory 0700 and the database 0600", async () => {
    const cwd = join(tmp.dir, "fresh");
    mkdirSync(cwd);
    const run = await chat({}, { cwd, input: "/help\n" });
    expect(run.code).toBe(0);
    expect(statSync(join(cwd, "data")).mode & 0o777).toBe(0o700);
    expect(statSync(join(cwd, "data/fazhi-report.sqlite")).mode & 0o777).toBe(0o600);
  });

  it("writes a draft exported with draft --out owner-only", async () => {
    const out = join(tmp.dir, "draft.docx");
    const code = await draftCommand(
      ["--answers", "test/fixtures/answers/panlong-2023.json", "--out", out],
      { stdout: () => {}, stderr: () => {} },
      loadConfig({}),
    );
    expect(code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it("narrows a database file an earlier version left 0644", async () => {
    const file = await realDatabase();
    chmodSync(file, 0o644);
    expect((await chat({ STORE_URL: `sqlite://${file}` })).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
