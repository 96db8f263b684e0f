import type { Context, NextFunction } from "grammy";

/** Counts updates being handled (and drafts they started), so a shutdown can wait for them. */
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
      this.#done();
    }
  };

  /**
   * Counts work that goes on after its update was handled (a draft run outside the chat's
   * sequential lane), so a shutdown waits for it too.
   */
  track(work: Promise<unknown>): void {
    this.#count += 1;
    const done = () => this.#done();
    void work.then(done, done);
  }

  #done(): void {
    this.#count -= 1;
    if (this.#count === 0) for (const wake of this.#waiters.splice(0)) wake();
  }

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
