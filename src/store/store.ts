import { randomBytes } from "node:crypto";
import type Keyv from "keyv";
import type {
  Answer,
  AnswerVersion,
  Assignments,
  Cursor,
  Draft,
  Invite,
  JoinFailures,
  LastYearReport,
  Member,
  Org,
  Registration,
} from "../domain/types.js";
import type { Template } from "../template/load.js";
import { type Atomic, memoryAtomic } from "./atomic.js";
import { KeyedLock } from "./keyed-lock.js";
import { openBackend } from "./keyv.js";
import {
  type Change,
  type Committed,
  counterText,
  keyvRecords,
  type Meter,
  type Raw,
  type Records,
} from "./records.js";

/** Every store operation fails (StoreError) after this long, whatever the backend does. */
export const STORE_TIMEOUT_MS = 10_000;
/** How long the check after a failed commit may take: the user has waited long enough. */
export const CHECK_TIMEOUT_MS = 2_000;
/** Conflicting commits are retried this often before the write is reported as failed. */
const MAX_ATTEMPTS = 200;
/** Orgs whose current answers one instance keeps in memory (each checked before use). */
const CACHED_ORGS = 2_000;

/** A store operation failed (backend down, timeout…). Users are told to retry; nothing is lost. */
export class StoreError extends Error {
  override name = "StoreError";
}

/** A /draft or /revise in progress, kept in the store so any instance can see or report it. */
export interface DraftJob {
  orgId: string;
  /** The org's draft slot generation this job holds. */
  gen: number;
  kind: "draft" | "revise";
  userId: number;
  chatId: number;
  /** The "起草中 n/m" message, once sent. */
  progressMessageId?: number;
  startedAt: string;
  /** Refreshed while the job runs: a job silent for long belongs to a dead process. */
  beatAt: string;
  /** The process running it: host, pid and the process's start (pids are reused). */
  host: string;
  pid: number;
  processStart: number;
  state: "running" | "done" | "interrupted";
}

/** Where a user sits: their member record and their org (the two always agree). */
export interface Seat {
  member: Member;
  org: Org;
}

/** A write timed out and the backend did not answer the check either: it may or may not be saved. */
export class UnconfirmedWriteError extends StoreError {
  override name = "UnconfirmedWriteError";
}

/** What one message of a user needs, as Store.loadUser reads it. */
export interface UserView {
  /** Set only when the member's org exists. */
  member: Member | undefined;
  org: Org | undefined;
  /** Read only for users who are not members. */
  registration: Registration | undefined;
  cursor: Cursor | undefined;
  assignments: Assignments;
  /** Current answers only (no earlier versions). */
  answers: Map<string, Answer>;
  /** The org's draft job (read with the rest: a message learns of a running draft for free). */
  draftJob: DraftJob | undefined;
  /** Last year's report as the org imported it (read with the rest, see QuestionIds). */
  lastYear: LastYearReport | undefined;
}

/**
 * The questions whose answers a message reads: a list, or the list for the org's last-year
 * record (its questions are the org's own, interview/last-year.ts). The record is read in the
 * same round trip as the rest; its questions' answers join the per-org cache like any other.
 */
export type QuestionIds =
  | readonly string[]
  | ((lastYear: LastYearReport | undefined) => readonly string[]);

/** A cursor stored in the same commit as an answer. */
export interface CursorMove {
  userId: number;
  cursor: Cursor;
}

/** An answer as stored: the current version; earlier ones are records of their own. */
interface StoredAnswer extends AnswerVersion {
  questionId: string;
  /** How many earlier versions there are, at versionKey(…, 0 … earlier - 1). */
  earlier?: number;
  /** The commit that wrote this version, so that a commit that timed out can be found. */
  tx?: string;
  /** Earlier versions inside the record, as written before they moved to records of their own. */
  history?: AnswerVersion[];
}

interface StoredVersion extends AnswerVersion {
  tx?: string;
}

/** An org's current answers as last read or written here, valid while its revision is unchanged. */
interface CachedAnswers {
  rev: Raw;
  raw: Map<string, Raw>;
  answers: Map<string, Answer>;
}

type Write = readonly [key: string, value: unknown];

/** An answer commit as it is looked for after a failure: its key, its id, where it moves to. */
interface Mine {
  key: string;
  tx: string;
  /** The version record this version becomes once another replaces it. */
  at: string;
}

/**
 * Typed repositories over one backend; one key per independently changing record (design.md).
 * Every read-modify-write is a compare-and-set (records.ts), retried on conflict, so several
 * instances on one store lose nothing; inside one instance updates of a record also queue.
 */
export class Store {
  readonly #keyv: Keyv;
  readonly #atomic: Atomic;
  readonly #records: Records;
  readonly #lock = new KeyedLock();
  readonly #cache = new Map<string, CachedAnswers>();
  /** The org each user was last seen in: a guess, checked on every read. */
  readonly #seats = new Map<number, string>();
  /** The report year of orgs seen (fixed at registration; checked on every read too). */
  readonly #years = new Map<string, number>();

  /**
   * `atomic` and `records` default to one process's own (a Keyv built by hand, in tests):
   * atomic within this process only.
   */
  constructor(keyv: Keyv, atomic: Atomic = memoryAtomic(), records: Records = keyvRecords(keyv)) {
    // Errors reach the caller as StoreError; the listener only keeps the emitter quiet.
    keyv.on("error", () => {});
    this.#keyv = keyv;
    this.#atomic = atomic;
    this.#records = records;
  }

  static open(url?: string, namespace?: string): Store {
    const { keyv, atomic, records } = openBackend(url, namespace);
    return new Store(keyv, atomic, records);
  }

  /** Round trips and commits made so far (tests and benchmarks). */
  get meter(): Meter {
    return this.#records.meter;
  }

  /** Sets (or with null clears) an org's 落款 date ("2025-03-10") on its current record. */
  setSignoff(orgId: string, signoff: string | null): Promise<Org | undefined> {
    return this.updateOrg(orgId, (org) => {
      const { signoff: _old, ...rest } = org;
      return signoff === null ? rest : { ...rest, signoff };
    });
  }

  /**
   * Everything one message needs, in one round trip when this instance has seen the user
   * before (the member record with the org's records guessed from the last message), two when
   * it has seen the org (or the cached answers are stale), three the first time. Current
   * answers only, from a per-org cache checked against the org's answer revision.
   */
  async loadUser(userId: number, questionIds: QuestionIds): Promise<UserView> {
    const idsFor = typeof questionIds === "function" ? questionIds : () => questionIds;
    const seat = this.#seats.get(userId);
    const guess = seat === undefined ? [] : this.#orgKeys(seat, userId, idsFor(undefined));
    const own = [memberKey(userId), registrationKey(userId)];
    const raws = await this.#read([...own, ...guess]);
    const member = await this.#decode<Member>(raws[0]);
    const none = {
      member: undefined,
      org: undefined,
      cursor: undefined,
      assignments: {},
      draftJob: undefined,
      lastYear: undefined,
    };
    if (!member) {
      this.#seats.delete(userId);
      const registration = await this.#decode<Registration>(raws[1]);
      return { ...none, registration, answers: new Map() };
    }
    let found = new Map(guess.map((key, i) => [key, raws[own.length + i]]));
    let org = await this.#decode<Org>(found.get(orgKey(member.orgId)));
    // The guess holds when it was made for the member's org with that org's year.
    if (!org || !found.has(revKey(org))) {
      const year =
        org?.year ?? this.#years.get(member.orgId) ?? (await this.getOrg(member.orgId))?.year;
      if (year === undefined) return { ...none, registration: undefined, answers: new Map() };
      this.#keep(this.#years, member.orgId, year, CACHED_ORGS * 5);
      const keys = this.#orgKeys(member.orgId, userId, idsFor(undefined), true);
      const values = await this.#read(keys);
      found = new Map(keys.map((key, i) => [key, values[i]]));
      org = await this.#decode<Org>(found.get(orgKey(member.orgId)));
      if (!org) return { ...none, registration: undefined, answers: new Map() };
      // A year changed in between (never in practice): read again with the new one.
      if (!found.has(revKey(org))) return this.loadUser(userId, questionIds);
    }
    this.#keep(this.#seats, userId, org.id, CACHED_ORGS * 20);
    const lastYear = await this.#decode<LastYearReport>(found.get(lastYearKey(org.id)));
    const answers = await this.#answersOf(org, idsFor(lastYear), found);
    return {
      member,
      org,
      registration: undefined,
      cursor: await this.#decode<Cursor>(found.get(cursorKey(org.id, userId))),
      assignments: (await this.#decode<Assignments>(found.get(assignmentsKey(org.id)))) ?? {},
      answers,
      draftJob: await this.#decode<DraftJob>(found.get(draftJobKey(org.id))),
      lastYear,
    };
  }

  // Orgs and invite codes.
  async getOrg(orgId: string): Promise<Org | undefined> {
    const org = await this.#get<Org>(orgKey(orgId));
    if (org) this.#keep(this.#years, org.id, org.year, CACHED_ORGS * 5);
    return org;
  }

  /** A new org: its record and registration invite (one commit), and its place in the list. */
  async createOrg(org: Org, invite: Invite): Promise<void> {
    await this.#put([
      [orgKey(org.id), org],
      [inviteKey(invite.code), invite],
    ]);
    this.#keep(this.#years, org.id, org.year, CACHED_ORGS * 5);
    await this.#wrap(() => this.#atomic.addToSet("orgs", org.id));
  }

  /** Changes an org record atomically (deadline…); undefined when there is no such org. */
  updateOrg(orgId: string, change: (org: Org) => Org): Promise<Org | undefined> {
    return this.#update([orgKey(orgId)], async ([org]: (Org | undefined)[]) => {
      if (!org) return { write: [], result: undefined };
      const next = change(org);
      return { write: [[orgKey(orgId), next]], result: next };
    });
  }

  /**
   * Makes `toUserId` the org's only admin and `fromUserId` a member, in one commit; false (and
   * nothing changed) when `fromUserId` is no longer an admin or either is not in the org.
   */
  handOverAdmin(orgId: string, fromUserId: number, toUserId: number): Promise<boolean> {
    const keys = [orgKey(orgId), memberKey(fromUserId), memberKey(toUserId)];
    return this.#update(keys, async ([org, from, to]: (Org | Member | undefined)[]) => {
      const isOrg = (o: unknown): o is Org => o !== undefined;
      const inOrg = (m: unknown): m is Member => (m as Member | undefined)?.orgId === orgId;
      if (!isOrg(org) || !org.admins.includes(fromUserId) || fromUserId === toUserId)
        return { write: [], result: false };
      if (!inOrg(from) || !inOrg(to)) return { write: [], result: false };
      const write: Write[] = [
        [
          keys[0] as string,
          {
            ...org,
            admins: [...org.admins.filter((id) => id !== fromUserId && id !== toUserId), toUserId],
          },
        ],
        [keys[1] as string, { ...from, role: "member" }],
        [keys[2] as string, { ...to, role: "admin" }],
      ];
      return { write, result: true };
    });
  }

  /** Sets (or with null clears) an org's report deadline on its current record. */
  setDeadline(orgId: string, deadline: string | null): Promise<Org | undefined> {
    return this.updateOrg(orgId, (org) => {
      const { deadline: _old, ...rest } = org;
      return deadline === null ? rest : { ...rest, deadline };
    });
  }

  /** Every org id, for the reminder round. */
  async listOrgIds(): Promise<string[]> {
    return this.#wrap(() => this.#atomic.members("orgs"));
  }

  // Invites.
  getInvite(code: string): Promise<Invite | undefined> {
    return this.#get(inviteKey(code));
  }

  putInvite(invite: Invite): Promise<void> {
    return this.#put([[inviteKey(invite.code), invite]]);
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

  setJoinFailures(userId: number, failures: JoinFailures | null): Promise<void> {
    return this.#put([[`join-failures:${userId}`, failures ?? undefined]]);
  }

  // Members.
  getMember(userId: number): Promise<Member | undefined> {
    return this.#get(memberKey(userId));
  }

  /** A user's member record with its org; undefined for a non-member (or an org gone). */
  async seatOf(userId: number): Promise<Seat | undefined> {
    const member = await this.getMember(userId);
    const org = member && (await this.getOrg(member.orgId));
    return member && org ? { member, org } : undefined;
  }

  putMember(member: Member): Promise<void> {
    return this.#put([[memberKey(member.userId), member]]);
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
    const keys = [assignmentsKey(orgId), memberKey(userId), cursorKey(orgId, userId)];
    await this.#update(keys, async ([assignments, member]: unknown[]) => {
      const kept = Object.entries((assignments as Assignments | undefined) ?? {}).filter(
        ([, owner]) => owner !== userId,
      );
      const write: Write[] = [
        [keys[0] as string, Object.fromEntries(kept)],
        [keys[2] as string, undefined],
      ];
      if ((member as Member | undefined)?.orgId === orgId)
        write.push([keys[1] as string, undefined]);
      return { write, result: undefined };
    });
    await this.#wrap(() => this.#atomic.removeFromSet(`org-members:${orgId}`, String(userId)));
  }

  async listMembers(orgId: string): Promise<Member[]> {
    const ids = await this.#wrap(() => this.#atomic.members(`org-members:${orgId}`));
    const raws = await this.#read(ids.map((id) => memberKey(Number(id))));
    const members = await Promise.all(raws.map((raw) => this.#decode<Member>(raw)));
    return members.filter((m): m is Member => m?.orgId === orgId);
  }

  // Section assignments.
  async getAssignments(orgId: string): Promise<Assignments> {
    return (await this.#get<Assignments>(assignmentsKey(orgId))) ?? {};
  }

  async assign(orgId: string, sectionId: string, userId: number | null): Promise<void> {
    const key = assignmentsKey(orgId);
    await this.#update([key], async ([current]: (Assignments | undefined)[]) => {
      const { [sectionId]: _previous, ...rest } = current ?? {};
      return {
        write: [[key, userId === null ? rest : { ...rest, [sectionId]: userId }]],
        result: 0,
      };
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
    return this.#get(registrationKey(userId));
  }

  setRegistration(userId: number, registration: Registration | null): Promise<void> {
    return this.#put([[registrationKey(userId), registration ?? undefined]]);
  }

  // Cursors.
  getCursor(orgId: string, userId: number): Promise<Cursor | undefined> {
    return this.#get(cursorKey(orgId, userId));
  }

  setCursor(orgId: string, userId: number, cursor: Cursor): Promise<void> {
    return this.#put([[cursorKey(orgId, userId), cursor]]);
  }

  // Answers: one key per question for the current version, one per earlier version.
  async getAnswers(org: Org, questionIds: readonly string[]): Promise<Map<string, Answer>> {
    const raws = await this.#read(questionIds.map((id) => answerKey(org, id)));
    const answers = new Map<string, Answer>();
    for (const raw of raws) {
      const stored = await this.#decode<StoredAnswer>(raw);
      if (stored) answers.set(stored.questionId, current(stored));
    }
    return answers;
  }

  /** The current answers of an org to every question of `template`. */
  answersOf(org: Org, template: Template): Promise<Map<string, Answer>> {
    return this.getAnswers(
      org,
      template.sections.flatMap((s) => s.questions.map((q) => q.id)),
    );
  }

  async getAnswer(org: Org, questionId: string): Promise<Answer | undefined> {
    const stored = await this.#get<StoredAnswer>(answerKey(org, questionId));
    return stored && current(stored);
  }

  /** An answer with all its earlier versions, oldest first (for /history). */
  async getAnswerWithHistory(org: Org, questionId: string): Promise<Answer | undefined> {
    const stored = await this.#get<StoredAnswer>(answerKey(org, questionId));
    if (!stored) return undefined;
    if (stored.earlier === undefined) return { ...current(stored), history: stored.history ?? [] };
    const keys = Array.from({ length: stored.earlier }, (_, i) => versionKey(org, questionId, i));
    const raws = await this.#read(keys);
    const history: AnswerVersion[] = [];
    for (const raw of raws) {
      const version = await this.#decode<StoredVersion>(raw);
      if (version) history.push(versionOf(version));
    }
    return { ...current(stored), history };
  }

  /**
   * Replaces or appends to an answer, moving the previous version to a record of its own and,
   * when given, the user's cursor, and raising the org's answer revision: one commit, checked
   * against the answer read, retried on conflict. Resolves only once committed. A commit that
   * times out is looked for afterwards: success if it committed, StoreError if it did not (and
   * now never will), UnconfirmedWriteError if the backend does not answer that check either.
   */
  saveAnswer(
    org: Org,
    questionId: string,
    version: AnswerVersion,
    mode: "replace" | "append",
    move?: CursorMove,
  ): Promise<Answer> {
    const key = answerKey(org, questionId);
    const rev = revKey(org);
    return this.#lock.run(key, async () => {
      // The cached value is a guess: a stale one fails the commit's check and is read again.
      const cached = this.#cache.get(rev)?.raw;
      let raw: Raw | null = cached?.has(key) ? cached.get(key) : null;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        if (raw === null) [raw] = await this.#read([key]);
        const previous = await this.#decode<StoredAnswer>(raw);
        const tx = randomBytes(8).toString("hex");
        const { record, versions } = nextAnswer(questionId, previous, version, mode, tx);
        const writes: Write[] = [
          [key, record],
          ...versions.map(([i, v]): Write => [versionKey(org, questionId, i), v]),
        ];
        if (move) writes.push([cursorKey(org.id, move.userId), move.cursor]);
        const write = await this.#encodeAll(writes);
        // The veto record lets a check after a timeout stop this commit from applying later.
        const expect: Change["expect"] = [
          [key, raw],
          [vetoKey(tx), undefined],
        ];
        const mine = { key, tx, at: versionKey(org, questionId, record.earlier ?? 0) };
        const bumped = await this.#commitChecked({ expect, write, bump: rev }, mine);
        if (bumped !== false) {
          const saved = current(record);
          this.#cached(rev, bumped, key, write[0]?.[1], saved);
          return saved;
        }
        raw = null;
        await backOff(attempt);
      }
      throw new StoreError(`${key}: still conflicting after ${MAX_ATTEMPTS} attempts`);
    });
  }

  // Last year's report as read (its plan items and shortcomings; the file itself is not kept).
  getLastYear(orgId: string): Promise<LastYearReport | undefined> {
    return this.#get(lastYearKey(orgId));
  }

  setLastYear(orgId: string, report: LastYearReport): Promise<void> {
    return this.#put([[lastYearKey(orgId), report]]);
  }

  // Drafts: numbered versions per org and year.
  async addDraft(org: Org, draft: Omit<Draft, "n">): Promise<Draft> {
    const n = await this.#wrap(() => this.#atomic.increment(draftCounter(org)));
    const saved: Draft = { ...draft, n };
    await this.#put([[`draft:${org.id}:${org.year}:${n}`, saved]]);
    return saved;
  }

  async listDrafts(org: Org): Promise<Draft[]> {
    const count = await this.#wrap(() => this.#atomic.count(draftCounter(org)));
    const keys = Array.from({ length: count }, (_, i) => `draft:${org.id}:${org.year}:${i + 1}`);
    const drafts = await Promise.all((await this.#read(keys)).map((r) => this.#decode<Draft>(r)));
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

  // Draft jobs: at most one running draft per org, visible to every instance (issue 12.6/14.6).
  getDraftJob(orgId: string): Promise<DraftJob | undefined> {
    return this.#get(draftJobKey(orgId));
  }

  /**
   * Takes the org's draft slot for a new job: false (nothing written) while another job runs.
   * Keyv has no compare-and-set, so each generation of the slot is claimed through the atomic
   * set; the generation moves on only when a job ends (endDraftJob).
   */
  async claimDraftJob(job: Omit<DraftJob, "gen" | "state">): Promise<DraftJob | undefined> {
    const gen = await this.#wrap(() => this.#atomic.count(`draft-gen:${job.orgId}`));
    const current = await this.getDraftJob(job.orgId);
    if (current?.gen === gen && current.state === "running") return undefined;
    const won = await this.#wrap(() => this.#atomic.addToSet(`draft-lock:${job.orgId}`, `${gen}`));
    if (!won) return undefined;
    const claimed: DraftJob = { ...job, gen, state: "running" };
    await this.#put([[draftJobKey(job.orgId), claimed]]);
    return claimed;
  }

  /** Records progress (message id, heartbeat) of a job this process runs. */
  putDraftJob(job: DraftJob): Promise<void> {
    return this.#put([[draftJobKey(job.orgId), job]]);
  }

  /**
   * Ends a running job as done or interrupted and frees the org's slot; false when another
   * caller (another instance) ended this generation first, so only one of them reports it.
   */
  async endDraftJob(job: DraftJob, state: "done" | "interrupted"): Promise<boolean> {
    const first = await this.#wrap(() =>
      this.#atomic.addToSet(`draft-lock:${job.orgId}`, `end:${job.gen}`),
    );
    if (!first) return false;
    await this.#wrap(() => this.#atomic.increment(`draft-gen:${job.orgId}`));
    await this.#put([[draftJobKey(job.orgId), { ...job, state }]]);
    return true;
  }

  /** The draft jobs still marked running, of every org (to look for interrupted ones). */
  async runningDraftJobs(): Promise<DraftJob[]> {
    const ids = await this.listOrgIds();
    const jobs = await this.#wrap(() => this.#keyv.getMany<DraftJob>(ids.map(draftJobKey)));
    return jobs.filter((job): job is DraftJob => job?.state === "running");
  }

  /** Closes the store; SQLite's writing connection last, so its WAL is checkpointed on close. */
  async close(): Promise<void> {
    await this.#keyv.disconnect();
    await this.#records.close?.();
  }

  /** The org keys one message reads; the answers only when none are cached (or `withAnswers`). */
  #orgKeys(
    orgId: string,
    userId: number,
    questionIds: readonly string[],
    withAnswers = false,
  ): string[] {
    const keys = [
      orgKey(orgId),
      cursorKey(orgId, userId),
      assignmentsKey(orgId),
      draftJobKey(orgId),
      lastYearKey(orgId),
    ];
    const year = this.#years.get(orgId);
    if (year === undefined) return keys;
    const org = { id: orgId, year };
    keys.push(revKey(org));
    if (!withAnswers && this.#cache.has(revKey(org))) return keys;
    return [...keys, ...questionIds.map((id) => answerKey(org, id))];
  }

  /** The org's current answers: cached ones when the revision read with them still holds. */
  async #answersOf(
    org: Org,
    questionIds: readonly string[],
    found: Map<string, Raw>,
  ): Promise<Map<string, Answer>> {
    const rev = revKey(org);
    const keys = questionIds.map((id) => answerKey(org, id));
    let cached = this.#cache.get(rev);
    // Cached answers serve while the revision holds and they cover every question asked (an
    // import of last year's report adds questions without raising the revision).
    const raw = cached?.raw;
    if (cached && cached.rev === found.get(rev) && keys.every((key) => raw?.has(key)))
      return new Map(cached.answers);
    if (!keys.every((key) => found.has(key))) {
      const values = await this.#read([rev, ...keys]);
      found = new Map([rev, ...keys].map((key, i) => [key, values[i]]));
    }
    cached = { rev: found.get(rev), raw: new Map(), answers: new Map() };
    for (const key of keys) {
      const raw = found.get(key);
      cached.raw.set(key, raw);
      const stored = await this.#decode<StoredAnswer>(raw);
      if (stored) cached.answers.set(stored.questionId, current(stored));
    }
    this.#keep(this.#cache, rev, cached, CACHED_ORGS);
    return new Map(cached.answers);
  }

  /**
   * After this instance's own commit raised the revision to `bumped`: the cache moves along if it
   * held the revision just before (no other commit in between), else it is dropped.
   */
  #cached(rev: string, bumped: number, key: string, raw: Raw, answer: Answer): void {
    const cached = this.#cache.get(rev);
    if (!cached) return;
    const before = bumped > 1 ? counterText(bumped - 1) : undefined;
    if (cached.rev !== before || !cached.raw.has(key)) {
      return void this.#cache.delete(rev);
    }
    cached.rev = counterText(bumped);
    cached.raw.set(key, raw);
    cached.answers.set(answer.questionId, answer);
  }

  #keep<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
    map.delete(key);
    map.set(key, value);
    const oldest = map.keys().next();
    if (map.size > limit && !oldest.done) map.delete(oldest.value);
  }

  /**
   * Commits an answer. When the commit fails in a way that leaves its outcome open (a timeout, a
   * connection lost with the command sent), finds out what happened before anyone is told: its
   * version is found (committed: NaN, the new revision unknown), or a veto record is written
   * first so that it can never apply (the original error). If that check gets no answer within
   * CHECK_TIMEOUT_MS either, UnconfirmedWriteError: the user is told it is not known.
   */
  async #commitChecked(change: Change, mine: Mine): Promise<Committed> {
    try {
      return await this.#wrap(() => this.#records.commit(change));
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      let applied: boolean;
      try {
        applied = await this.#settle(mine);
      } catch (cause) {
        throw new UnconfirmedWriteError(`${error.message}; whether it applied is not known`, {
          cause,
        });
      }
      if (applied) return Number.NaN;
      throw error;
    }
  }

  /** True when the commit `mine` applied; false once it is vetoed and never will. */
  async #settle(mine: Mine): Promise<boolean> {
    const ours = async (raw: Raw) => (await this.#decode<StoredVersion>(raw))?.tx === mine.tx;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const [answer, moved] = await this.#wrap(
        () => this.#records.read([mine.key, mine.at]),
        CHECK_TIMEOUT_MS,
      );
      if ((await ours(answer)) || (await ours(moved))) return true;
      const veto: Change = {
        expect: [
          [mine.key, answer],
          [vetoKey(mine.tx), undefined],
        ],
        write: [[vetoKey(mine.tx), counterText(1)]],
      };
      const vetoed = await this.#wrap(() => this.#records.commit(veto), CHECK_TIMEOUT_MS);
      if (vetoed !== false) return false;
    }
    throw new StoreError(`${mine.key}: the check kept conflicting`);
  }

  /** Read-modify-write of `keys`, atomic across processes: retried while someone else wrote. */
  #update<T, R>(
    keys: string[],
    change: (values: T[]) => Promise<{ write: Write[]; result: R }>,
  ): Promise<R> {
    return this.#lock.run(keys[0] ?? "", async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const raws = await this.#read(keys);
        const values = await Promise.all(raws.map((raw) => this.#decode<T>(raw)));
        const { write, result } = await change(values as T[]);
        if (write.length === 0) return result;
        const expect = keys.map((key, i) => [key, raws[i]] as const);
        const encoded = await this.#encodeAll(write);
        const committed = await this.#wrap(() => this.#records.commit({ expect, write: encoded }));
        if (committed !== false) return result;
        await backOff(attempt);
      }
      throw new StoreError(`${keys[0]}: still conflicting after ${MAX_ATTEMPTS} attempts`);
    });
  }

  async #get<T>(key: string): Promise<T | undefined> {
    const [raw] = await this.#read([key]);
    return this.#decode<T>(raw);
  }

  /** Unconditional writes of independent records (undefined deletes), one commit. */
  async #put(writes: Write[]): Promise<void> {
    const write = await this.#encodeAll(writes);
    const committed = await this.#wrap(() => this.#records.commit({ expect: [], write }));
    if (committed === false) throw new StoreError(`store refused to write ${writes[0]?.[0]}`);
  }

  #read(keys: readonly string[]): Promise<Raw[]> {
    return this.#wrap(() => this.#records.read(keys));
  }

  /** Keyv's own format, so records stay readable by Keyv and by earlier versions. */
  async #encodeAll(writes: readonly Write[]): Promise<[string, Raw][]> {
    const serialize = this.#keyv.serialize ?? JSON.stringify;
    return Promise.all(
      writes.map(
        async ([key, value]): Promise<[string, Raw]> => [
          key,
          value === undefined ? undefined : await serialize({ value, expires: undefined }),
        ],
      ),
    );
  }

  async #decode<T>(raw: Raw): Promise<T | undefined> {
    if (raw === undefined) return undefined;
    const deserialize = this.#keyv.deserialize ?? JSON.parse;
    try {
      return ((await deserialize(raw)) as { value?: T } | undefined)?.value ?? undefined;
    } catch (cause) {
      throw new StoreError("a stored record is not valid JSON", { cause });
    }
  }

  async #wrap<T>(operation: () => Promise<T>, ms = STORE_TIMEOUT_MS): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    // A backend that stops answering (a hung Redis, a dead link) must not leave a user without a
    // reply: the operation fails here; a commit that may still apply is checked (saveAnswer).
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
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

/**
 * After a lost compare-and-set: a random pause growing with the attempts, so an instance whose
 * own commits follow each other without a pause (its cache is always current) cannot starve one
 * that has to read first.
 */
function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20)));
}

function draftCounter(org: Org): string {
  return `draft-count:${org.id}:${org.year}`;
}

const orgKey = (orgId: string) => `org:${orgId}`;
const inviteKey = (code: string) => `invite:${code}`;
const memberKey = (userId: number) => `member:${userId}`;
const registrationKey = (userId: number) => `registration:${userId}`;
const assignmentsKey = (orgId: string) => `assignments:${orgId}`;
const cursorKey = (orgId: string, userId: number) => `cursor:${orgId}:${userId}`;
const draftJobKey = (orgId: string) => `draft-job:${orgId}`;
const lastYearKey = (orgId: string) => `lastyear:${orgId}`;

type OrgYear = Pick<Org, "id" | "year">;

function answerKey(org: OrgYear, questionId: string): string {
  return `answer:${org.id}:${org.year}:${questionId}`;
}

/** The i-th earlier version of an answer (0 = the first one written). */
function versionKey(org: OrgYear, questionId: string, i: number): string {
  return `answer-version:${org.id}:${org.year}:${questionId}:${i}`;
}

/** A counter raised by every answer commit of an org and year: what cached answers are checked by. */
function revKey(org: OrgYear): string {
  return `answers-rev:${org.id}:${org.year}`;
}

/** Present once a check after a timeout has ruled that the commit `tx` must never apply. */
function vetoKey(tx: string): string {
  return `answer-veto:${tx}`;
}

function versionOf({ text, author, authorName, at, source }: AnswerVersion): AnswerVersion {
  return { text, author, authorName, at, ...(source ? { source } : {}) };
}

function current(stored: StoredAnswer): Answer {
  return { questionId: stored.questionId, ...versionOf(stored) };
}

/** The new current record and the earlier versions to write (records written before move out). */
function nextAnswer(
  questionId: string,
  previous: StoredAnswer | undefined,
  version: AnswerVersion,
  mode: "replace" | "append",
  tx: string,
): { record: StoredAnswer; versions: [number, StoredVersion][] } {
  if (!previous) return { record: { questionId, ...version, earlier: 0, tx }, versions: [] };
  const legacy = previous.earlier === undefined ? (previous.history ?? []) : [];
  const first = previous.earlier ?? legacy.length;
  const versions: [number, StoredVersion][] = [
    ...legacy.map((v, i): [number, StoredVersion] => [i, versionOf(v)]),
    [first, { ...versionOf(previous), ...(previous.tx ? { tx: previous.tx } : {}) }],
  ];
  const text = mode === "append" ? `${previous.text}\n${version.text}` : version.text;
  return { record: { questionId, ...version, text, earlier: first + 1, tx }, versions };
}
