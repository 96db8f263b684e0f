import type { Context, NextFunction } from "grammy";

/** Counts updates being handled, so a shutdown can wait for them to finish. */
export class InFlight {
  #count = 0;
  #waiters: (() => void)[] = [];

  get count(): number {
    return this.#count;
  }

  readonly middleware = async (_ctx: Context, next: NextFunction): Promise<void> => {
    this.#count += 1;
    try {
      await next();
    } finally {
      this.#count -= 1;
      if (this.#count === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
  };

  /** Resolves when no update is being handled, or after `limitMs` at the latest. */
  idle(limitMs: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
