/**
 * Serialises async work per key inside one process. Keyv has no compare-and-set, so a
 * read-modify-write of one record (appending to an answer) must not interleave with another
 * on the same key. A promise chain per key is all that needs; no library adds anything here.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
