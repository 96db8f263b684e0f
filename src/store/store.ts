import type Keyv from "keyv";
import type {
  Answer,
  AnswerVersion,
  Assignments,
  Cursor,
  Draft,
  Invite,
  JoinFailures,
  Member,
  Org,
  Registration,
} from "../domain/types.js";
import type { Template } from "../template/load.js";
import { type Atomic, memoryAtomic } from "./atomic.js";
import { KeyedLock } from "./keyed-lock.js";
import { openBackend } from "./keyv.js";

/** Every store operation fails (StoreError) after this long, whatever the backend does. */
export const STORE_TIMEOUT_MS = 10_000;

/** A store operation failed (backend down, timeout…). Users are told to retry; nothing is lost. */
export class StoreError extends Error {
  override name = "StoreError";
}

/** Where a user sits: their member record and their org (the two always agree). */
export interface Seat {
  member: Member;
  org: Org;
}

/** Typed repositories over one Keyv; one key per independently changing record (design.md). */
export class Store {
  readonly #keyv: Keyv;
  readonly #atomic: Atomic;
  readonly #lock = new KeyedLock();

  /** `atomic` defaults to one process's own counters and sets (a Keyv built by hand, in tests). */
  constructor(keyv: Keyv, atomic: Atomic = memoryAtomic()) {
    // A failed read must not look like "no such record", nor a failed write like success.
    keyv.throwOnErrors = true;
    // Errors reach the caller as StoreError; the listener only keeps the emitter quiet.
    keyv.on("error", () => {});
    this.#keyv = keyv;
    this.#atomic = atomic;
  }

  static open(url?: string, namespace?: string): Store {
    const { keyv, atomic } = openBackend(url, namespace);
    return new Store(keyv, atomic);
  }

  // Orgs and invite codes.
  getOrg(orgId: string): Promise<Org | undefined> {
    return this.#get(`org:${orgId}`);
  }

  /** A new org: its record, its registration invite, and its place in the list of orgs. */
  async createOrg(org: Org, invite: Invite): Promise<void> {
    await this.putOrg(org);
    await this.putInvite(invite);
    await this.#wrap(() => this.#atomic.addToSet("orgs", org.id));
  }

  putOrg(org: Org): Promise<void> {
    return this.#set(`org:${org.id}`, org);
  }

  /** Sets (or with null clears) an org's report deadline on its current record. */
  async setDeadline(orgId: string, deadline: string | null): Promise<Org | undefined> {
    let changed: Org | undefined;
    await this.#update<Org>(`org:${orgId}`, (org) => {
      if (!org) return undefined;
      const { deadline: _old, ...rest } = org;
      changed = deadline === null ? rest : { ...rest, deadline };
      return changed;
    });
    return changed;
  }

  /** Sets (or with null clears) an org's 落款 date ("2025-03-10") on its current record. */
  async setSignoff(orgId: string, signoff: string | null): Promise<Org | undefined> {
    let changed: Org | undefined;
    await this.#update<Org>(`org:${orgId}`, (org) => {
      if (!org) return undefined;
      const { signoff: _old, ...rest } = org;
      changed = signoff === null ? rest : { ...rest, signoff };
      return changed;
    });
    return changed;
  }

  /**
   * Makes `toUserId` the org's admin in place of `fromUserId`, read fresh under the org's lock:
   * false (and nothing written) when `from` is no longer an admin or `to` no longer a member.
   */
  handOverAdmin(orgId: string, fromUserId: number, toUserId: number): Promise<boolean> {
    return this.#lock.run(`org:${orgId}`, async () => {
      const [org, from, to] = await Promise.all([
        this.getOrg(orgId),
        this.getMember(fromUserId),
        this.getMember(toUserId),
      ]);
      if (!org?.admins.includes(fromUserId) || from?.orgId !== orgId || to?.orgId !== orgId) {
        return false;
      }
      const admins = [...org.admins.filter((id) => id !== fromUserId && id !== toUserId), toUserId];
      await this.putOrg({ ...org, admins });
      await this.putMember({ ...to, role: "admin" });
      await this.putMember({ ...from, role: "member" });
      return true;
    });
  }

  /** Every org id, for the reminder round. */
  async listOrgIds(): Promise<string[]> {
    return this.#wrap(() => this.#atomic.members("orgs"));
  }

  // Invites.
  getInvite(code: string): Promise<Invite | undefined> {
    return this.#get(`invite:${code}`);
  }

  putInvite(invite: Invite): Promise<void> {
    return this.#set(`invite:${invite.code}`, invite);
  }

  /** How often a code was used. */
  inviteUses(code: string): Promise<number> {
    return this.#wrap(() => this.#atomic.count(`invite-uses:${code}`));
  }

  /** Counts a use; false when a one-time code was taken first by someone else. */
  async useInvite(invite: Invite): Promise<boolean> {
    const uses = await this.#wrap(() => this.#atomic.increment(`invite-uses:${invite.code}`));
    return !invite.oneTime || uses === 1;
  }

  getJoinFailures(userId: number): Promise<JoinFailures | undefined> {
    return this.#get(`join-failures:${userId}`);
  }

  async setJoinFailures(userId: number, failures: JoinFailures | null): Promise<void> {
    if (failures) await this.#set(`join-failures:${userId}`, failures);
    else await this.#delete(`join-failures:${userId}`);
  }

  // Members.
  getMember(userId: number): Promise<Member | undefined> {
    return this.#get(`member:${userId}`);
  }

  /** A user's member record with its org; undefined for a non-member (or an org gone). */
  async seatOf(userId: number): Promise<Seat | undefined> {
    const member = await this.getMember(userId);
    const org = member && (await this.getOrg(member.orgId));
    return member && org ? { member, org } : undefined;
  }

  putMember(member: Member): Promise<void> {
    return this.#set(`member:${member.userId}`, member);
  }

  /** A member record and its place in the org's member list. */
  async addMember(member: Member): Promise<void> {
    await this.putMember(member);
    await this.#wrap(() =>
      this.#atomic.addToSet(`org-members:${member.orgId}`, String(member.userId)),
    );
  }

  /** Takes a member out of an org: from then on every request of theirs is refused. */
  async removeMember(orgId: string, userId: number): Promise<void> {
    const member = await this.getMember(userId);
    if (member?.orgId === orgId) await this.#delete(`member:${userId}`);
    await this.#wrap(() => this.#atomic.removeFromSet(`org-members:${orgId}`, String(userId)));
    await this.#update<Assignments>(`assignments:${orgId}`, (current = {}) =>
      Object.fromEntries(Object.entries(current).filter(([, owner]) => owner !== userId)),
    );
    await this.#delete(`cursor:${orgId}:${userId}`);
  }

  async listMembers(orgId: string): Promise<Member[]> {
    const ids = await this.#wrap(() => this.#atomic.members(`org-members:${orgId}`));
    const members = await this.#wrap(() =>
      this.#keyv.getMany<Member>(ids.map((id) => `member:${id}`)),
    );
    return members.filter((m): m is Member => m?.orgId === orgId);
  }

  // Section assignments.
  async getAssignments(orgId: string): Promise<Assignments> {
    return (await this.#get<Assignments>(`assignments:${orgId}`)) ?? {};
  }

  async assign(orgId: string, sectionId: string, userId: number | null): Promise<void> {
    await this.#update<Assignments>(`assignments:${orgId}`, (current = {}) => {
      const { [sectionId]: _previous, ...rest } = current;
      return userId === null ? rest : { ...rest, [sectionId]: userId };
    });
  }

  // Reminders: the slots already sent, per deadline (a new deadline starts afresh).
  async getSentSlots(orgId: string, deadline: string): Promise<Set<string>> {
    return new Set(await this.#wrap(() => this.#atomic.members(`reminders:${orgId}:${deadline}`)));
  }

  /** Marks a slot as sent; false when it already was (so it is never sent twice). */
  async markSlotSent(orgId: string, deadline: string, slotId: string): Promise<boolean> {
    return this.#wrap(() => this.#atomic.addToSet(`reminders:${orgId}:${deadline}`, slotId));
  }

  // Registration in progress (before the user belongs to an org).
  getRegistration(userId: number): Promise<Registration | undefined> {
    return this.#get(`registration:${userId}`);
  }

  async setRegistration(userId: number, registration: Registration | null): Promise<void> {
    if (registration) await this.#set(`registration:${userId}`, registration);
    else await this.#delete(`registration:${userId}`);
  }

  // Cursors.
  getCursor(orgId: string, userId: number): Promise<Cursor | undefined> {
    return this.#get(`cursor:${orgId}:${userId}`);
  }

  setCursor(orgId: string, userId: number, cursor: Cursor): Promise<void> {
    return this.#set(`cursor:${orgId}:${userId}`, cursor);
  }

  // Answers: one key per question, previous versions kept in the record.
  async getAnswers(org: Org, questionIds: readonly string[]): Promise<Map<string, Answer>> {
    const keys = questionIds.map((id) => answerKey(org, id));
    const values = await this.#wrap(() => this.#keyv.getMany<Answer>(keys));
    const answers = new Map<string, Answer>();
    for (const answer of values) if (answer) answers.set(answer.questionId, answer);
    return answers;
  }

  /** The current answers of an org to every question of `template`. */
  answersOf(org: Org, template: Template): Promise<Map<string, Answer>> {
    return this.getAnswers(
      org,
      template.sections.flatMap((s) => s.questions.map((q) => q.id)),
    );
  }

  getAnswer(org: Org, questionId: string): Promise<Answer | undefined> {
    return this.#get(answerKey(org, questionId));
  }

  /** Replaces or appends to an answer; resolves only once the new version is persisted. */
  saveAnswer(
    org: Org,
    questionId: string,
    version: AnswerVersion,
    mode: "replace" | "append",
  ): Promise<Answer> {
    const key = answerKey(org, questionId);
    return this.#lock.run(key, async () => {
      const previous = await this.#get<Answer>(key);
      const answer = nextAnswer(questionId, previous, version, mode);
      await this.#set(key, answer);
      return answer;
    });
  }

  // Drafts: numbered versions per org and year.
  async addDraft(org: Org, draft: Omit<Draft, "n">): Promise<Draft> {
    const n = await this.#wrap(() => this.#atomic.increment(draftCounter(org)));
    const saved: Draft = { ...draft, n };
    await this.#set(`draft:${org.id}:${org.year}:${n}`, saved);
    return saved;
  }

  async listDrafts(org: Org): Promise<Draft[]> {
    const count = await this.#wrap(() => this.#atomic.count(draftCounter(org)));
    const keys = Array.from({ length: count }, (_, i) => `draft:${org.id}:${org.year}:${i + 1}`);
    const drafts = await this.#wrap(() => this.#keyv.getMany<Draft>(keys));
    return drafts.filter((d): d is Draft => d !== undefined);
  }

  /** The newest draft; one numbered but still being written is skipped for the one before. */
  async latestDraft(org: Org): Promise<Draft | undefined> {
    const count = await this.#wrap(() => this.#atomic.count(draftCounter(org)));
    for (let n = count; n > 0 && n > count - 2; n--) {
      const draft = await this.#get<Draft>(`draft:${org.id}:${org.year}:${n}`);
      if (draft) return draft;
    }
    return undefined;
  }

  close(): Promise<void> {
    return this.#keyv.disconnect();
  }

  /** Read-modify-write of one record, serialised per key in this process. */
  #update<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<void> {
    return this.#lock.run(key, async () => {
      const next = change(await this.#get<T>(key));
      if (next === undefined) await this.#delete(key);
      else await this.#set(key, next);
    });
  }

  #get<T>(key: string): Promise<T | undefined> {
    return this.#wrap(() => this.#keyv.get<T>(key));
  }

  async #set(key: string, value: unknown): Promise<void> {
    const ok = await this.#wrap(() => this.#keyv.set(key, value));
    if (!ok) throw new StoreError(`store refused to write ${key}`);
  }

  async #delete(key: string): Promise<void> {
    await this.#wrap(() => this.#keyv.delete(key));
  }

  async #wrap<T>(operation: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    // A backend that stops answering (a hung Redis, a dead link) must not leave a user without a
    // reply: the operation fails here, and what it may still do later was reported as not done.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer in ${STORE_TIMEOUT_MS} ms`)),
        STORE_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([operation(), timeout]);
    } catch (cause) {
      const error = cause as Error;
      // Some clients throw errors without a message (@redis/client's TimeoutError).
      throw new StoreError(`store operation failed: ${error.message || error.name}`, { cause });
    } finally {
      clearTimeout(timer);
    }
  }
}

function draftCounter(org: Org): string {
  return `draft-count:${org.id}:${org.year}`;
}

function answerKey(org: Org, questionId: string): string {
  return `answer:${org.id}:${org.year}:${questionId}`;
}

function nextAnswer(
  questionId: string,
  previous: Answer | undefined,
  version: AnswerVersion,
  mode: "replace" | "append",
): Answer {
  if (!previous) return { questionId, ...version, history: [] };
  const { history, questionId: _id, ...current } = previous;
  const text = mode === "append" ? `${previous.text}\n${version.text}` : version.text;
  return { questionId, ...version, text, history: [...history, current] };
}
