import type { Atomic } from "../../src/store/atomic.js";

/**
 * The store as the fuzz test sees it: a Map that journals writes, so every update's changes are
 * known exactly, and who each key belongs to, so a change can be judged against its sender.
 */

/** One key whose stored bytes differ after an update (undefined: absent). */
export interface Change {
  key: string;
  before: unknown;
  after: unknown;
}

/** A Map (Keyv's memory store) that remembers each key's value before its first write. */
export class JournalMap extends Map<string, unknown> {
  #before = new Map<string, unknown>();
  writes = 0;

  override set(key: string, value: unknown): this {
    this.#touch(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.#touch(key);
    return super.delete(key);
  }

  override clear(): void {
    throw new Error("the bot must never clear the store");
  }

  /** The keys whose bytes changed since the last call; rewriting the same bytes is no change. */
  take(): Change[] {
    const changes: Change[] = [];
    for (const [key, before] of this.#before) {
      const after = super.get(key);
      if (after !== before) changes.push({ key, before, after });
    }
    this.#before = new Map();
    return changes;
  }

  #touch(key: string): void {
    this.writes += 1;
    if (!this.#before.has(key)) this.#before.set(key, super.get(key));
  }
}

/**
 * The store's atomic counters and sets, kept in the same journaled Map (as `fazhi:atomic:KEY`,
 * like the Redis backend's keys), so their changes are judged like any other record's.
 */
export function journaledAtomic(map: JournalMap, namespace = "fazhi"): Atomic {
  const k = (key: string) => `${namespace}:atomic:${key}`;
  const read = <T>(key: string, empty: T): T => {
    const raw = map.get(k(key));
    return typeof raw === "string" ? (JSON.parse(raw) as { value: T }).value : empty;
  };
  const write = (key: string, value: unknown) => map.set(k(key), JSON.stringify({ value }));
  return {
    increment: async (key) => {
      const n = read(key, 0) + 1;
      write(key, n);
      return n;
    },
    count: async (key) => read(key, 0),
    addToSet: async (key, member) => {
      const members = read<string[]>(key, []);
      if (members.includes(member)) return false;
      write(key, [...members, member]);
      return true;
    },
    removeFromSet: async (key, member) => {
      const members = read<string[]>(key, []);
      if (members.includes(member))
        write(
          key,
          members.filter((m) => m !== member),
        );
    },
    members: async (key) => read<string[]>(key, []),
  };
}

/** Who a key belongs to: an org, a user (records kept per person), both, or everyone. */
export interface Owner {
  org?: string;
  user?: number;
  /** The list of all orgs. */
  global?: true;
  /** A key the fuzz test does not know: always reported. */
  unknown?: true;
}

const NAMESPACE = "fazhi:";

/** Keyv stores `{"value": …, "expires": …}` as JSON text. */
export function storedValue(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== "string") return undefined;
  const parsed = JSON.parse(raw) as { value?: unknown };
  return typeof parsed.value === "object" && parsed.value !== null
    ? (parsed.value as Record<string, unknown>)
    : undefined;
}

export function storedList(raw: unknown): unknown[] {
  if (typeof raw !== "string") return [];
  const { value } = JSON.parse(raw) as { value?: unknown };
  return Array.isArray(value) ? value : [];
}

/**
 * The owner of `key`, given its stored value (for records whose owner is inside the value) and
 * the store (an invite's use counter belongs to the invite's org).
 */
export function ownerOf(key: string, raw: unknown, map: Map<string, unknown>): Owner {
  if (!key.startsWith(NAMESPACE)) return { unknown: true };
  const inner = key.slice(NAMESPACE.length);
  if (inner.startsWith("atomic:")) return ownerOf(NAMESPACE + inner.slice(7), raw, map);
  const [kind = "", first = "", second = ""] = inner.split(":");
  const org = () => {
    const id = storedValue(raw)?.orgId;
    return typeof id === "string" ? id : undefined;
  };
  switch (kind) {
    case "orgs":
      return { global: true };
    case "org":
    case "org-members":
    case "assignments":
    case "reminders":
    case "answer":
    case "answer-version":
    case "answers-rev":
    case "draft-count":
    case "draft":
    case "draft-job":
    case "draft-gen":
    case "draft-lock":
      return { org: first };
    case "cursor":
      return { org: first, user: Number(second) };
    case "invite": {
      const id = org();
      return id === undefined ? { unknown: true } : { org: id };
    }
    case "invite-uses": {
      const id = storedValue(map.get(`${NAMESPACE}invite:${first}`))?.orgId;
      return typeof id === "string" ? { org: id } : { unknown: true };
    }
    case "member": {
      const id = org();
      return id === undefined ? { user: Number(first) } : { user: Number(first), org: id };
    }
    case "registration":
    case "join-failures":
      return { user: Number(first) };
    default:
      return { unknown: true };
  }
}

/** Both owners of a change: before and after (a member record may move between orgs). */
export function ownersOf(change: Change, map: Map<string, unknown>): Owner[] {
  const owners: Owner[] = [];
  if (change.before !== undefined) owners.push(ownerOf(change.key, change.before, map));
  if (change.after !== undefined) owners.push(ownerOf(change.key, change.after, map));
  return owners;
}

/** Every key of an org and of its members (by user id), as one comparable string. */
export function snapshotOf(map: Map<string, unknown>, orgId: string, userIds: number[]): string {
  const keys = [...map.keys()]
    .filter((key) => {
      const owner = ownerOf(key, map.get(key), map);
      return owner.org === orgId || (owner.user !== undefined && userIds.includes(owner.user));
    })
    .sort();
  return JSON.stringify(keys.map((key) => [key, map.get(key)]));
}
