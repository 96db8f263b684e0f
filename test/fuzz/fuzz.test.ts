import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiCall } from "../../src/bot/local-api.js";
import { tempDir, template } from "../helpers/harness.js";
import { readOnlyForOrgA } from "./read-only.js";
import { fuzzSeed, Rng } from "./rng.js";
import { type Change, ownerOf, ownersOf, snapshotOf, storedList, storedValue } from "./state.js";
import { telegramProblems } from "./telegram-limits.js";
import { type FuzzUpdate, KIND_WEIGHTS, type Person, UpdateFactory, type Who } from "./updates.js";
import {
  A1,
  A2,
  B1,
  type FuzzWorld,
  fuzzWorld,
  ORG_A_NAME,
  ORG_A_SECRETS,
  STRANGERS,
} from "./world.js";

/**
 * Issue 7, point 6: 10,000 random and malformed updates through the real bot (grammY's
 * handleUpdate, the in-process API, the memory store), then more of them arriving at once.
 * They come from strangers, from org B's admin trying org A's things, from nobody (channels,
 * bots, polls), and from org A's own members sending only what must change nothing. After every
 * update the test looks at exactly which stored keys changed and whether that sender may change
 * them, at what the bot sent and to whom, and whether Telegram would accept it.
 *
 * FUZZ_SEED reproduces a run (the seed is printed); FUZZ_UPDATES and FUZZ_CONCURRENT change the
 * lengths; FUZZ_VERBOSE=1 prints what the bot said, by opening, to see which paths a run took.
 */

const UPDATES = Number(process.env.FUZZ_UPDATES ?? 10_000);
const CONCURRENT = Number(process.env.FUZZ_CONCURRENT ?? 2_000);
const BATCH = 25;
const seed = fuzzSeed();
const rng = new Rng(seed);
const files = tempDir();
let w: FuzzWorld;
let factory: UpdateFactory;
/** Org A as the fuzz found it, and its admin's /status then. */
let beforeA = "";
let membersB: unknown;
let statusBefore = "";

/** Who sends: strangers most, then org B's admin, then org A's members (read-only input). */
function sender(): Person {
  return rng.weighted<() => Person>([
    [() => ({ kind: "stranger", id: rng.pick(STRANGERS) }), 45],
    [() => ({ kind: "orgB", id: B1 }), 25],
    [() => ({ kind: "orgA", id: A1 }), 15],
    [() => ({ kind: "orgA", id: A2 }), 15],
  ])();
}

function whoName(who: Who): string {
  return who.kind === "nobody" ? "nobody" : `${who.kind} ${who.id}`;
}

/** The org a user belongs to right now, from the raw store. */
function orgOfUser(userId: number): string | undefined {
  const orgId = storedValue(w.map.get(`fazhi:member:${userId}`))?.orgId;
  return typeof orgId === "string" ? orgId : undefined;
}

/**
 * Why a change is not allowed for the update's sender, or undefined when it is. Org A's members
 * and updates without a person may change nothing. Org B's admin may change org B and their own
 * records. A stranger may change their own records and an org they registered during the run
 * (and the list of orgs, by adding that org), nothing of org A or org B.
 */
function refusal(change: Change, who: Who): string | undefined {
  if (who.kind === "orgA" || who.kind === "nobody") return "this sender may change nothing";
  for (const owner of ownersOf(change, w.map)) {
    if (owner.unknown) return "a key the test does not know";
    if (owner.global) {
      if (who.kind !== "stranger") return "only a registration changes the list of orgs";
      const before = storedList(change.before);
      const after = storedList(change.after);
      const kept = before.every((id, i) => after[i] === id);
      const added = after.slice(before.length);
      if (!kept || added.some((id) => id === w.orgA || id === w.orgB)) {
        return "the list of orgs lost or re-added an org";
      }
      continue;
    }
    if (owner.org !== undefined) {
      if (owner.org === w.orgA) return "a key of org A";
      if (who.kind === "orgB" && owner.org !== w.orgB) return "a key of an org not org B";
      if (who.kind === "stranger" && (owner.org === w.orgB || owner.org !== orgOfUser(who.id))) {
        return "a key of an org the stranger does not belong to";
      }
      if (who.kind === "stranger" && owner.user !== undefined && owner.user !== who.id) {
        return "another user's record";
      }
      continue;
    }
    if (owner.user !== who.id) return "another user's record";
  }
  return undefined;
}

/**
 * What an update from outside org A made the bot send that reveals org A (file contents aside),
 * or that went to org A's members (a notification caused by an outsider).
 */
function leaks(calls: ApiCall[], who: Who): string[] {
  const found: string[] = [];
  for (const call of calls) {
    const { document: _file, ...rest } = call.payload;
    const text = JSON.stringify(rest);
    for (const secret of ORG_A_SECRETS) {
      if (text.includes(secret)) found.push(`${call.method}: ${secret} in ${text.slice(0, 200)}`);
    }
    // An update without a person may come from org A's own chats (a post without `from`).
    if (who.kind !== "nobody" && (call.payload.chat_id === A1 || call.payload.chat_id === A2)) {
      found.push(`${call.method} to a member of org A: ${text.slice(0, 200)}`);
    }
  }
  return found;
}

/** The chat an update happens in, and the callback query it carries, to attribute replies. */
function chatOf(update: Update): number | undefined {
  const u = update as unknown as Record<
    string,
    { chat?: { id: number }; message?: { chat: { id: number } } }
  >;
  for (const field of Object.values(u)) {
    if (typeof field !== "object" || field === null) continue;
    if (field.chat) return field.chat.id;
    if (field.message) return field.message.chat.id;
  }
  return undefined;
}

function byCount(counts: Map<string, number>): string {
  return [...counts]
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

/** Everything a phase found, and how many of what it sent. */
class Tally {
  readonly byKind = new Map<string, number>();
  readonly bySender = new Map<string, number>();
  readonly rejections: string[] = [];
  readonly refused: string[] = [];
  readonly leaked: string[] = [];
  readonly unsendable: string[] = [];
  readonly changedB = new Set<string>();
  changes = 0;
  redrawn = 0;

  count(u: FuzzUpdate): void {
    this.byKind.set(u.kind, (this.byKind.get(u.kind) ?? 0) + 1);
    this.bySender.set(u.who.kind, (this.bySender.get(u.who.kind) ?? 0) + 1);
  }

  report(title: string, updates: number, seconds: number, errorLines: number): string {
    return [
      `${title}: ${updates} updates in ${seconds.toFixed(1)} s (${Math.round(updates / seconds)} updates/s), seed ${seed}`,
      `  by kind: ${byCount(this.byKind)}`,
      `  by sender: ${byCount(this.bySender)}`,
      `  org A updates redrawn as not read-only: ${this.redrawn}`,
      `  keys changed ${this.changes} (of org B: ${this.changedB.size} keys), store keys now ${w.map.size}, orgs ${storedList(w.map.get("fazhi:atomic:orgs")).length}`,
      `  handleUpdate rejections ${this.rejections.length}, error log lines so far ${errorLines}`,
      ...this.rejections.slice(0, 20).map((r) => `  rejection: ${r}`),
      ...this.refused.slice(0, 20).map((r) => `  refused change: ${r}`),
      ...this.leaked.slice(0, 20).map((r) => `  leak: ${r}`),
      ...this.unsendable.slice(0, 20).map((r) => `  Telegram would refuse: ${r}`),
    ].join("\n");
  }

  expectClean(): void {
    expect(this.rejections).toEqual([]);
    expect(this.refused).toEqual([]);
    expect(this.leaked).toEqual([]);
    expect(this.unsendable).toEqual([]);
  }
}

const view = () => ({ template, admin: A1, colleague: A2, reportYear: 2025, now: w.clock.now });

/** A random update; org A's members draw again until it is one that must change nothing. */
function draw(tally: Tally): FuzzUpdate {
  const person = sender();
  const kind = rng.weighted(KIND_WEIGHTS);
  let u = factory.make(kind, person);
  for (let tries = 0; u.who.kind === "orgA" && !readOnlyForOrgA(u.update, person.id, view()); ) {
    if (++tries > 500) throw new Error(`no read-only update of kind ${kind}`);
    tally.redrawn += 1;
    u = factory.make(kind, person);
  }
  return u;
}

async function feed(u: FuzzUpdate, index: number, tally: Tally): Promise<void> {
  try {
    await w.h.bot.handleUpdate(u.update);
  } catch (error) {
    tally.rejections.push(`#${index} ${u.kind} from ${whoName(u.who)}: ${String(error)}`);
  }
  tally.count(u);
}

/** Error log lines other than a document getFile could not serve, which are expected. */
function unexpectedErrors(): Record<string, unknown>[] {
  const lines = w.h.errors.map((line) => JSON.parse(line) as Record<string, unknown>);
  // The files plugin throws for a file without file_path; the bot answers "读取文件时出错…" and
  // logs it: on Telegram that is a download that failed, which the operator should see.
  return lines.filter(
    (l) =>
      !(
        (l.msg === "check of a document failed" ||
          l.msg === "reading an uploaded document failed") &&
        /^File path is not available for file /.test(String(l.error))
      ),
  );
}

/** What the bot said, by method and opening. */
function said(): Map<string, number> {
  const openings = new Map<string, number>();
  for (const call of w.h.api.calls) {
    const text = call.payload.text ?? call.payload.caption ?? "";
    const opening = `${call.method} ${Array.from(String(text)).slice(0, 14).join("")}`;
    openings.set(opening, (openings.get(opening) ?? 0) + 1);
  }
  return openings;
}

/** Org A is byte-identical, org B still has only its admin, and org A's /status reads the same. */
async function expectOrgsIntact(): Promise<void> {
  const { h, map, orgA, orgB } = w;
  expect(snapshotOf(map, orgA, [A1, A2]) === beforeA, "org A is byte-identical").toBe(true);
  expect(map.get(`fazhi:atomic:org-members:${orgB}`)).toBe(membersB);
  expect(storedValue(map.get(`fazhi:org:${orgB}`))?.admins).toEqual([B1]);
  expect(await h.run(() => h.chat(A1, "小王").send("/status"))).toEqual([statusBefore]);
  map.take();
}

beforeAll(async () => {
  console.log(`fuzz seed ${seed} (rerun with FUZZ_SEED=${seed})`);
  w = await fuzzWorld(files.dir, rng);
  factory = new UpdateFactory(rng, {
    a1: A1,
    a2: A2,
    b1: B1,
    codeA: w.codeA,
    strangers: STRANGERS,
    localFiles: w.localFiles,
  });
  const { h, map, orgA, orgB } = w;
  beforeA = snapshotOf(map, orgA, [A1, A2]);
  membersB = map.get(`fazhi:atomic:org-members:${orgB}`);
  const [status = "", ...more] = await h.run(() => h.chat(A1, "小王").send("/status"));
  expect(more).toEqual([]);
  statusBefore = status;
  map.take();
}, 60_000);

afterAll(() => files.cleanup());

describe("fuzz: random and malformed updates", () => {
  it("starts from two orgs: org A with answers, an assignment and a draft; org B", () => {
    const { map, orgA, orgB } = w;
    for (const key of [
      `org:${orgA}`,
      `draft:${orgA}:2025:1`,
      `answer:${orgA}:2025:enforcement.team`,
      `answer:${orgA}:2025:rules.issued`,
      `atomic:org-members:${orgA}`,
      `atomic:draft-count:${orgA}:2025`,
      `atomic:invite-uses:${w.codeA}`,
      `member:${A2}`,
    ]) {
      expect(beforeA.includes(JSON.stringify(`fazhi:${key}`)), key).toBe(true);
    }
    expect(storedValue(map.get(`fazhi:assignments:${orgA}`))).toEqual({ enforcement: A2 });
    // Nothing pending: /start and /cancel from org A's members then store the same cursor.
    for (const id of [A1, A2]) {
      expect(storedValue(map.get(`fazhi:cursor:${orgA}:${id}`)), `cursor of ${id}`).toMatchObject({
        pending: null,
      });
    }
    expect(storedList(membersB)).toEqual([String(B1)]);
    expect(statusBefore.startsWith(`${ORG_A_NAME}（东莞市）2025年度报告`)).toBe(true);
    // The owners the checks rely on.
    expect(ownerOf(`fazhi:atomic:invite-uses:${w.codeA}`, undefined, map)).toEqual({ org: orgA });
    expect(ownerOf(`fazhi:cursor:${orgB}:${B1}`, undefined, map)).toEqual({ org: orgB, user: B1 });
    expect(ownerOf(`fazhi:member:${A1}`, map.get(`fazhi:member:${A1}`), map)).toEqual({
      user: A1,
      org: orgA,
    });
    expect(ownerOf("fazhi:something-new:1", "", map)).toEqual({ unknown: true });
    expect(
      telegramProblems({ method: "sendMessage", payload: { chat_id: 1, text: " \n" } }),
    ).toEqual(["sendMessage with a blank text"]);
  });

  it(`handles ${UPDATES} updates one by one: no unhandled error, no change it should not make`, async () => {
    const { h, map, orgB } = w;
    const tally = new Tally();
    const started = performance.now();
    for (let i = 0; i < UPDATES; i++) {
      const u = draw(tally);
      const mark = h.api.calls.length;
      await feed(u, i, tally);
      factory.sent(u);
      for (const change of map.take()) {
        tally.changes += 1;
        const why = refusal(change, u.who);
        if (why) {
          tally.refused.push(
            `#${i} ${u.kind} from ${whoName(u.who)} changed ${change.key}: ${why}\n    update: ${JSON.stringify(u.update).slice(0, 400)}`,
          );
        }
        if (ownersOf(change, map).some((o) => o.org === orgB)) tally.changedB.add(change.key);
      }
      const calls = h.since(mark);
      if (u.who.kind !== "orgA") tally.leaked.push(...leaks(calls, u.who));
      for (const problem of calls.flatMap(telegramProblems)) {
        tally.unsendable.push(`#${i} ${u.kind} from ${whoName(u.who)}: ${problem.slice(0, 300)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const unexpected = unexpectedErrors();
    console.log(
      [
        tally.report("fuzz, one by one", UPDATES, seconds, h.errors.length),
        `  API calls ${h.api.calls.length}, store writes ${map.writes}`,
        ...unexpected.map((l) => `  error line: ${JSON.stringify(l)}`),
      ].join("\n"),
    );
    const openings = said();
    if (process.env.FUZZ_VERBOSE) {
      const top = [...openings].sort((x, y) => y[1] - x[1]);
      console.log(top.map(([k, n]) => `  ${n}\t${JSON.stringify(k)}`).join("\n"));
    }

    tally.expectClean();
    expect(h.errors.filter((line) => line.includes("unhandled"))).toEqual([]);
    expect(unexpected).toEqual([]);
    // Every document that could not be read was answered, in Chinese.
    const readFailed = [...openings]
      .filter(([k]) => k.startsWith("sendMessage 读取文件时出错"))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(readFailed).toBe(h.errors.length);
    await expectOrgsIntact();
  }, 120_000);

  it(`handles ${CONCURRENT} more updates arriving ${BATCH} at a time`, async () => {
    const { h, map } = w;
    const tally = new Tally();
    const started = performance.now();
    for (let start = 0; start < CONCURRENT; start += BATCH) {
      const batch: FuzzUpdate[] = [];
      for (let i = start; i < Math.min(start + BATCH, CONCURRENT); i++) {
        const u = draw(tally);
        batch.push(u);
        factory.sent(u); // so the same update may also arrive twice at once
      }
      const mark = h.api.calls.length;
      await Promise.all(batch.map((u, i) => feed(u, start + i, tally)));
      // A change must be one that some sender of the batch may make.
      for (const change of map.take()) {
        tally.changes += 1;
        if (ownersOf(change, map).some((o) => o.org === w.orgB)) tally.changedB.add(change.key);
        if (batch.every((u) => refusal(change, u.who) !== undefined)) {
          tally.refused.push(`batch at #${start} changed ${change.key}, which none of it may`);
        }
      }
      // Replies go to the chat of the update they answer; judge each by its chat's senders.
      for (const call of h.since(mark)) {
        const from = batch.filter((u) => chatOf(u.update) === call.payload.chat_id);
        const outsiders = from.length > 0 && from.every((u) => u.who.kind !== "orgA");
        if (outsiders) tally.leaked.push(...leaks([call], { kind: "nobody" }));
        if (from.length === 0 && (call.payload.chat_id === A1 || call.payload.chat_id === A2)) {
          tally.leaked.push(`${call.method} to org A's member, from no update of the batch`);
        }
        tally.unsendable.push(...telegramProblems(call).map((p) => `batch at #${start}: ${p}`));
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const unexpected = unexpectedErrors();
    console.log(
      [
        tally.report("fuzz, concurrent", CONCURRENT, seconds, h.errors.length),
        ...unexpected.map((l) => `  error line: ${JSON.stringify(l)}`),
      ].join("\n"),
    );
    tally.expectClean();
    expect(unexpected).toEqual([]);
    await expectOrgsIntact();
  }, 120_000);

  describe("the cases it found, kept as plain examples", () => {
    /** Runs `action` as org A's admin: it must change no stored byte; returns what was sent. */
    async function readOnly(action: () => Promise<void>) {
      w.map.take();
      const mark = w.h.api.calls.length;
      await action();
      expect(w.map.take()).toEqual([]);
      return w.h.since(mark).map((c) => [c.method, c.payload.text ?? null]);
    }
    const admin = () => w.h.chat(A1, "小王");

    it("acknowledges a button without a message (inline mode) and answers nothing", async () => {
      const sent = await readOnly(() =>
        w.h.bot.handleUpdate({
          update_id: 1,
          callback_query: {
            id: "1",
            from: { id: A1, is_bot: false, first_name: "小王" },
            chat_instance: "1",
            inline_message_id: "x",
            data: "sec:rules",
          },
        }),
      );
      expect(sent).toEqual([["answerCallbackQuery", null]]);
    });

    it("never saves a command in another case, or one for another bot, as an answer", async () => {
      expect(await readOnly(() => admin().send("/Status"))).toEqual([
        ["sendMessage", "未知命令 /Status。发送 /help 查看可用命令。"],
      ]);
      expect(await readOnly(() => admin().send("/next@other_bot"))).toEqual([
        ["sendMessage", "未知命令 /next@other_bot。发送 /help 查看可用命令。"],
      ]);
      const group = { id: -4001, type: "group", title: "镇政府工作群" } as const;
      expect(await readOnly(() => admin().send("/status@other_bot", { chat: group }))).toEqual([]);
      expect(await readOnly(() => admin().send("/STATUS", { chat: group }))).toEqual([
        ["sendMessage", "请私聊机器人使用 /STATUS：群里不显示各人正在填写的内容。"],
      ]);
    });

    it("does not count a member's invite link as a failed join attempt", async () => {
      expect(await readOnly(() => admin().send("/start ZZZZZZZZ"))).toEqual([
        ["sendMessage", `您已是「${ORG_A_NAME}」的成员，无需再次加入。`],
      ]);
    });
  });
});
