import KeyvSqlite, { type KeyvSqliteOptions } from "@keyv/sqlite";

/**
 * @keyv/sqlite with two changes that let one SQLite file take several times more durable answers
 * per second (bench/bot.ts, docs/benchmarks.md), keeping every acknowledged write across SIGKILL
 * and power loss:
 * - PRAGMAs run before any other statement (the driver runs statements in parallel, and the
 *   adapter offers no connect hook): WAL journal, synchronous=FULL;
 * - group commit: set() calls that arrive while a write is running go out together as one
 *   multi-row upsert, one commit for many answers; each caller is answered after that commit.
 * The Store commits through records.ts (checked transactions, grouped the same way, on a second
 * connection opened with these PRAGMAs); set() here is Keyv's own path, which the benchmarks
 * use as the raw baseline with the same settings (`{ groupCommit: true }`).
 */
export class TunedSqlite extends KeyvSqlite {
  static readonly MAX_ROWS = 400;
  static readonly PRAGMAS = ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"];
  readonly #queue: { key: string; value: unknown; done: (error?: unknown) => void }[] = [];
  #draining = false;
  /** Multi-row statements written and the rows in them (benchmarks report the batch size). */
  batches = 0;
  rows = 0;

  constructor(
    options: KeyvSqliteOptions,
    readonly tuning: { pragmas?: readonly string[]; groupCommit?: boolean } = {
      pragmas: TunedSqlite.PRAGMAS,
      groupCommit: true,
    },
  ) {
    super(options);
    const pragmas = tuning.pragmas ?? [];
    if (pragmas.length === 0) return;
    const base = this.query;
    const ready = pragmas.reduce<Promise<unknown>>(
      (previous, pragma) => previous.then(() => busyRetried(() => base(pragma))),
      Promise.resolve(),
    );
    ready.catch(() => {}); // the failure reaches every statement below
    this.query = async (sql, ...parameters) => {
      await ready;
      return base(sql, ...parameters);
    };
  }

  override set(key: string, value: unknown): Promise<unknown> {
    if (!this.tuning.groupCommit) return super.set(key, value);
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, value, done: (e) => (e === undefined ? resolve(true) : reject(e)) });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, TunedSqlite.MAX_ROWS);
        // The last write of a key in the batch wins, as it would one by one.
        const rows = [...new Map(batch.map((w) => [w.key, w.value]))];
        const sql =
          `INSERT INTO ${this.opts.table} (key, value) VALUES ${rows.map(() => "(?, ?)").join(", ")} ` +
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        try {
          await this.query(sql, ...rows.flat());
          this.batches += 1;
          this.rows += rows.length;
          for (const w of batch) w.done();
        } catch (error) {
          for (const w of batch) w.done(error ?? new Error("write failed"));
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}

/** Attempts of a PRAGMA that finds the database busy, BUSY_PAUSE_MS apart (~2 s in all). */
const BUSY_ATTEMPTS = 100;
const BUSY_PAUSE_MS = 20;

/**
 * Runs `statement` again while SQLite answers SQLITE_BUSY. Switching a new file to WAL while the
 * store's other connection is creating its table can fail at once, without waiting the busy
 * timeout: about 1 start in 100 with a fresh file (the bot then stopped with “存储无法读写”).
 */
async function busyRetried<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || attempt >= BUSY_ATTEMPTS)
        throw error;
      await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS));
    }
  }
}
