import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import KeyvPostgres from "@keyv/postgres";
import type KeyvRedis from "@keyv/redis";
import { createKeyv as createRedisKeyv, defaultReconnectStrategy } from "@keyv/redis";
import Keyv from "keyv";
import { type Atomic, memoryAtomic, postgresAtomic, redisAtomic, sqliteAtomic } from "./atomic.js";
import {
  keyvRecords,
  postgresRecords,
  type Records,
  redisRecords,
  sqliteRecords,
} from "./records.js";
import { TunedSqlite } from "./sqlite.js";

export const DEFAULT_STORE_URL = "sqlite://./data/fazhi-report.sqlite";
/** Key prefix; another one lets two deployments (or test runs) share one Redis or database. */
export const DEFAULT_NAMESPACE = "fazhi";
/** A Redis command, or the first connection, that takes longer than this fails (StoreError). */
export const REDIS_TIMEOUT_MS = 5_000;

export interface Backend {
  keyv: Keyv;
  atomic: Atomic;
  records: Records;
}

/** Opens the Keyv instance that `STORE_URL` names, and the atomic operations of that backend. */
export function openBackend(
  url: string = DEFAULT_STORE_URL,
  namespace = DEFAULT_NAMESPACE,
): Backend {
  const scheme = url.slice(0, url.indexOf(":"));
  switch (scheme) {
    case "sqlite": {
      const file = url.replace(/^sqlite:\/\//, "");
      if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
      // WAL + synchronous=FULL + group commit: see sqlite.ts and docs/benchmarks.md.
      const store = new TunedSqlite({ uri: url, busyTimeout: 10_000 });
      // Commits get a connection of their own (records.ts); ":memory:" is one database per connection.
      const writer =
        file === ":memory:"
          ? store
          : new TunedSqlite({ uri: url, busyTimeout: 10_000 }, { pragmas: TunedSqlite.PRAGMAS });
      const keyv = new Keyv({ store, namespace });
      keyv.on("disconnect", () => void writer.close().catch(() => {}));
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
      const store = new KeyvPostgres({ uri: url });
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
