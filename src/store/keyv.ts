import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type KeyvPostgres from "@keyv/postgres";
import type KeyvRedis from "@keyv/redis";
import Keyv from "keyv";
import { DEFAULT_STORE_URL } from "../config.js";
import { type Atomic, memoryAtomic, postgresAtomic, redisAtomic, sqliteAtomic } from "./atomic.js";
import {
  keyvRecords,
  postgresRecords,
  type Records,
  redisRecords,
  sqliteRecords,
} from "./records.js";
import { TunedSqlite } from "./sqlite.js";

export { DEFAULT_STORE_URL };
/** Key prefix; another one lets two deployments (or test runs) share one Redis or database. */
export const DEFAULT_NAMESPACE = "fazhi";
/** A Redis command, or the first connection, that takes longer than this fails (StoreError). */
const REDIS_TIMEOUT_MS = 5_000;

export interface Backend {
  keyv: Keyv;
  atomic: Atomic;
  records: Records;
}

/** The database file of a sqlite:// URL; undefined for other stores and for :memory:. */
export function sqliteFileOf(url: string): string | undefined {
  if (!url.startsWith("sqlite://")) return undefined;
  const file = url.slice("sqlite://".length);
  return file === ":memory:" ? undefined : file;
}

/**
 * Every office's answers and invite codes are in this file: a data directory created here is
 * 0700 and the file 0600 (SQLite gives its -wal and -shm files the database's mode). A file
 * left wider by an earlier version is narrowed; an existing directory is the operator's choice.
 */
function ownerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  else if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/**
 * The Redis and PostgreSQL adapters are loaded when STORE_URL names them, not at start-up: they
 * cost ~300 ms of CPU to load (@redis/client alone is ~630 modules), which every SQLite or memory
 * start paid (issue 17). `require` keeps openBackend synchronous.
 */
const requireDriver = createRequire(import.meta.url);

/** Opens the Keyv instance that `STORE_URL` names, and the atomic operations of that backend. */
export function openBackend(
  url: string = DEFAULT_STORE_URL,
  namespace = DEFAULT_NAMESPACE,
): Backend {
  const scheme = url.slice(0, url.indexOf(":"));
  switch (scheme) {
    case "sqlite": {
      const file = sqliteFileOf(url);
      if (file !== undefined) ownerOnly(file);
      // WAL + synchronous=FULL + group commit: see sqlite.ts and docs/benchmarks.md.
      const store = new TunedSqlite({ uri: url, busyTimeout: 10_000 });
      // Commits get a connection of their own (records.ts); ":memory:" is one database per connection.
      const writer =
        file === undefined
          ? store
          : new TunedSqlite({ uri: url, busyTimeout: 10_000 }, { pragmas: TunedSqlite.PRAGMAS });
      const keyv = new Keyv({ store, namespace });
      const records = sqliteRecords(store, writer);
      return { keyv, atomic: sqliteAtomic({ query: records.write }, namespace), records };
    }
    case "redis":
    case "rediss": {
      // @keyv/redis's own factory: wrapping KeyvRedis in `new Keyv` would prefix keys twice.
      // Its defaults break "an answer is acknowledged only after it is stored" when Redis goes
      // away (test/faults/redis-outage.test.ts):
      // - the adapter swallows command errors: a write in flight when Redis died resolved as if
      //   stored, and a failed read looked like a missing record. `throwOnErrors` passes them on;
      // - while Redis is away the client queues commands until it has reconnected, with no time
      //   limit: users got no reply at all, nor did anyone after them in that chat. Each command
      //   now fails after REDIS_TIMEOUT_MS (StoreError: "暂时无法保存"), queued or sent, and so
      //   does a first connection that does not come up. The queue itself stays: with
      //   `disableOfflineQueue`, the commands issued while the client first connects would fail.
      // The client reconnects by itself, at most 2 s apart (the adapter's own strategy, as before).
      const { createKeyv: createRedisKeyv, defaultReconnectStrategy } = requireDriver(
        "@keyv/redis",
      ) as typeof import("@keyv/redis");
      const keyv = createRedisKeyv(
        {
          url,
          socket: { reconnectStrategy: defaultReconnectStrategy },
          commandOptions: { timeout: REDIS_TIMEOUT_MS },
        },
        { namespace, throwOnErrors: true, connectionTimeout: REDIS_TIMEOUT_MS },
      );
      const store = keyv.store as KeyvRedis<unknown>;
      return {
        keyv,
        atomic: redisAtomic(store, namespace),
        records: redisRecords(store, namespace),
      };
    }
    case "postgres":
    case "postgresql": {
      const { KeyvPostgres: Postgres } = requireDriver("@keyv/postgres") as {
        KeyvPostgres: typeof KeyvPostgres;
      };
      const store = new Postgres({ uri: url });
      return {
        keyv: new Keyv({ store, namespace }),
        atomic: postgresAtomic(store, namespace),
        records: postgresRecords(store),
      };
    }
    case "memory": {
      const keyv = new Keyv({ namespace });
      return { keyv, atomic: memoryAtomic(), records: keyvRecords(keyv) };
    }
    default:
      throw new Error(
        `STORE_URL "${url}" is not supported: use sqlite://FILE, redis://HOST:PORT, postgresql://… or memory://`,
      );
  }
}
