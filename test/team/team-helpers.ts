import Keyv from "keyv";
import { Store } from "../../src/store/store.js";
import { Harness, register } from "../helpers/harness.js";

/** A store over a Map the test can read whole, a bot on it, and a clock the test moves. */
export function teamBot(start = "2026-01-10T02:00:00Z") {
  const map = new Map<string, unknown>();
  const store = new Store(new Keyv({ store: map, namespace: "fazhi" }));
  const clock = { now: new Date(start) };
  const h = new Harness(store, { now: () => clock.now });
  return { map, store, clock, h };
}

export type TeamBot = ReturnType<typeof teamBot>;

/** Registers an org for `userId` and returns its record. */
export async function registerOrg(t: TeamBot, userId: number, name: string, person: string) {
  await register(t.h.chat(userId, person), name);
  const member = await t.store.getMember(userId);
  const org = member && (await t.store.getOrg(member.orgId));
  if (!org) throw new Error(`registration of ${name} failed`);
  return org;
}

/** Makes an invite as the admin through the button and returns the code the bot showed. */
export async function inviteCode(
  t: TeamBot,
  adminId: number,
  kind: "once" | "days",
): Promise<string> {
  const [text] = await t.h.run(() => t.h.chat(adminId).press(`inv:${kind}`));
  const code = /邀请码：([2-9A-Z]{8})/.exec(text ?? "")?.[1];
  if (!code) throw new Error(`no code in ${text}`);
  return code;
}
