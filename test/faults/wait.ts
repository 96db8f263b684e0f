/** Polls `ok` every 20 ms; fails with `why()` after `ms`. Every wait in these tests is bounded. */
export async function waitUntil(
  ok: () => boolean | Promise<boolean>,
  ms: number,
  why: () => string,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`after ${ms} ms: ${why()}`);
    await sleep(20);
  }
}

/** `promise`, or a rejection naming `what` when it takes longer than `ms`. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
