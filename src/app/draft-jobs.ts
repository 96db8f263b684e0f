import { hostname } from "node:os";
import type { Org } from "../domain/types.js";
import type { DraftJob, Store } from "../store/store.js";

/**
 * The running-draft marker (issue 12.6, 14.6): one job per org in the store, so every instance
 * sees that a draft runs, and a job whose process died is reported as interrupted (at start-up
 * or on the user's next message) instead of leaving "起草中 10/12" forever.
 */

/** A running job refreshes its heartbeat this often… */
export const DRAFT_BEAT_MS = 30_000;
/** …so one silent for this long belongs to a process that is gone (another host, a hung one). */
export const DRAFT_STALE_MS = 4 * DRAFT_BEAT_MS;

/** This process: pids are reused (a container's bot is pid 1 after every restart). */
const SELF = {
  host: hostname(),
  pid: process.pid,
  processStart: Math.round(Date.now() - process.uptime() * 1000),
};

export interface JobStart {
  kind: DraftJob["kind"];
  userId: number;
  chatId: number;
}

/** Claims the org's draft slot; undefined while another draft of the org runs. */
export function claimJob(
  store: Store,
  org: Org,
  start: JobStart,
  now: Date,
): Promise<DraftJob | undefined> {
  const at = now.toISOString();
  return store.claimDraftJob({ ...start, orgId: org.id, startedAt: at, beatAt: at, ...SELF });
}

/** Whether a job's process is gone, so the job will never finish. */
export function isOrphaned(job: DraftJob, now: Date): boolean {
  if (job.state !== "running") return false;
  if (job.host === SELF.host) {
    if (job.pid === SELF.pid) return job.processStart !== SELF.processStart;
    if (!processAlive(job.pid)) return true;
  }
  return now.getTime() - Date.parse(job.beatAt) > DRAFT_STALE_MS;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The org's job when it was orphaned, now marked interrupted; undefined when there is none or
 * another instance reported it first.
 */
export async function takeOrphan(
  store: Store,
  orgId: string,
  now: Date,
): Promise<DraftJob | undefined> {
  const job = await store.getDraftJob(orgId);
  if (!job || !isOrphaned(job, now)) return undefined;
  return (await store.endDraftJob(job, "interrupted")) ? job : undefined;
}

/** Every orphaned job in the store, marked interrupted (at start-up). */
export async function takeOrphans(store: Store, now: Date): Promise<DraftJob[]> {
  const found: DraftJob[] = [];
  for (const job of await store.runningDraftJobs()) {
    if (isOrphaned(job, now) && (await store.endDraftJob(job, "interrupted"))) found.push(job);
  }
  return found;
}

/** What a running job may record while it works. */
export interface JobProgress {
  /** Records the "起草中" message, so a restart can unfreeze it; resolves once written. */
  progressMessage(messageId: number): Promise<void>;
}

/**
 * Runs `work` under a claimed job: a heartbeat while it runs, and the slot freed however it
 * ends. Every write of the record goes through one chain, so no late heartbeat can bring an
 * ended job back to "running".
 */
export async function runJob(
  store: Store,
  claimed: DraftJob,
  now: () => Date,
  work: (progress: JobProgress) => Promise<void>,
): Promise<void> {
  let job = claimed;
  let writes: Promise<void> = Promise.resolve();
  const write = (change: Partial<DraftJob>): Promise<void> => {
    job = { ...job, ...change };
    const snapshot = job;
    // A lost heartbeat or message id only weakens the interruption report; the draft goes on.
    writes = writes.then(() => store.putDraftJob(snapshot)).catch(() => {});
    return writes;
  };
  const beat = setInterval(() => void write({ beatAt: now().toISOString() }), DRAFT_BEAT_MS);
  beat.unref();
  try {
    await work({ progressMessage: (messageId) => write({ progressMessageId: messageId }) });
  } finally {
    clearInterval(beat);
    await writes;
    await store.endDraftJob(job, "done");
  }
}
