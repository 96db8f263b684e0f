import { type ChildProcess, spawn } from "node:child_process";
import { createInterface, type Interface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerVersion } from "../src/domain/types.js";
import { openBackend } from "../src/store/keyv.js";
import { Store } from "../src/store/store.js";
import { serverBackends, testNamespace } from "./helpers/backends.js";
import { tempDir } from "./helpers/harness.js";
import {
  ADMIN,
  APPENDS,
  HEIRS,
  type Job,
  RACE_ORG,
  REPLACEMENTS,
  runSide,
  SECTIONS,
  seedRace,
} from "./helpers/store-jobs.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** The other instance: a child process (shared servers) or a second Store in this one. */
interface Other {
  run(job: Job): Promise<unknown[]>;
  close(): Promise<void>;
}

function otherStore(store: Store): Other {
  return { run: (job) => runSide(store, job, 1), close: () => store.close() };
}

async function otherProcess(url: string, namespace: string): Promise<Other> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "test/helpers/store-worker.ts", url, namespace],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  if (!child.stdout || !child.stdin) throw new Error("worker without pipes");
  const lines: Interface = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    });
  expect(await next()).toBe("ready");
  const stdin = child.stdin;
  return {
    run: async (job) => {
      const reply = next();
      stdin.write(`${job} 1\n`);
      const parsed = JSON.parse(await reply) as { results?: unknown[]; error?: string };
      if (parsed.error !== undefined) throw new Error(`worker: ${parsed.error}`);
      return parsed.results ?? [];
    },
    close: async () => {
      stdin.end();
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

const backends = [
  { name: "sqlite", url: `sqlite://${tmp.dir}/race.sqlite`, shared: false },
  { name: "memory", url: "memory://", shared: false },
  ...serverBackends().map((b) => ({ ...b, shared: true })),
];

describe.each(backends)("two instances on one $name store", ({ name, url, shared }) => {
  const namespace = testNamespace();
  let store: Store;
  let other: Other;

  beforeAll(async () => {
    if (name === "memory") {
      // One process's memory: two Store instances over the same records.
      const { keyv, atomic, records } = openBackend(url, namespace);
      store = new Store(keyv, atomic, records);
      other = otherStore(new Store(keyv, atomic, records));
    } else {
      store = Store.open(url, namespace);
      // SQLite: a second Store is two more connections to the file.
      other = shared ? await otherProcess(url, namespace) : otherStore(Store.open(url, namespace));
    }
    await seedRace(store);
  }, 60_000);

  afterAll(async () => {
    await other?.close().catch(() => {});
    await store?.close().catch(() => {});
  });

  /** Both halves of a job at once; every call of both resolved (nothing refused or failed). */
  const race = async (job: Job) => {
    const [mine, theirs] = await Promise.all([runSide(store, job, 0), other.run(job)]);
    return [...mine, ...theirs];
  };

  /** Every version, oldest first; each is the one before it changed by one call. */
  const versionsOf = async (questionId: string): Promise<AnswerVersion[]> => {
    const answer = await store.getAnswerWithHistory(RACE_ORG, questionId);
    if (!answer) throw new Error(`no answer to ${questionId}`);
    return [...(answer.history ?? []), answer];
  };

  it(`keeps all ${APPENDS} appends to one answer, each once, in a serial order`, async () => {
    expect(await race("append")).toHaveLength(APPENDS);
    const versions = await versionsOf("intro.summary");
    expect(versions).toHaveLength(APPENDS);
    const pieces = versions.map((v, i) =>
      i === 0 ? v.text : v.text.slice((versions[i - 1]?.text.length ?? 0) + 1),
    );
    // A serial order: every version is the previous one with exactly one piece appended.
    for (const [i, v] of versions.entries()) {
      if (i > 0) expect(v.text).toBe(`${versions[i - 1]?.text}\n${pieces[i]}`);
      expect(v.text).toBe(
        `${v.text.slice(0, v.text.length - (pieces[i]?.length ?? 0))}${pieces[i]}`,
      );
      expect(pieces[i]).toBe(`补充${v.author}`);
    }
    const expected = Array.from({ length: APPENDS }, (_, i) => `补充${i}`);
    expect(pieces.toSorted()).toEqual(expected.toSorted());
  }, 120_000);

  it(`keeps all ${REPLACEMENTS} replacements of one answer as versions, each once`, async () => {
    expect(await race("replace")).toHaveLength(REPLACEMENTS);
    const versions = await versionsOf("rules.issued");
    expect(versions).toHaveLength(REPLACEMENTS);
    for (const v of versions) expect(v.text).toBe(`替换${v.author}`);
    const expected = Array.from({ length: REPLACEMENTS }, (_, i) => `替换${i}`);
    expect(versions.map((v) => v.text).toSorted()).toEqual(expected.toSorted());
  }, 120_000);

  it("keeps every section of 100 concurrent assignments, each with one of its offered owners", async () => {
    await race("assign");
    const assignments = await store.getAssignments(RACE_ORG.id);
    expect(Object.keys(assignments).toSorted()).toEqual(SECTIONS.toSorted());
    for (const [i, section] of SECTIONS.entries())
      expect([HEIRS[2 * i], HEIRS[2 * i + 1]]).toContain(assignments[section]);
  }, 60_000);

  it("applies exactly one of 100 concurrent admin hand-overs, the others refused", async () => {
    const results = (await race("handover")) as boolean[];
    expect(results.filter(Boolean)).toHaveLength(1);
    const org = await store.getOrg(RACE_ORG.id);
    const heir = org?.admins[0] ?? 0;
    expect(org?.admins).toEqual([heir]);
    expect(HEIRS).toContain(heir);
    expect((await store.getMember(heir))?.role).toBe("admin");
    expect((await store.getMember(ADMIN))?.role).toBe("member");
    const members = await store.listMembers(RACE_ORG.id);
    expect(members.filter((m) => m.role === "admin").map((m) => m.userId)).toEqual([heir]);
  }, 60_000);
});
