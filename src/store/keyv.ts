import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import KeyvPostgres from "@keyv/postgres";
import { createKeyv as createRedisKeyv } from "@keyv/redis";
import KeyvSqlite from "@keyv/sqlite";
import Keyv from "keyv";

export const DEFAULT_STORE_URL = "sqlite://./data/fazhi-report.sqlite";
/** Key prefix; another one lets two deployments (or test runs) share one Redis or database. */
export const DEFAULT_NAMESPACE = "fazhi";

/** Opens the Keyv instance that `STORE_URL` names. */
export function openKeyv(url: string = DEFAULT_STORE_URL, namespace = DEFAULT_NAMESPACE): Keyv {
  const scheme = url.slice(0, url.indexOf(":"));
  return keyvFor(scheme, url, namespace);
}

function keyvFor(scheme: string, url: string, namespace: string): Keyv {
  switch (scheme) {
    case "sqlite": {
      const file = url.replace(/^sqlite:\/\//, "");
      if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
      return new Keyv({
        store: new KeyvSqlite({ uri: url, busyTimeout: 10_000 }),
        namespace,
      });
    }
    case "redis":
    case "rediss":
      // @keyv/redis's own factory: wrapping KeyvRedis in `new Keyv` would prefix keys twice.
      return createRedisKeyv(url, { namespace });
    case "postgres":
    case "postgresql":
      return new Keyv({ store: new KeyvPostgres({ uri: url }), namespace });
    case "memory":
      return new Keyv({ namespace });
    default:
      throw new Error(
        `STORE_URL "${url}" is not supported: use sqlite://FILE, redis://HOST:PORT, postgresql://… or memory://`,
      );
  }
}
