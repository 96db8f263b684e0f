import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import KeyvSqlite from "@keyv/sqlite";
import { afterAll, describe, expect, it } from "vitest";
import type { Answer, AnswerVersion } from "../../src/domain/types.js";
import { questionQuotedIn, questionsOf } from "../../src/interview/progress.js";
import { templateForKind } from "../../src/messages/wording.js";
import { Store } from "../../src/store/store.js";
import { loadTemplate } from "../../src/template/load.js";
import { tempDir } from "../helpers/harness.js";
import { ACK, ChatProcess, PROMPT } from "./chat-process.js";
import { crashSeed, Prng } from "./prng.js";

/**
 * Crash safety (issue 7, point 4): the terminal chat runs as a child process on one SQLite file
 * and is killed with SIGKILL at random points, at least 20 times, then restarted on the same
 * file. Every answer the bot acknowledged must be in the store afterwards, none twice, and every
 * stored record well-formed. The kill points are drawn from a seeded PRNG; the seed is printed,
 * and CRASH_SEED=<seed> replays the same schedule (the timing of the children still varies).
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The terminal chat's user (src/terminal/chat.ts). */
const USER = 10_001;
const USER_NAME = "本机用户";
const KILL_POINTS = [
  /** Right after the ack of the last answer arrived. */
  "after-ack",
  /** Some milliseconds after the last ack: the child is idle, waiting for a line. */
  "idle",
  /** While the bot handles an answer: some milliseconds after writing it. */
  "waiting",
  /** In the same tick as writing an answer, before the child can have read it. */
  "after-write",
  /** In the middle of a burst of answers written at once. */
  "burst",
  /** While the child starts: answers are written before it printed its first prompt. */
  "startup",
] as const;
type KillPoint = (typeof KILL_POINTS)[number];
/** Each kill point this many times: 24 kills. */
const ROUNDS = 4;
const MAX_ANSWERS_PER_CHILD = 3;

const template = loadTemplate();
const questionIds = questionsOf(template).map((q) => q.id);
const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Sent {
  text: string;
  child: number;
  point: KillPoint;
  /** The verb of the ack (保存 / 更新 / 补充) when the bot acknowledged it. */
  ack?: string;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => (ms < 1 ? setImmediate(resolve) : setTimeout(resolve, ms)));

describe("SIGKILL at random points", () => {
  it("loses no acknowledged answer, duplicates none, corrupts nothing", {
    timeout: 240_000,
  }, async () => {
    const started = performance.now();
    const seed = crashSeed();
    const rng = new Prng(seed);
    console.log(`crash test seed: ${seed} (replay with CRASH_SEED=${seed})`);

    const file = join(tmp.dir, "crash.sqlite");
    const url = `sqlite://${file}`;
    const env = {
      ...process.env,
      STORE_URL: url,
      TELEGRAM_BOT_TOKEN: "",
      WEBHOOK_URL: "",
      LOG_LEVEL: "warn",
    };
    const schedule = shuffled(
      KILL_POINTS.flatMap((p) => Array<KillPoint>(ROUNDS).fill(p)),
      rng,
    );
    // The first child registers the org, so it must not be killed while starting.
    const first = schedule.findIndex((p) => p !== "startup");
    [schedule[0], schedule[first]] = [schedule[first] as KillPoint, schedule[0] as KillPoint];
    // Each answer goes to a question of its own unless a kill fell between saving it and moving
    // the cursor; with at most 3 answers per child the 79 questions never run out.
    expect(schedule.length * MAX_ANSWERS_PER_CHILD).toBeLessThan(questionIds.length);

    const sent = new Map<string, Sent>();
    /** Answers whose reply was printed in full without an ack: the bot refused them. */
    const refused: string[] = [];
    let kills = 0;
    /** How long the bot took from an answer written to its ack, in ms. */
    const latencies: number[] = [];

    for (const [n, point] of schedule.entries()) {
      const child = new ChatProcess(ROOT, env);
      /** Writes answers (one write for several) and records them; returns their line indexes. */
      const answer = (count: number): number[] => {
        const texts = Array.from({ length: count }, () => {
          const i = sent.size + 1;
          const text = `答案#${i}：全年开展${i}次法治宣传，覆盖${i * 37}人。`;
          sent.set(text, { text, child: n, point });
          return text;
        });
        const first = child.write(...texts);
        return texts.map((_, j) => first + j);
      };
      /**
       * Answers one at a time, each after the previous one's ack. Now and then, after an ack, the
       * 重答 button of that ack is pressed first, so the next answer replaces the previous one
       * (the replaced text must survive in the answer's history).
       */
      const answerInTurn = async (count: number, redoAfterLast = false): Promise<void> => {
        for (let j = 0; j < count; j++) {
          if (j > 0 && rng.chance(0.3)) await redo();
          const start = performance.now();
          const [index] = answer(1);
          await child.ackOf(index as number);
          latencies.push(performance.now() - start);
        }
        if (count > 0 && redoAfterLast) await redo();
      };
      const redo = async (): Promise<void> => {
        const index = child.write("重答");
        await child.replyTo(index);
        expect(child.replies().replies[index]).toContain("请发送新的回答");
      };
      /** A random moment while the bot handles `count` answers (from the latencies seen so far). */
      const midway = (count: number) => rng.next() * count * 1.2 * typicalLatency(latencies);

      if (point === "startup") {
        answer(rng.int(1, MAX_ANSWERS_PER_CHILD));
        await sleep(rng.int(100, 1_200));
      } else {
        await child.until(() => child.stdout.includes(PROMPT), "the first prompt");
        if (n === 0) await register(child);
        else if (rng.chance(0.5)) await child.replyTo(child.write("/next"));
        const count = rng.int(1, MAX_ANSWERS_PER_CHILD);
        switch (point) {
          case "after-ack":
            await answerInTurn(count, rng.chance(0.25));
            break;
          case "idle":
            await answerInTurn(count, rng.chance(0.25));
            await sleep(rng.next() * 30);
            break;
          case "waiting":
            await answerInTurn(count - 1);
            if (count > 1 && rng.chance(0.3)) await redo();
            answer(1);
            await sleep(midway(1));
            break;
          case "after-write":
            await answerInTurn(count - 1);
            answer(1);
            break;
          case "burst": {
            const burst = answer(Math.max(2, count));
            if (rng.chance(0.5)) await child.ackOf(rng.pick(burst));
            else await sleep(midway(burst.length));
            break;
          }
        }
      }
      child.kill();
      const exit = await child.exited;
      // A child that died by itself (or exited) before the kill would be a crash of its own.
      expect(exit, child.stderr).toEqual({ code: null, signal: "SIGKILL" });
      kills += 1;

      // Everything the child printed before it died has been read ("close" drains the pipes).
      const { replies, complete } = child.replies();
      for (const [i, line] of child.lines.entries()) {
        const record = sent.get(line);
        if (!record) continue;
        const verb = ACK.exec(replies[i] ?? "")?.[1];
        if (verb) record.ack = verb;
        else if (i < complete) refused.push(`${line} → ${replies[i]}`);
      }
    }

    // A last start on the same file: the interview resumes where it was.
    const final = new ChatProcess(ROOT, env);
    await final.replyTo(final.write("/status"));
    await final.replyTo(final.write("/next"));
    final.end();
    expect(await final.exited, final.stderr).toEqual({ code: 0, signal: null });
    const [status = "", next = ""] = final.replies().replies;
    const progress = /测试镇（测试县）2025年度报告 · 填写进度 (\d+)\/(\d+)/.exec(status);
    expect(progress, status).not.toBeNull();
    // Questions are shown without ids: the asked one is found by its text, as 测试镇 reads it.
    const asked = questionQuotedIn(templateForKind(template, "镇"), next)?.id;
    expect(asked, next).toBeDefined();
    // No hot journal is left once a clean process has opened the file (rollback journal mode).
    expect(existsSync(`${file}-journal`)).toBe(false);

    // The store, read directly.
    const store = Store.open(url);
    const stored: Answer[] = [];
    try {
      const member = await store.getMember(USER);
      expect(member?.role).toBe("admin");
      const org = member && (await store.getOrg(member.orgId));
      if (!org) throw new Error("the org registered by the first child is gone");
      expect(org).toMatchObject({ name: "测试镇", kind: "镇", superior: "测试县", year: 2025 });
      const answers = await store.getAnswers(org, questionIds);
      for (const id of questionIds) {
        const one = await store.getAnswerWithHistory(org, id);
        const { history: _earlier, ...currentOne } = one ?? {};
        expect(answers.get(id)).toEqual(one && currentOne);
        if (!one) continue;
        // Well-formed: the record under a question's key is that question's answer.
        expect(one.questionId).toBe(id);
        expect(Object.keys(one).sort()).toEqual(
          ["questionId", "text", "author", "authorName", "at", "history"].sort(),
        );
        for (const version of [one, ...(one.history ?? [])]) expectVersion(version, sent);
        stored.push(one);
      }
      expect(progress?.[1]).toBe(String(stored.length));
      expect(progress?.[2]).toBe(String(questionIds.length));
      // /next asks an unanswered question.
      expect(answers.has(asked as string), `/next asked ${asked}`).toBe(false);
    } finally {
      await store.close();
    }
    await expectSoundFile(url);

    const found = new Map<string, number>();
    for (const a of stored) {
      for (const v of [a, ...(a.history ?? [])]) found.set(v.text, (found.get(v.text) ?? 0) + 1);
    }
    const acked = [...sent.values()].filter((s) => s.ack);
    const lost = acked.filter((s) => !found.has(s.text));
    const duplicated = [...found].filter(([, count]) => count > 1);
    const unacked = [...found.keys()].filter((text) => !sent.get(text)?.ack);
    const verbs = countBy(acked, (s) => s.ack as string);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      [
        `crash test (seed ${seed}): ${kills} kills (${KILL_POINTS.map((p) => `${p} ${ROUNDS}`).join(", ")})`,
        `answers sent ${sent.size}, acknowledged ${acked.length} (${Object.entries(verbs)
          .map(([v, c]) => `已${v} ${c}`)
          .join(
            ", ",
          )}), found ${acked.length - lost.length}, lost ${lost.length}, duplicated ${duplicated.length}`,
        `stored ${found.size} texts in ${stored.length} answers (${stored.reduce((n, a) => n + (a.history?.length ?? 0), 0)} earlier versions); persisted but never acknowledged ${unacked.length}`,
        `elapsed ${seconds} s`,
      ].join("\n"),
    );

    expect(kills).toBeGreaterThanOrEqual(20);
    expect(refused, "answers the bot refused").toEqual([]);
    expect(acked.length).toBeGreaterThan(0);
    expect(
      lost.map((s) => `${s.text} (child ${s.child}, ${s.point})`),
      "acknowledged answers lost",
    ).toEqual([]);
    expect(duplicated, "answer texts stored twice").toEqual([]);
  });
});

/** Registers the org in the first child: name, kind, superior, year. */
async function register(child: ChatProcess): Promise<void> {
  for (const line of ["/start", "测试镇", "镇", "测试县", "2025"]) {
    await child.replyTo(child.write(line));
  }
  const reply = child.replies().replies.at(-1) ?? "";
  expect(reply).toContain("已登记：测试镇（镇，上级：测试县），2025年度法治政府建设报告。");
}

/** One version of an answer: a text this test sent, by the terminal user, at a valid time. */
function expectVersion(version: AnswerVersion, sent: ReadonlyMap<string, Sent>): void {
  expect(sent.has(version.text), `stored text not sent: ${JSON.stringify(version.text)}`).toBe(
    true,
  );
  expect(version.author).toBe(USER);
  expect(version.authorName).toBe(USER_NAME);
  expect(Number.isNaN(Date.parse(version.at)), version.at).toBe(false);
  if (!("questionId" in version)) {
    expect(Object.keys(version).sort()).toEqual(["at", "author", "authorName", "text"]);
  }
}

/** The file itself: SQLite's integrity check, and every row a parseable Keyv record. */
async function expectSoundFile(url: string): Promise<void> {
  const raw = new KeyvSqlite({ uri: url });
  try {
    const check = (await raw.query("PRAGMA integrity_check")) as Record<string, string>[];
    expect(check.map((row) => Object.values(row)[0])).toEqual(["ok"]);
    const rows = (await raw.query("SELECT key, value FROM keyv")) as {
      key: string;
      value: string;
    }[];
    for (const { key, value } of rows) {
      expect(key.startsWith("fazhi:"), key).toBe(true);
      const parsed = JSON.parse(value) as { value?: unknown };
      expect(parsed.value, key).toBeDefined();
      const answerKey = /^fazhi:answer:[^:]+:2025:(.+)$/.exec(key);
      if (key.startsWith("fazhi:answer:")) {
        expect(answerKey, key).not.toBeNull();
        expect(questionIds).toContain(answerKey?.[1]);
      }
    }
  } finally {
    await raw.disconnect();
  }
}

/** The median of the last latencies seen, or 8 ms before any. */
function typicalLatency(latencies: readonly number[]): number {
  const recent = latencies.slice(-15).toSorted((a, b) => a - b);
  return recent[Math.floor(recent.length / 2)] ?? 8;
}

function shuffled<T>(items: T[], rng: Prng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
