import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import KeyvPostgres from "@keyv/postgres";
import type KeyvRedis from "@keyv/redis";
import { createKeyv as createRedisKeyv } from "@keyv/redis";
import KeyvSqlite from "@keyv/sqlite";
import Keyv from "keyv";
import { type Atomic, memoryAtomic, postgresAtomic, redisAtomic, sqliteAtomic } from "./atomic.js";

export const DEFAULT_STORE_URL = "sqlite://./data/fazhi-report.sqlite";
/** Key prefix; another one lets two deployments (or test runs) share one Redis or database. */
export const DEFAULT_NAMESPACE = "fazhi";

export interface Backend {
  keyv: Keyv;
  atomic: Atomic;
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
      const store = new KeyvSqlite({ uri: url, busyTimeout: 10_000 });
      return { keyv: new Keyv({ store, namespace }), atomic: sqliteAtomic(store, namespace) };
    }
    case "redis":
    case "rediss": {
      // @keyv/redis's own factory: wrapping KeyvRedis in `new Keyv` would prefix keys twice.
      const keyv = createRedisKeyv(url, { namespace });
      return { keyv, atomic: redisAtomic(keyv.store as KeyvRedis<unknown>, namespace) };
    }
    case "postgres":
    case "postgresql": {
      const store = new KeyvPostgres({ uri: url });
      return { keyv: new Keyv({ store, namespace }), atomic: postgresAtomic(store, namespace) };
    }
    case "memory":
      return { keyv: new Keyv({ namespace }), atomic: memoryAtomic() };
    default:
      throw new Error(
        `STORE_URL "${url}" is not supported: use sqlite://FILE, redis://HOST:PORT, postgresql://… or memory://`,
      );
  }
}
