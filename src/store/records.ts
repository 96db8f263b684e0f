import type KeyvPostgres from "@keyv/postgres";
import type KeyvRedis from "@keyv/redis";
import type KeyvSqlite from "@keyv/sqlite";
import type Keyv from "keyv";
import { KeyedLock } from "./keyed-lock.js";

/**
 * What Keyv lacks for several instances writing at once: a read of many records in one round
 * trip and a conditional write of many records in one commit (compare-and-set). Records are kept
 * in Keyv's own table and format (the key Keyv would use, the text Keyv would write), so data
 * written before stays readable and Keyv can still read what is written here.
 */

/** A record as the backend holds it (Keyv's serialized text); undefined when absent. */
export type Raw = string | undefined;

export interface Change {
  /** Records that must still hold exactly these values (undefined: absent) for the writes to apply. */
  expect: ReadonlyArray<readonly [key: string, value: Raw]>;
  /** New values; undefined deletes the record. */
  write: ReadonlyArray<readonly [key: string, value: Raw]>;
  /** A counter (a record holding plain integer text) raised by one when the change applies. */
  bump?: string;
}

/** What a commit did: false when an expectation failed, else the bumped counter's new value (0 without one). */
export type Committed = false | number;

/** Counted in the adapters: each read or commit is one round trip to the backend. */
export interface Meter {
  roundTrips: number;
  /** Conditional writes that applied. */
  commits: number;
  /** Backend transactions (SQLite batches several commits into one transaction). */
  transactions: number;
}

export interface Records {
  /** The current values of `keys`, in order, in one round trip. */
  read(keys: readonly string[]): Promise<Raw[]>;
  /**
   * Applies every write of `change` if every expectation still holds, atomically across
   * processes, in one round trip and one transaction; false (nothing written) when one does not.
   */
  commit(change: Change): Promise<Committed>;
  readonly meter: Meter;
  /** Closes what the records opened beside the Keyv store (SQLite's writing connection). */
  close?(): Promise<void>;
}

/** A counter as Keyv would store the number (every record stays readable by Keyv). */
export function counterText(n: number): string {
  return `{"value":${n}}`;
}

function counterOf(raw: Raw): number {
  return raw === undefined ? 0 : Number((JSON.parse(raw) as { value?: unknown }).value ?? 0);
}

function newMeter(): Meter {
  return { roundTrips: 0, commits: 0, transactions: 0 };
}

/**
 * Over any Keyv store (the memory Map, or an adapter built by hand in tests): atomic within one
 * process only, which is all the memory store offers anyway. Commits are serialised by a lock.
 */
export function keyvRecords(keyv: Keyv): Records {
  const meter = newMeter();
  const lock = new KeyedLock();
  const store = keyv.store as {
    get(key: string): unknown;
    set(key: string, value: string): unknown;
    delete(key: string): unknown;
  };
  const prefix = keyv.namespace ? `${keyv.namespace}:` : "";
  const get = async (key: string): Promise<Raw> => {
    const value = await store.get(prefix + key);
    return typeof value === "string" ? value : undefined;
  };
  return {
    meter,
    read: async (keys) => {
      meter.roundTrips += 1;
      return Promise.all(keys.map(get));
    },
    commit: (change) =>
      lock.run("commit", async () => {
        meter.roundTrips += 1;
        for (const [key, value] of change.expect) if ((await get(key)) !== value) return false;
        for (const [key, value] of change.write) {
          if (value === undefined) await store.delete(prefix + key);
          else await store.set(prefix + key, value);
        }
        let bumped = 0;
        if (change.bump) {
          bumped = counterOf(await get(change.bump)) + 1;
          await store.set(prefix + change.bump, counterText(bumped));
        }
        meter.commits += 1;
        meter.transactions += 1;
        return bumped;
      }),
  };
}

/** Redis: MGET, and a Lua script that checks and writes (Redis runs a script atomically). */
export function redisRecords(store: KeyvRedis<unknown>, namespace: string): Records {
  const meter = newMeter();
  const k = (key: string) => store.createKeyPrefix(key, namespace);
  // KEYS: expected, written, then the counter if any. ARGV: how many expected, whether there is
  // a counter, then the values with a marker: "-" for absent, "+" followed by the text.
  // Returns -1 when an expectation failed, else the counter's new value (0 without one).
  const script = `
local n = tonumber(ARGV[1])
local bump = tonumber(ARGV[2])
for i = 1, n do
  local current = redis.call('GET', KEYS[i])
  local wanted = ARGV[i + 2]
  if wanted == '-' then
    if current then return -1 end
  elseif current ~= string.sub(wanted, 2) then
    return -1
  end
end
for i = n + 1, #KEYS - bump do
  local value = ARGV[i + 2]
  if value == '-' then redis.call('DEL', KEYS[i]) else redis.call('SET', KEYS[i], string.sub(value, 2)) end
end
if bump == 0 then return 0 end
local counter = redis.call('GET', KEYS[#KEYS])
local n = 1
if counter then n = cjson.decode(counter).value + 1 end
redis.call('SET', KEYS[#KEYS], '{"value":' .. string.format('%d', n) .. '}')
return n`;
  const mark = (value: Raw) => (value === undefined ? "-" : `+${value}`);
  return {
    meter,
    read: async (keys) => {
      meter.roundTrips += 1;
      if (keys.length === 0) return [];
      const values = await (await store.getClient()).mGet(keys.map(k));
      return values.map((v) => (v === null || v === undefined ? undefined : String(v)));
    },
    commit: async ({ expect, write, bump }) => {
      meter.roundTrips += 1;
      const client = await store.getClient();
      const counter = bump === undefined ? [] : [k(bump)];
      const reply = await client.eval(script, {
        keys: [...[...expect, ...write].map(([key]) => k(key)), ...counter],
        arguments: [
          String(expect.length),
          String(counter.length),
          ...[...expect, ...write].map(([, v]) => mark(v)),
        ],
      });
      const bumped = Number(reply);
      if (bumped < 0) return false;
      meter.commits += 1;
      meter.transactions += 1;
      return bumped;
    },
  };
}

/**
 * PostgreSQL: one SELECT, and one call of a function that takes a transaction-scoped advisory
 * lock per key (sorted, so two commits never deadlock), compares and writes. Each statement of a
 * PL/pgSQL function sees what committed before it, so the comparison is made under the locks.
 */
export function postgresRecords(store: KeyvPostgres): Records {
  const meter = newMeter();
  const table = `${store.opts.schema ?? "public"}.${store.opts.table ?? "keyv"}`;
  const fn = `fazhi_commit_${String(store.opts.table ?? "keyv").replace(/\W/g, "")}`;
  const prefix = () => (store.namespace ? `${store.namespace}:` : "");
  let ready: Promise<unknown> | undefined;
  // One DO block under a lock: two instances starting together must not both replace it.
  const create = () =>
    store.query(
      `DO $do$ BEGIN PERFORM pg_advisory_xact_lock(7419263); CREATE OR REPLACE FUNCTION ${fn}(ek text[], ev text[], wk text[], wv text[], bk text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE k text; i int; current text; bumped bigint := 0;
BEGIN
  FOR k IN SELECT DISTINCT x FROM unnest(ek || wk) AS x ORDER BY x LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(k, 0));
  END LOOP;
  FOR i IN 1 .. coalesce(array_length(ek, 1), 0) LOOP
    SELECT value INTO current FROM ${table} WHERE key = ek[i];
    IF current IS DISTINCT FROM ev[i] THEN RETURN -1; END IF;
  END LOOP;
  DELETE FROM ${table} WHERE key IN (SELECT wk[j] FROM generate_subscripts(wk, 1) AS j WHERE wv[j] IS NULL);
  INSERT INTO ${table} (key, value) SELECT wk[j], wv[j] FROM generate_subscripts(wk, 1) AS j WHERE wv[j] IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
  IF bk IS NOT NULL THEN
    INSERT INTO ${table} AS t (key, value) VALUES (bk, '{"value":1}')
      ON CONFLICT (key) DO UPDATE SET value = '{"value":' || (((t.value::json)->>'value')::bigint + 1) || '}'
      RETURNING ((value::json)->>'value')::bigint INTO bumped;
  END IF;
  RETURN bumped;
END $f$; END $do$`,
      [],
    );
  const ensure = async () => {
    ready ??= create().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
  };
  return {
    meter,
    read: async (keys) => {
      meter.roundTrips += 1;
      const p = prefix();
      const rows = (await store.query(`SELECT key, value FROM ${table} WHERE key = ANY($1)`, [
        keys.map((key) => p + key),
      ])) as { key: string; value: string }[];
      const found = new Map(rows.map((r) => [r.key, r.value]));
      return keys.map((key) => found.get(p + key));
    },
    commit: async ({ expect, write, bump }) => {
      await ensure();
      meter.roundTrips += 1;
      const p = prefix();
      const rows = (await store.query(`SELECT ${fn}($1, $2, $3, $4, $5) AS bumped`, [
        expect.map(([key]) => p + key),
        expect.map(([, v]) => v ?? null),
        write.map(([key]) => p + key),
        write.map(([, v]) => v ?? null),
        bump === undefined ? null : p + bump,
      ])) as { bumped: string | number }[];
      const bumped = Number(rows[0]?.bumped ?? -1);
      if (bumped < 0) return false;
      meter.commits += 1;
      meter.transactions += 1;
      return bumped;
    },
  };
}

type Pending =
  | { change: Change; done: (error: unknown, committed?: Committed) => void }
  | {
      statement: [sql: string, ...parameters: unknown[]];
      done: (error: unknown, rows?: unknown) => void;
    };

/** SQLite records, and single statements run on the same writing connection between commits. */
export interface SqliteRecords extends Records {
  /** One statement on the writer connection, never inside another caller's transaction. */
  write(sql: string, ...parameters: unknown[]): Promise<unknown>;
}

type Commit = Extract<Pending, { change: Change }>;

/**
 * SQLite: reads on the store's connection; commits on a second connection of their own, queued
 * and written as group commits: every commit that arrives while a transaction runs goes into
 * the next one (BEGIN IMMEDIATE takes the file's write lock, so the checks made inside it hold
 * until COMMIT), and each caller is answered after that COMMIT. Its own connection keeps other
 * statements out of the open transaction, and readers see only committed data. Every other
 * write of the process (the atomic counters and sets) goes through the same queue: one
 * connection writes, so no two statements of one process wait for each other's lock (a
 * statement waiting for the lock holds one of libuv's four threads).
 */
export function sqliteRecords(reader: KeyvSqlite, writer: KeyvSqlite): SqliteRecords {
  const meter = newMeter();
  const table = reader.opts.table;
  const prefix = () => (reader.namespace ? `${reader.namespace}:` : "");
  const queue: Pending[] = [];
  let draining = false;

  const select = async (db: KeyvSqlite, keys: readonly string[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const rows = (await db.query(
          `SELECT key, value FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`,
          JSON.stringify(keys),
        )) as { key: string; value: string }[];
        return new Map(rows.map((r) => [r.key, r.value]));
      } catch (error) {
        // A WAL reader can get SQLITE_BUSY without the busy handler being called (while another
        // connection changes the journal mode or recovers the WAL): a read is tried again.
        const busy = (error as { code?: string } | undefined)?.code === "SQLITE_BUSY";
        if (!busy || db !== reader || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
      }
    }
  };

  const transaction = async (batch: Commit[]): Promise<Committed[]> => {
    const p = prefix();
    await writer.query("BEGIN IMMEDIATE");
    try {
      const read = batch.flatMap(({ change }) => [
        ...change.expect.map(([key]) => p + key),
        ...(change.bump === undefined ? [] : [p + change.bump]),
      ]);
      const now = new Map<string, Raw>(await select(writer, [...new Set(read)]));
      const written = new Map<string, Raw>();
      const set = (key: string, value: Raw) => {
        now.set(key, value);
        written.set(key, value);
      };
      const applied = batch.map(({ change }): Committed => {
        // Later commits of the batch see the earlier ones, as they would one after another.
        if (change.expect.some(([key, value]) => now.get(p + key) !== value)) return false;
        for (const [key, value] of change.write) set(p + key, value);
        if (change.bump === undefined) return 0;
        const bumped = counterOf(now.get(p + change.bump)) + 1;
        set(p + change.bump, counterText(bumped));
        return bumped;
      });
      await writeRows(written);
      await writer.query("COMMIT");
      return applied;
    } catch (error) {
      await writer.query("ROLLBACK").catch(() => {});
      throw error;
    }
  };

  const writeRows = async (written: Map<string, Raw>) => {
    const rows = [...written].filter((r): r is [string, string] => r[1] !== undefined);
    const gone = [...written].filter(([, v]) => v === undefined).map(([key]) => key);
    for (let i = 0; i < rows.length; i += 400) {
      const chunk = rows.slice(i, i + 400);
      await writer.query(
        `INSERT INTO ${table} (key, value) VALUES ${chunk.map(() => "(?, ?)").join(", ")} ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        ...chunk.flat(),
      );
    }
    if (gone.length > 0) {
      await writer.query(
        `DELETE FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`,
        JSON.stringify(gone),
      );
    }
  };

  const drain = async () => {
    draining = true;
    try {
      while (queue.length > 0) {
        const head = queue[0];
        if (head && "statement" in head) {
          queue.shift();
          await writer.query(...head.statement).then(
            (rows) => head.done(undefined, rows),
            (error: unknown) => head.done(error ?? new Error("statement failed")),
          );
          continue;
        }
        const next = queue.findIndex((w) => "statement" in w);
        const batch = queue.splice(0, Math.min(200, next < 0 ? queue.length : next)) as Commit[];
        try {
          const applied = await transaction(batch);
          meter.transactions += 1;
          for (const [i, w] of batch.entries()) w.done(undefined, applied[i]);
        } catch (error) {
          for (const w of batch) w.done(error ?? new Error("commit failed"));
        }
      }
    } finally {
      draining = false;
    }
  };

  const enqueue = (pending: Pending) => {
    queue.push(pending);
    if (!draining) void drain();
  };

  return {
    meter,
    write: (...statement) =>
      new Promise((resolve, reject) => {
        enqueue({
          statement,
          done: (error: unknown, rows?: unknown) =>
            error === undefined ? resolve(rows) : reject(error),
        });
      }),
    read: async (keys) => {
      meter.roundTrips += 1;
      const p = prefix();
      const found = await select(
        reader,
        keys.map((key) => p + key),
      );
      return keys.map((key) => found.get(p + key));
    },
    commit: (change) => {
      meter.roundTrips += 1;
      return new Promise<Committed>((resolve, reject) => {
        enqueue({
          change,
          done: (error: unknown, committed?: Committed) => {
            if (error !== undefined) return reject(error);
            if (committed !== false) meter.commits += 1;
            resolve(committed ?? false);
          },
        });
      });
    },
    // One connection for both when the database is :memory: (keyv.ts): closed with the store.
    close: async () => {
      if (writer !== reader) await writer.close();
    },
  };
}
