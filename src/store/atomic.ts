import type KeyvPostgres from "@keyv/postgres";
import type KeyvRedis from "@keyv/redis";
import type KeyvSqlite from "@keyv/sqlite";

/**
 * What Keyv lacks and several instances writing at once need: a counter and a set that each
 * backend updates atomically (Redis INCR/SADD, an SQL upsert). Keyv has no compare-and-set, so a
 * list kept in one Keyv record would lose an entry when two instances add at the same moment.
 */
export interface Atomic {
  /** Adds one and returns the new value (1 the first time). */
  increment(key: string): Promise<number>;
  /** The counter's value, 0 when never incremented. */
  count(key: string): Promise<number>;
  /** Adds a member; true when it was not there yet. */
  addToSet(key: string, member: string): Promise<boolean>;
  removeFromSet(key: string, member: string): Promise<void>;
  /** The members in the order they were added (SQL, memory) or in any order (Redis). */
  members(key: string): Promise<string[]>;
}

/** One process only: the memory store, and tests. */
export function memoryAtomic(): Atomic {
  const counters = new Map<string, number>();
  const sets = new Map<string, Set<string>>();
  const setOf = (key: string) => sets.get(key) ?? sets.set(key, new Set()).get(key) ?? new Set();
  return {
    increment: async (key) => {
      const n = (counters.get(key) ?? 0) + 1;
      counters.set(key, n);
      return n;
    },
    count: async (key) => counters.get(key) ?? 0,
    addToSet: async (key, member) => {
      const set = setOf(key);
      const added = !set.has(member);
      set.add(member);
      return added;
    },
    removeFromSet: async (key, member) => void setOf(key).delete(member),
    members: async (key) => [...setOf(key)],
  };
}

export function redisAtomic(store: KeyvRedis<unknown>, namespace: string): Atomic {
  const k = (key: string) => `${namespace}:atomic:${key}`;
  // getClient() connects first, as Keyv's own calls do.
  const client = () => store.getClient();
  return {
    increment: async (key) => Number(await (await client()).incr(k(key))),
    count: async (key) => Number((await (await client()).get(k(key))) ?? 0),
    addToSet: async (key, member) => Number(await (await client()).sAdd(k(key), member)) === 1,
    removeFromSet: async (key, member) => void (await (await client()).sRem(k(key), member)),
    members: async (key) => (await (await client()).sMembers(k(key))).map(String),
  };
}

type Sql = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** The same statements for SQLite (3.35+ for RETURNING) and PostgreSQL, with their placeholders. */
function sqlAtomic(run: Sql, namespace: string, placeholder: (n: number) => string): Atomic {
  const p = placeholder;
  const k = (key: string) => `${namespace}:${key}`;
  // Created on first use, so opening a store does no I/O and a failure reaches the caller.
  let ready: Promise<unknown> | undefined;
  const createTables = async () => {
    await run(
      "CREATE TABLE IF NOT EXISTS fazhi_counters (key VARCHAR(255) PRIMARY KEY, n BIGINT NOT NULL)",
      [],
    );
    await run(
      "CREATE TABLE IF NOT EXISTS fazhi_sets (key VARCHAR(255) NOT NULL, member VARCHAR(255) NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (key, member))",
      [],
    );
  };
  const q: Sql = async (sql, params) => {
    ready ??= createTables().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    return run(sql, params);
  };
  return {
    increment: async (key) => {
      const rows = await q(
        `INSERT INTO fazhi_counters (key, n) VALUES (${p(1)}, 1) ON CONFLICT (key) DO UPDATE SET n = fazhi_counters.n + 1 RETURNING n`,
        [k(key)],
      );
      return Number(rows[0]?.n);
    },
    count: async (key) => {
      const rows = await q(`SELECT n FROM fazhi_counters WHERE key = ${p(1)}`, [k(key)]);
      return Number(rows[0]?.n ?? 0);
    },
    addToSet: async (key, member) => {
      const rows = await q(
        `INSERT INTO fazhi_sets (key, member, seq) VALUES (${p(1)}, ${p(2)}, ${p(3)}) ON CONFLICT (key, member) DO NOTHING RETURNING member`,
        [k(key), member, Date.now()],
      );
      return rows.length === 1;
    },
    removeFromSet: async (key, member) => {
      await q(`DELETE FROM fazhi_sets WHERE key = ${p(1)} AND member = ${p(2)}`, [k(key), member]);
    },
    members: async (key) => {
      const rows = await q(
        `SELECT member FROM fazhi_sets WHERE key = ${p(1)} ORDER BY seq, member`,
        [k(key)],
      );
      return rows.map((r) => String(r.member));
    },
  };
}

/** `store`: where the statements run (the writer connection's queue, records.ts). */
export function sqliteAtomic(store: Pick<KeyvSqlite, "query">, namespace: string): Atomic {
  return sqlAtomic(
    (sql, params) => store.query(sql, ...params),
    namespace,
    () => "?",
  );
}

export function postgresAtomic(store: KeyvPostgres, namespace: string): Atomic {
  return sqlAtomic(
    (sql, params) => store.query(sql, params),
    namespace,
    (n) => `$${n}`,
  );
}
