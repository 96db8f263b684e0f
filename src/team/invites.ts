import type { Invite, JoinFailures } from "../domain/types.js";

/** How long the code made at registration and a "7天" /invite code work. */
export const INVITE_DAYS = 7;
/** Failed codes a user may try per window before being told to wait. */
export const JOIN_ATTEMPTS = 5;
const JOIN_WINDOW_MS = 10 * 60_000;

export type InviteProblem = "expired" | "used";

/** Why a code can no longer be used (given how often it was), or undefined when it can. */
export function inviteProblem(invite: Invite, now: Date, uses: number): InviteProblem | undefined {
  if (invite.oneTime && uses > 0) return "used";
  if (invite.expiresAt !== null && Date.parse(invite.expiresAt) <= now.getTime()) return "expired";
  return undefined;
}

export function newInvite(
  code: string,
  orgId: string,
  createdBy: number,
  now: Date,
  kind: "once" | "days",
): Invite {
  return {
    code,
    orgId,
    createdBy,
    createdAt: now.toISOString(),
    // One-time codes expire too: a code forwarded and forgotten should not work forever.
    expiresAt: new Date(now.getTime() + INVITE_DAYS * 86_400_000).toISOString(),
    oneTime: kind === "once",
  };
}

export function isJoinLimited(failures: JoinFailures | undefined, now: Date): boolean {
  if (!failures) return false;
  const fresh = now.getTime() - Date.parse(failures.since) < JOIN_WINDOW_MS;
  return fresh && failures.count >= JOIN_ATTEMPTS;
}

export function nextFailures(failures: JoinFailures | undefined, now: Date): JoinFailures {
  const fresh = failures && now.getTime() - Date.parse(failures.since) < JOIN_WINDOW_MS;
  return fresh
    ? { count: failures.count + 1, since: failures.since }
    : { count: 1, since: now.toISOString() };
}
