import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Org } from "../src/domain/types.js";
import { openBackend } from "../src/store/keyv.js";
import { Store, StoreError } from "../src/store/store.js";
import { newInvite } from "../src/team/invites.js";
import { serverBackends, testNamespace } from "./helpers/backends.js";
import { tempDir } from "./helpers/harness.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ORG: Org = {
  id: "ORG1",
  name: "洪梅镇",
  kind: "镇",
  superior: "东莞市",
  year: 2024,
  inviteCode: "ABCDEFGH",
  admins: [1],
  createdAt: "2025-01-05T01:00:00.000Z",
};
const v = (text: string, author = 1) => ({
  text,
  author,
  authorName: `u${author}`,
  at: "2025-01-05T02:00:00.000Z",
});

const backends = [
  { name: "sqlite", url: `sqlite://${tmp.dir}/nested/dir/store.sqlite` },
  { name: "memory", url: "memory://" },
  ...serverBackends(),
];

describe.each(backends)("the $name store", ({ url }) => {
  // One namespace per backend and run: a shared server keeps other runs' keys apart.
  const namespace = testNamespace();
  const open = () => Store.open(url, namespace);

  it("keeps orgs, invite codes, members, registrations and cursors", async () => {
    const store = open();
    const invite = newInvite("ABCDEFGH", "ORG1", 1, new Date(ORG.createdAt), "days");
    await store.createOrg(ORG, invite);
    await store.createOrg(ORG, invite);
    expect(await store.getOrg("ORG1")).toEqual(ORG);
    expect(await store.listOrgIds()).toEqual(["ORG1"]);
    expect(await store.getInvite("ABCDEFGH")).toEqual(invite);
    expect(await store.getInvite("NOPE")).toBeUndefined();
    const member = {
      userId: 1,
      orgId: "ORG1",
      role: "admin" as const,
      displayName: "小王",
      joinedAt: ORG.createdAt,
    };
    await store.putMember(member);
    expect(await store.getMember(1)).toEqual(member);
    await store.setRegistration(2, { step: "kind", name: "盘龙乡" });
    expect(await store.getRegistration(2)).toEqual({ step: "kind", name: "盘龙乡" });
    await store.setRegistration(2, null);
    expect(await store.getRegistration(2)).toBeUndefined();
    await store.setCursor("ORG1", 1, {
      questionId: "rules.issued",
      pending: { mode: "append", questionId: "intro.summary" },
    });
    expect(await store.getCursor("ORG1", 1)).toEqual({
      questionId: "rules.issued",
      pending: { mode: "append", questionId: "intro.summary" },
    });
    await store.close();
  });

  it("keeps members, assignments, one-time invites and sent reminders", async () => {
    const store = open();
    const member = (userId: number, orgId = "ORG1") => ({
      userId,
      orgId,
      role: "member" as const,
      displayName: `u${userId}`,
      joinedAt: ORG.createdAt,
    });
    await Promise.all([1, 2, 3].map((id) => store.addMember(member(id))));
    await store.addMember(member(4, "ORG2"));
    expect((await store.listMembers("ORG1")).map((m) => m.userId).sort()).toEqual([1, 2, 3]);
    await store.assign("ORG1", "rules", 2);
    await store.assign("ORG1", "enforcement", 3);
    await store.assign("ORG1", "disputes", 2);
    expect(await store.getAssignments("ORG1")).toEqual({ rules: 2, enforcement: 3, disputes: 2 });
    await store.setCursor("ORG1", 2, { questionId: "rules.issued", pending: null });
    await store.removeMember("ORG1", 2);
    expect(await store.getMember(2)).toBeUndefined();
    expect(await store.getCursor("ORG1", 2)).toBeUndefined();
    expect(await store.getAssignments("ORG1")).toEqual({ enforcement: 3 });
    expect((await store.listMembers("ORG1")).map((m) => m.userId).sort()).toEqual([1, 3]);
    // Removing a user who belongs to another org leaves that membership alone.
    await store.removeMember("ORG1", 4);
    expect(await store.getMember(4)).toMatchObject({ orgId: "ORG2" });

    const once = newInvite("ONCE2345", "ORG1", 1, new Date(ORG.createdAt), "once");
    await store.putInvite(once);
    const uses = await Promise.all([5, 6].map(() => store.useInvite(once)));
    expect(uses.sort()).toEqual([false, true]);
    expect(await store.inviteUses("ONCE2345")).toBe(2);

    expect(await store.markSlotSent("ORG1", "2026-03-15", "d14")).toBe(true);
    expect(await store.markSlotSent("ORG1", "2026-03-15", "d14")).toBe(false);
    expect([...(await store.getSentSlots("ORG1", "2026-03-15"))]).toEqual(["d14"]);
    expect([...(await store.getSentSlots("ORG1", "2026-03-10"))]).toEqual([]);
    await store.close();
  });

  it.skipIf(url === "memory://")(
    "stays right when two instances add members, use a one-time code and send a reminder at once",
    async () => {
      // Two Stores on one backend behave like two bot processes sharing it.
      const [a, b] = [open(), open()];
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).addMember({
            userId: 100 + i,
            orgId: "ORG9",
            role: "member",
            displayName: `m${i}`,
            joinedAt: ORG.createdAt,
          }),
        ),
      );
      expect((await a.listMembers("ORG9")).map((m) => m.userId).sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => 100 + i),
      );
      const once = newInvite("TWICE234", "ORG9", 1, new Date(ORG.createdAt), "once");
      await a.putInvite(once);
      const claims = await Promise.all([a, b, a, b].map((s) => s.useInvite(once)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      const sent = await Promise.all(
        [a, b, a, b].map((s) => s.markSlotSent("ORG9", "2026-03-15", "d7")),
      );
      expect(sent.filter(Boolean)).toHaveLength(1);
      const drafts = await Promise.all(
        [a, b, a, b].map((s) =>
          s.addDraft(
            { ...ORG, id: "ORG9" },
            {
              createdAt: ORG.createdAt,
              author: 1,
              authorName: "x",
              title: "t",
              text: "t",
              markdown: "t",
              sections: [],
              check: { items: [], missing: [], weak: [], warnings: [] },
              ungrounded: [],
              usage: { promptTokens: 0, completionTokens: 0 },
            },
          ),
        ),
      );
      expect(drafts.map((d) => d.n).sort()).toEqual([1, 2, 3, 4]);
      await a.close();
      // @keyv/postgres keeps one pool per URL: the second store's pool is the first's, closed.
      await b.close().catch(() => {});
    },
  );

  it("keeps one record per answer with its author and earlier versions", async () => {
    const store = open();
    await store.saveAnswer(ORG, "rules.issued", v("未制定"), "replace");
    await store.saveAnswer(ORG, "rules.issued", v("制定1件", 2), "replace");
    const appended = await store.saveAnswer(ORG, "rules.issued", v("已备案", 3), "append");
    expect(appended).toEqual({ questionId: "rules.issued", ...v("制定1件\n已备案", 3) });
    expect(await store.getAnswer(ORG, "rules.issued")).toEqual(appended);
    expect(await store.getAnswerWithHistory(ORG, "rules.issued")).toEqual({
      ...appended,
      history: [v("未制定"), v("制定1件", 2)],
    });
    const other = { ...ORG, year: 2025 };
    expect(await store.getAnswer(other, "rules.issued")).toBeUndefined();
    const many = await store.getAnswers(ORG, ["rules.issued", "rules.filing"]);
    expect([...many.keys()]).toEqual(["rules.issued"]);
    await store.close();
  });

  it("moves the earlier versions of an answer stored before issue 13 out of its record", async () => {
    const { keyv, atomic, records } = openBackend(url, namespace);
    const key = "answer:ORG1:2024:rules.filing";
    await keyv.set(key, { questionId: "rules.filing", ...v("第二版", 2), history: [v("第一版")] });
    const store = new Store(keyv, atomic, records);
    expect(await store.getAnswer(ORG, "rules.filing")).toEqual({
      questionId: "rules.filing",
      ...v("第二版", 2),
    });
    await store.saveAnswer(ORG, "rules.filing", v("第三版", 3), "replace");
    expect(await store.getAnswerWithHistory(ORG, "rules.filing")).toEqual({
      questionId: "rules.filing",
      ...v("第三版", 3),
      history: [v("第一版"), v("第二版", 2)],
    });
    // Keyv itself still reads the record (the same key and format).
    expect(await keyv.get(key)).toMatchObject({ text: "第三版", earlier: 2 });
    await store.close();
  });

  it("keeps every append when many arrive at once for the same answer", async () => {
    const store = open();
    const texts = Array.from({ length: 40 }, (_, i) => `第${i}段`);
    await Promise.all(texts.map((t) => store.saveAnswer(ORG, "intro.summary", v(t), "append")));
    const answer = await store.getAnswerWithHistory(ORG, "intro.summary");
    expect(answer?.text.split("\n").toSorted()).toEqual(texts.toSorted());
    expect(answer?.history).toHaveLength(39);
    await store.close();
  });

  it("numbers drafts per org and year", async () => {
    const store = open();
    const draft = {
      createdAt: ORG.createdAt,
      author: 1,
      authorName: "小王",
      title: "洪梅镇关于2024年度法治政府建设情况的报告",
      text: "报告",
      markdown: "# 报告",
      sections: [],
      check: { items: [], missing: [], weak: [], warnings: [] },
      ungrounded: [],
      usage: { promptTokens: 0, completionTokens: 0 },
    };
    const [a, b] = await Promise.all([store.addDraft(ORG, draft), store.addDraft(ORG, draft)]);
    expect([a?.n, b?.n].sort()).toEqual([1, 2]);
    expect((await store.listDrafts(ORG)).map((d) => d.n)).toEqual([1, 2]);
    expect(await store.listDrafts({ ...ORG, id: "ORG2" })).toEqual([]);
    await store.close();
  });
});

describe("store failures", () => {
  it("reports an unreachable database as a StoreError instead of 'not found'", async () => {
    // A directory where the database file should be: SQLite cannot open it.
    mkdirSync(join(tmp.dir, "occupied.sqlite"));
    const store = Store.open(`sqlite://${tmp.dir}/occupied.sqlite`);
    await expect(store.getMember(1)).rejects.toBeInstanceOf(StoreError);
    await expect(store.saveAnswer(ORG, "intro.summary", v("x"), "replace")).rejects.toThrow(
      /store operation failed: SQLITE_CANTOPEN/,
    );
  });

  it("rejects an unknown STORE_URL scheme with a clear message", () => {
    expect(() => Store.open("mongodb://127.0.0.1/x")).toThrow(
      /STORE_URL "mongodb:\/\/127.0.0.1\/x" is not supported/,
    );
  });
});
