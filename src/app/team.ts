import { isoDateOfDay, parseTypedDate } from "../domain/beijing-time.js";
import type { Assignments, Invite, Member } from "../domain/types.js";
import type { InviteKind } from "../interview/callbacks.js";
import type { Seat, Store } from "../store/store.js";
import { newInvite } from "../team/invites.js";
import { daysLeft, defaultDeadline, parseDeadline } from "../team/schedule.js";
import type { Section, Template } from "../template/load.js";
import { randomId } from "../text/ids.js";

/**
 * The team use cases: invites, members, removal, admin hand-over, section assignment and the
 * deadline. Each change is one store operation on fresh data; the caller has checked the seat
 * (and admin rights where needed) and turns the results into messages.
 */

export interface TeamDeps {
  store: Store;
  template: Template;
  now: () => Date;
}

export function isAdmin(seat: Seat): boolean {
  return seat.org.admins.includes(seat.member.userId);
}

export async function createInvite(deps: TeamDeps, seat: Seat, kind: InviteKind): Promise<Invite> {
  const invite = newInvite(randomId(8), seat.org.id, seat.member.userId, deps.now(), kind);
  await deps.store.putInvite(invite);
  return invite;
}

export interface Roster {
  members: Member[];
  assignments: Assignments;
}

export async function roster(deps: TeamDeps, seat: Seat): Promise<Roster> {
  const [members, assignments] = await Promise.all([
    deps.store.listMembers(seat.org.id),
    deps.store.getAssignments(seat.org.id),
  ]);
  return { members, assignments };
}

/** The sections a member owns. */
export function ownedBy(template: Template, assignments: Assignments, userId: number): Section[] {
  return template.sections.filter((s) => assignments[s.id] === userId);
}

/** Another member of the seat's own org, or undefined (a stale or foreign button). */
export async function colleague(
  deps: TeamDeps,
  seat: Seat,
  userId: number,
): Promise<Member | undefined> {
  if (userId === seat.member.userId) return undefined;
  const target = await deps.store.getMember(userId);
  return target?.orgId === seat.org.id ? target : undefined;
}

/** Removes a colleague; undefined when they are not one (nothing changes). */
export async function removeMember(
  deps: TeamDeps,
  seat: Seat,
  userId: number,
): Promise<Member | undefined> {
  const target = await colleague(deps, seat, userId);
  if (target) await deps.store.removeMember(seat.org.id, target.userId);
  return target;
}

/** Makes a colleague the admin instead of the seat's member, in one store operation. */
export async function handOverAdmin(
  deps: TeamDeps,
  seat: Seat,
  userId: number,
): Promise<Member | undefined> {
  const target = await colleague(deps, seat, userId);
  if (!target) return undefined;
  const done = await deps.store.handOverAdmin(seat.org.id, seat.member.userId, target.userId);
  return done ? target : undefined;
}

export type Assignment = { section: Section; owner: Member | undefined } | { problem: "stale" };

/** Gives a section to a member of the org, or to nobody (userId 0). */
export async function assignSection(
  deps: TeamDeps,
  seat: Seat,
  sectionId: string,
  userId: number,
): Promise<Assignment> {
  const section = deps.template.section(sectionId);
  const owner = userId === 0 ? undefined : await deps.store.getMember(userId);
  if (!section || (userId !== 0 && owner?.orgId !== seat.org.id)) return { problem: "stale" };
  await deps.store.assign(seat.org.id, section.id, owner ? owner.userId : null);
  return { section, owner };
}

export interface Deadline {
  date: Date;
  daysLeft: number;
}

export function deadlineOf(deps: TeamDeps, seat: Seat): Deadline {
  const { org } = seat;
  const date = org.deadline ? new Date(org.deadline) : defaultDeadline(org.year);
  return { date, daysLeft: daysLeft(date, deps.now()) };
}

/** Sets the deadline from what the admin typed; undefined when it is no future date. */
export async function setDeadline(
  deps: TeamDeps,
  seat: Seat,
  text: string,
): Promise<Deadline | undefined> {
  const now = deps.now();
  const date = parseDeadline(text, seat.org.year, now);
  if (!date) return undefined;
  await deps.store.setDeadline(seat.org.id, date.toISOString());
  return { date, daysLeft: daysLeft(date, now) };
}

/** What /signoff can be told: a date, "默认" to go back to the default rule, or nonsense. */
export type SignoffChange = { signoff: string | null } | { problem: "bad-date" };

/** Words that put the 落款 date back to the default rule. */
const DEFAULT_WORDS = /^(默认|清除|default|clear)$/i;

/**
 * Sets the org's 落款 date from what the admin typed ("2025-03-10", "3月10日" = the year after
 * the report year), or clears it; the date must fall in the report year or the year after.
 */
export async function setSignoff(deps: TeamDeps, seat: Seat, text: string): Promise<SignoffChange> {
  const { org } = seat;
  let signoff: string | null = null;
  if (!DEFAULT_WORDS.test(text.trim())) {
    const date = parseTypedDate(text, org.year + 1);
    if (!date || date.year < org.year || date.year > org.year + 1) return { problem: "bad-date" };
    signoff = isoDateOfDay(date.day);
  }
  await deps.store.setSignoff(org.id, signoff);
  return { signoff };
}
