import { join } from "node:path";
import KeyvSqlite from "@keyv/sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { TunedSqlite } from "../src/store/sqlite.js";
import { tempDir } from "./helpers/harness.js";

/**
 * Opening a new SQLite store while another connection writes to the file. The store opens two
 * connections that both create the table and switch the file to WAL; SQLite refuses the switch at
 * once (SQLITE_BUSY, no busy timeout) while the other holds its write lock, and about one fresh
 * start in a hundred stopped with “存储无法读写”.
 */

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("a fresh SQLite file", () => {
  it("is switched to WAL once another connection's write lock is released", async () => {
    const uri = `sqlite://${join(tmp.dir, "locked.sqlite")}`;
    const other = new KeyvSqlite({ uri, busyTimeout: 10_000 });
    await other.query("BEGIN IMMEDIATE");
    // Released a little later: the first attempts to switch find the lock held.
    const released = new Promise<void>((resolve) =>
      setTimeout(() => void other.query("COMMIT").then(() => resolve()), 100),
    );
    const tuned = new TunedSqlite({ uri, busyTimeout: 10_000 });
    const [mode] = (await tuned.query("PRAGMA journal_mode")) as { journal_mode: string }[];
    await released;
    expect(mode?.journal_mode).toBe("wal");
    await tuned.set("k", "v");
    expect(await other.get("k")).toBe("v");
    await Promise.all([tuned.disconnect(), other.disconnect()]);
  });
});
