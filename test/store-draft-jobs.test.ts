import { afterAll, describe, expect, it } from "vitest";
import type { Org } from "../src/domain/types.js";
import { Store } from "../src/store/store.js";
import { newInvite } from "../src/team/invites.js";
import { type Backend, serverBackends, testNamespace } from "./helpers/backends.js";
import { tempDir } from "./helpers/harness.js";

/**
 * The running-draft marker across instances: two Store objects on one backend stand for two bot
 * instances; one org's draft slot is held by at most one job at a time.
 */

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const backends: Backend[] = [
  { name: "sqlite", url: `sqlite://${tmp.dir}/jobs.sqlite` },
  ...serverBackends(),
];

const ORG: Org = {
  id: "o1",
  name: "洪梅镇",
  kind: "镇",
  superior: "东莞市",
  year: 2025,
  inviteCode: "O1CODE",
  admins: [1],
  createdAt: "2026-01-10T02:00:00.000Z",
};

function job(userId: number) {
  const at = "2026-01-10T02:00:00.000Z";
  return {
    orgId: "o1",
    kind: "draft" as const,
    userId,
    chatId: userId,
    startedAt: at,
    beatAt: at,
    host: "h",
    pid: 1,
    processStart: 1,
  };
}

describe.each(backends)("draft jobs on $name", ({ url }) => {
  it("gives the slot to one instance until its job ends, and the end to one reporter", async () => {
    const namespace = testNamespace();
    const a = Store.open(url, namespace);
    const b = Store.open(url, namespace);
    try {
      await a.createOrg(ORG, newInvite(ORG.inviteCode, ORG.id, 1, new Date(ORG.createdAt), "days"));
      const [first, second] = await Promise.all([a.claimDraftJob(job(1)), b.claimDraftJob(job(2))]);
      const held = first ?? second;
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(held).toMatchObject({ gen: 0, state: "running" });
      expect(await b.claimDraftJob(job(3))).toBeUndefined();
      expect((await a.runningDraftJobs()).map((j) => j.userId)).toEqual([held?.userId]);
      if (!held) throw new Error("no job");

      const ends = await Promise.all([
        a.endDraftJob(held, "interrupted"),
        b.endDraftJob(held, "interrupted"),
      ]);
      expect(ends.filter(Boolean)).toHaveLength(1);
      expect(await b.getDraftJob("o1")).toMatchObject({ gen: 0, state: "interrupted" });
      expect(await a.runningDraftJobs()).toEqual([]);

      const next = await b.claimDraftJob(job(3));
      expect(next).toMatchObject({ gen: 1, userId: 3, state: "running" });
      await b.putDraftJob({ ...(next ?? held), progressMessageId: 9 });
      expect((await a.getDraftJob("o1"))?.progressMessageId).toBe(9);
    } finally {
      await a.close();
      // @keyv/postgres keeps one pool per URL: the second store's pool is the first's, closed.
      await b.close().catch(() => {});
    }
  });
});
