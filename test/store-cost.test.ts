import { afterAll, describe, expect, it } from "vitest";
import { withLastYear } from "../src/interview/last-year.js";
import { questionsOf } from "../src/interview/progress.js";
import { openBackend } from "../src/store/keyv.js";
import { Store } from "../src/store/store.js";
import { serverBackends, testNamespace } from "./helpers/backends.js";
import { Harness, register, tempDir, template } from "./helpers/harness.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const backends = [
  { name: "sqlite", url: `sqlite://${tmp.dir}/cost.sqlite` },
  { name: "memory", url: "memory://" },
  ...serverBackends(),
];

/** Two Store instances on one backend (memory: over the same records, as one process). */
function twoStores(url: string, namespace: string): [Store, Store] {
  if (url !== "memory://") return [Store.open(url, namespace), Store.open(url, namespace)];
  const { keyv, atomic, records } = openBackend(url, namespace);
  return [new Store(keyv, atomic, records), new Store(keyv, atomic, records)];
}

const ids = questionsOf(template).map((q) => q.id);

describe.each(backends)("what an answer costs on the $name store", ({ url }) => {
  const namespace = testNamespace();

  it("makes exactly one commit and at most 3 round trips per acknowledged answer", async () => {
    const [store, other] = twoStores(url, namespace);
    const h = new Harness(store);
    const chat = h.chat(1);
    await register(chat);
    const org = (await store.loadUser(1, ids)).org;
    if (!org) throw new Error("not registered");
    const costs: { commits: number; roundTrips: number }[] = [];
    const answer = async (text: string) => {
      const before = { ...store.meter };
      const replies = await h.run(() => chat.send(text));
      expect(replies[0]).toContain("✅");
      costs.push({
        commits: store.meter.commits - before.commits,
        roundTrips: store.meter.roundTrips - before.roundTrips,
      });
    };
    for (let i = 1; i <= 5; i++) await answer(`第${i}条回答：全年开展${i}次`);
    // Another instance writes to the org: this one's cached answers are stale, found so and read.
    await other.saveAnswer(org, ids[20] ?? "", v("另一实例写入"), "replace");
    await answer("第6条回答");
    await chat.press(`ap:${ids[0]}`);
    await answer("补充内容");
    expect(costs).toHaveLength(7);
    for (const cost of costs) {
      expect(cost.commits).toBe(1);
      expect(cost.roundTrips).toBeLessThanOrEqual(3);
    }
    expect(h.errors).toEqual([]);
    await store.close();
    await other.close().catch(() => {});
  });

  it("reads last year's record and its questions' answers with the rest: still ≤ 3 round trips", async () => {
    const [store, other] = twoStores(url, namespace);
    const h = new Harness(store);
    const chat = h.chat(3);
    await register(chat);
    const org = (await store.loadUser(3, ids)).org;
    if (!org) throw new Error("not registered");
    await store.setLastYear(org.id, LAST_YEAR);
    const merged = withLastYear(template, LAST_YEAR);
    const extra = merged.sections.flatMap((s) => s.questions).filter((q) => q.lastYear);
    expect(extra.length).toBe(2);
    const costs: number[] = [];
    const send = async (text: string) => {
      const before = store.meter.roundTrips;
      const replies = await h.run(() => chat.send(text));
      costs.push(store.meter.roundTrips - before);
      return replies;
    };
    // The first message after the import reads the new questions' answers once more.
    await send("/status");
    for (const q of extra) {
      await h.run(() => chat.press(`ed:${q.id}`));
      expect((await send(`${q.sectionId} 落实情况：全年3次`))[0]).toContain("✅");
    }
    // Another instance answers one of them: found stale, read again, still within the budget.
    await other.saveAnswer(org, extra[0]?.id ?? "", v("另一实例写入"), "replace");
    await send("第二条回答");
    const seen = await store.loadUser(3, (ly) =>
      questionsOf(withLastYear(template, ly)).map((q) => q.id),
    );
    expect(seen.lastYear).toEqual(LAST_YEAR);
    expect(seen.answers.get(extra[0]?.id ?? "")?.text).toBe("另一实例写入");
    expect(seen.answers.get(extra[1]?.id ?? "")?.text).toBe("shortcomings 落实情况：全年3次");
    for (const cost of costs) expect(cost).toBeLessThanOrEqual(3);
    expect(h.errors).toEqual([]);
    await store.close();
    await other.close().catch(() => {});
  });

  it("never serves an answer another instance has since replaced", async () => {
    const [a, b] = twoStores(url, namespace);
    const { org } = await registerDirectly(a, 2);
    await a.saveAnswer(org, "rules.issued", v("旧"), "replace");
    expect((await a.loadUser(2, ids)).answers.get("rules.issued")?.text).toBe("旧");
    await b.saveAnswer(org, "rules.issued", v("新"), "replace");
    expect((await a.loadUser(2, ids)).answers.get("rules.issued")?.text).toBe("新");
    await b.saveAnswer(org, "rules.filing", v("另一题"), "replace");
    const seen = (await a.loadUser(2, ids)).answers;
    expect([seen.get("rules.issued")?.text, seen.get("rules.filing")?.text]).toEqual([
      "新",
      "另一题",
    ]);
    await a.close();
    await b.close().catch(() => {});
  });
});

const LAST_YEAR = {
  fileName: "2024.txt",
  year: 2024,
  plans: [{ text: "进一步推进行政执法“三项制度”全面落实", section: "enforcement" }],
  shortcomings: [{ text: "执法人员持证率只有78%" }],
  importedBy: 3,
  importedAt: "2026-01-10T02:00:00.000Z",
};

const v = (text: string) => ({
  text,
  author: 9,
  authorName: "他人",
  at: "2026-01-10T02:00:00.000Z",
});

async function registerDirectly(store: Store, userId: number) {
  const org = {
    id: `ORG${userId}`,
    name: "缓存镇",
    kind: "镇" as const,
    superior: "测试县",
    year: 2025,
    inviteCode: `CODE${userId}`,
    admins: [userId],
    createdAt: "2026-01-10T02:00:00.000Z",
  };
  await store.createOrg(org, {
    code: org.inviteCode,
    orgId: org.id,
    createdBy: userId,
    createdAt: org.createdAt,
    expiresAt: null,
    oneTime: false,
  });
  await store.addMember({
    userId,
    orgId: org.id,
    role: "admin",
    displayName: "管理员",
    joinedAt: org.createdAt,
  });
  return { org };
}
