import { afterAll, describe, expect, it } from "vitest";
import type { Answer } from "../src/domain/types.js";
import { questionsOf } from "../src/interview/progress.js";
import { Store } from "../src/store/store.js";
import { Harness, register, tempDir, template } from "./helpers/harness.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("two colleagues answering at the same time", () => {
  it("loses no answer over 100 interleaved updates", async () => {
    const store = Store.open(`sqlite://${tmp.dir}/concurrent.sqlite`);
    const h = new Harness(store);
    const admin = h.chat(801, "小王");
    await register(admin);
    const member = await store.getMember(801);
    const org = member && (await store.getOrg(member.orgId));
    if (!org) throw new Error("registration failed");
    const colleague = h.chat(802, "老李");
    await colleague.send(`/join ${org.inviteCode}`);
    // The colleague starts in another part of the report, so both answer different questions.
    await colleague.press("sec:enforcement");

    const questions = questionsOf(template);
    // Each user's messages arrive in order (Telegram keeps order per chat); the two users interleave.
    const sendAll = (chat: typeof admin, who: string) =>
      (async () => {
        for (let i = 0; i < 50; i++) await chat.send(`${who}的第${i + 1}条回答`);
      })();
    await Promise.all([sendAll(admin, "小王"), sendAll(colleague, "老李")]);

    const answers = new Map<string, Answer>();
    for (const q of questions) {
      const answer = await store.getAnswerWithHistory(org, q.id);
      if (answer) answers.set(q.id, answer);
    }
    const byAuthor = (author: number) =>
      [...answers.values()].filter((a) => a.author === author).map((a) => a.questionId);
    const adminAnswered = byAuthor(801);
    const colleagueAnswered = byAuthor(802);
    expect(adminAnswered.length + colleagueAnswered.length).toBe(
      new Set([...adminAnswered, ...colleagueAnswered]).size,
    );
    // Every message of both users is stored somewhere, exactly once.
    const texts = [...answers.values()].flatMap((a) => [
      a.text,
      ...(a.history ?? []).map((v) => v.text),
    ]);
    for (const who of ["小王", "老李"]) {
      for (let i = 1; i <= 50; i++)
        expect(texts.filter((t) => t === `${who}的第${i}条回答`)).toHaveLength(1);
    }
    expect(adminAnswered.length).toBeGreaterThan(0);
    expect(colleagueAnswered.length).toBeGreaterThan(0);
    expect(h.errors).toEqual([]);
    await store.close();
  });
});
