import { createInterface } from "node:readline";
import { Store } from "../../src/store/store.js";
import { type Job, runSide } from "./store-jobs.js";

/**
 * A second instance in a process of its own: `node --import tsx store-worker.ts URL NAMESPACE`.
 * For each line "JOB SIDE" on stdin it runs that half of a job and prints one JSON line.
 */
const [url, namespace] = process.argv.slice(2);
const store = Store.open(url, namespace);
await store.getMember(0); // connected before the first job, so both sides start together
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  const [job, side] = line.split(" ");
  try {
    const results = await runSide(store, job as Job, Number(side));
    process.stdout.write(`${JSON.stringify({ results })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
  }
}
await store.close();
