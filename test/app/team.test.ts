import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  assignSection,
  createInvite,
  deadlineOf,
  handOverAdmin,
  isAdmin,
  removeMember,
  roster,
  setDeadline,
} from "../../src/app/team.js";
import type { Seat } from "../../src/store/store.js";
import { serverBackends } from "../helpers/backends.js";
import { tempDir } from "../helpers/harness.js";
import { type AppWorld, appWorld, memberOf, orgWith } from "./app-helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
/** Hand-over and deadline are store operations of their own: every backend runs them. */
const BACKENDS = [
  { name: "memory", url: undefined },
  { name: "sqlite", url: `sqlite://${tmp.dir}/team.sqlite` },
  ...serverBackends(),
];

const ADMIN = 11;
const COLLEAGUE = 12;
const STRANGER = 21;
describe.each(BACKENDS)("the team use cases on the $name store", ({ url }) => {
  let w: AppWorld;
  let seat: Seat;

  beforeEach(async () => {
    w = appWorld(url);
    seat = await orgWith(w, "a", ADMIN);
    await memberOf(w, seat.org, COLLEAGUE);
    await orgWith(w, "b", STRANGER);
  });

  afterEach(() => w.store.close());

  describe("the store's seat", () => {
    it("is the member with their org, and nothing for a stranger to the store", async () => {
      expect(await w.store.seatOf(COLLEAGUE)).toEqual({
        member: expect.objectContaining({ userId: COLLEAGUE, orgId: "a" }),
        org: expect.objectContaining({ id: "a" }),
      });
      expect(await w.store.seatOf(999)).toBeUndefined();
    });
  });

  describe("invites", () => {
    it("are stamped with the injected clock and stored", async () => {
      w.clock.now = new Date("2026-02-01T00:00:00Z");
      const invite = await createInvite(w.deps, seat, "once");
      expect(invite).toMatchObject({
        orgId: "a",
        createdBy: ADMIN,
        createdAt: "2026-02-01T00:00:00.000Z",
        expiresAt: "2026-02-08T00:00:00.000Z",
        oneTime: true,
      });
      expect(await w.store.getInvite(invite.code)).toEqual(invite);
    });
  });

  describe("removing a member", () => {
    it("takes out a colleague with their assignments", async () => {
      await assignSection(w.deps, seat, "enforcement", COLLEAGUE);
      const removed = await removeMember(w.deps, seat, COLLEAGUE);
      expect(removed?.userId).toBe(COLLEAGUE);
      expect(await w.store.seatOf(COLLEAGUE)).toBeUndefined();
      expect((await roster(w.deps, seat)).assignments).toEqual({});
    });

    it("changes nothing for oneself or a member of another org", async () => {
      expect(await removeMember(w.deps, seat, ADMIN)).toBeUndefined();
      expect(await removeMember(w.deps, seat, STRANGER)).toBeUndefined();
      expect((await w.store.seatOf(STRANGER))?.org.id).toBe("b");
      expect((await roster(w.deps, seat)).members.map((m) => m.userId).sort()).toEqual([
        ADMIN,
        COLLEAGUE,
      ]);
    });
  });

  describe("handing over admin", () => {
    it("swaps the admin and both roles in one store operation", async () => {
      const target = await handOverAdmin(w.deps, seat, COLLEAGUE);
      expect(target?.userId).toBe(COLLEAGUE);
      const after = await w.store.seatOf(COLLEAGUE);
      expect(after?.org.admins).toEqual([COLLEAGUE]);
      expect(after?.member.role).toBe("admin");
      expect((await w.store.getMember(ADMIN))?.role).toBe("member");
      expect(after && isAdmin(after)).toBe(true);
    });

    it("refuses a second hand-over from a stale seat, and keeps a change made meanwhile", async () => {
      expect(await handOverAdmin(w.deps, seat, COLLEAGUE)).toBeDefined();
      // Meanwhile the deadline changed; `seat` still says ADMIN is admin, with no deadline.
      const fresh = await w.store.seatOf(COLLEAGUE);
      if (!fresh) throw new Error("colleague lost");
      await setDeadline(w.deps, fresh, "2026-03-01");
      expect(await handOverAdmin(w.deps, seat, COLLEAGUE)).toBeUndefined();
      const org = await w.store.getOrg("a");
      expect(org?.admins).toEqual([COLLEAGUE]);
      expect(org?.deadline).toBeDefined();
    });

    it("never to a member of another org", async () => {
      expect(await handOverAdmin(w.deps, seat, STRANGER)).toBeUndefined();
      expect((await w.store.getOrg("a"))?.admins).toEqual([ADMIN]);
      expect((await w.store.getOrg("b"))?.admins).toEqual([STRANGER]);
    });
  });

  describe("assigning sections", () => {
    it("gives a section to a member, and takes it back with 0", async () => {
      const given = await assignSection(w.deps, seat, "rules", COLLEAGUE);
      expect(given).toMatchObject({ section: { id: "rules" }, owner: { userId: COLLEAGUE } });
      expect((await roster(w.deps, seat)).assignments).toEqual({ rules: COLLEAGUE });
      expect(await assignSection(w.deps, seat, "rules", 0)).toMatchObject({ owner: undefined });
      expect((await roster(w.deps, seat)).assignments).toEqual({});
    });

    it("refuses an unknown section or a member of another org", async () => {
      expect(await assignSection(w.deps, seat, "nowhere", COLLEAGUE)).toEqual({ problem: "stale" });
      expect(await assignSection(w.deps, seat, "rules", STRANGER)).toEqual({ problem: "stale" });
      expect((await roster(w.deps, seat)).assignments).toEqual({});
    });
  });

  describe("the deadline", () => {
    it("defaults to 15 March after the report year, counted from the injected clock", () => {
      const deadline = deadlineOf(w.deps, seat);
      expect(deadline.date.toISOString()).toBe("2026-03-15T15:59:59.999Z");
      expect(deadline.daysLeft).toBe(64);
    });

    it("is set on the org's current record; a date in the past is refused", async () => {
      await w.store.updateOrg(seat.org.id, (org) => ({ ...org, name: "改名后" }));
      const set = await setDeadline(w.deps, seat, "3月10日");
      expect(set?.date.toISOString()).toBe("2026-03-10T15:59:59.999Z");
      expect(await w.store.getOrg("a")).toMatchObject({
        name: "改名后",
        deadline: "2026-03-10T15:59:59.999Z",
      });
      expect(await setDeadline(w.deps, seat, "2025-01-01")).toBeUndefined();
      expect(await setDeadline(w.deps, seat, "明天")).toBeUndefined();
    });
  });
});
