import type { Member, Org } from "../../src/domain/types.js";
import type { Store } from "../../src/store/store.js";

/**
 * The concurrent store jobs of test/store-race.test.ts: each is split into two sides, run at once
 * by two Store instances (for a shared server, in two processes: test/helpers/store-worker.ts).
 */
export const APPENDS = 1_000;
export const REPLACEMENTS = 200;
export const ASSIGNMENTS = 100;
export const HANDOVERS = 100;

export const RACE_ORG: Org = {
  id: "RACE",
  name: "竞争镇",
  kind: "镇",
  superior: "测试县",
  year: 2025,
  inviteCode: "RACECODE",
  admins: [1],
  createdAt: "2025-01-05T01:00:00.000Z",
};
export const ADMIN = 1;
/** Everyone an admin may hand over to (all members of RACE_ORG). */
export const HEIRS = Array.from({ length: HANDOVERS }, (_, i) => 100 + i);
export const SECTIONS = Array.from({ length: ASSIGNMENTS / 2 }, (_, i) => `section-${i}`);

export type Job = "append" | "replace" | "assign" | "handover";

/** The `side` (0 or 1) half of a job, all of it in flight at once; what each call returned. */
export async function runSide(store: Store, job: Job, side: number): Promise<unknown[]> {
  const mine = <T>(items: T[]) => items.filter((_, i) => i % 2 === side);
  const version = (text: string, author: number) => ({
    text,
    author,
    authorName: `u${author}`,
    at: "2025-01-05T02:00:00.000Z",
  });
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  switch (job) {
    case "append":
      return Promise.all(
        mine(all(APPENDS)).map((i) =>
          store.saveAnswer(RACE_ORG, "intro.summary", version(`补充${i}`, i), "append"),
        ),
      );
    case "replace":
      return Promise.all(
        mine(all(REPLACEMENTS)).map((i) =>
          store.saveAnswer(RACE_ORG, "rules.issued", version(`替换${i}`, i), "replace"),
        ),
      );
    case "assign":
      // Two owners offered for every section, one by each side: none may go missing.
      return Promise.all(
        mine(all(ASSIGNMENTS)).map((i) =>
          store.assign(RACE_ORG.id, SECTIONS[Math.floor(i / 2)] ?? "", HEIRS[i] ?? 0),
        ),
      );
    case "handover":
      return Promise.all(mine(HEIRS).map((heir) => store.handOverAdmin(RACE_ORG.id, ADMIN, heir)));
  }
}

/** The org, its admin and its members, before the jobs run. */
export async function seedRace(store: Store): Promise<void> {
  const member = (userId: number, role: Member["role"]): Member => ({
    userId,
    orgId: RACE_ORG.id,
    role,
    displayName: `u${userId}`,
    joinedAt: RACE_ORG.createdAt,
  });
  await store.createOrg(RACE_ORG, {
    code: RACE_ORG.inviteCode,
    orgId: RACE_ORG.id,
    createdBy: ADMIN,
    createdAt: RACE_ORG.createdAt,
    expiresAt: null,
    oneTime: false,
  });
  await store.addMember(member(ADMIN, "admin"));
  for (const heir of HEIRS) await store.addMember(member(heir, "member"));
}
