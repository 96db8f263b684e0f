import Keyv from "keyv";
import type { AppDeps } from "../../src/app/deps.js";
import type { Member, Org } from "../../src/domain/types.js";
import { createLogger } from "../../src/log.js";
import { type Seat, Store } from "../../src/store/store.js";
import { newInvite } from "../../src/team/invites.js";
import { testNamespace } from "../helpers/backends.js";
import { template } from "../helpers/harness.js";

/**
 * Use cases on a real store (in memory by default, or `url` in a namespace of its own), a clock
 * the test moves, and the offline drafter.
 */
export function appWorld(url?: string, start = "2026-01-10T02:00:00Z") {
  const store = url
    ? Store.open(url, testNamespace())
    : new Store(new Keyv({ store: new Map(), namespace: "fazhi" }));
  const clock = { now: new Date(start) };
  const now = () => clock.now;
  const deps: AppDeps = {
    store,
    template,
    now,
    drafter: { template, logger: createLogger("silent") },
  };
  return { store, clock, deps };
}

export type AppWorld = ReturnType<typeof appWorld>;

/** An org registered by `adminId`, as the registration would store it. */
export async function orgWith(
  w: AppWorld,
  id: string,
  adminId: number,
  kind: Org["kind"] = "镇",
): Promise<Seat> {
  const org: Org = {
    id,
    name: `${id}${kind}`,
    kind,
    superior: "东莞市",
    year: 2025,
    inviteCode: `${id.toUpperCase()}CODE`,
    admins: [adminId],
    createdAt: w.clock.now.toISOString(),
  };
  await w.store.createOrg(org, newInvite(org.inviteCode, id, adminId, w.clock.now, "days"));
  const member = await memberOf(w, org, adminId, "admin");
  return { org, member };
}

export async function memberOf(
  w: AppWorld,
  org: Org,
  userId: number,
  role: Member["role"] = "member",
): Promise<Member> {
  const member: Member = {
    userId,
    orgId: org.id,
    role,
    displayName: `用户${userId}`,
    joinedAt: w.clock.now.toISOString(),
  };
  await w.store.addMember(member);
  return member;
}
