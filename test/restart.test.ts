import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { questionsOf } from "../src/interview/progress.js";
import { templateForKind } from "../src/messages/wording.js";
import { Store } from "../src/store/store.js";
import { Harness, register, tempDir, template } from "./helpers/harness.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const USER = 701;
const questions = questionsOf(template);
/** The questions as 洪梅镇 (a 镇) reads them. */
const townQuestions = questionsOf(templateForKind(template, "镇"));

/** The question the bot asked last (by its text), searched in the template. */
function lastAsked(texts: string[]): string | undefined {
  for (const text of texts.toReversed()) {
    const q = townQuestions.find((x) => text.includes(x.text) && text.includes("提示："));
    if (q) return q.id;
  }
  return undefined;
}

describe("restarting between messages", () => {
  it("loses nothing and resumes at the same question after every restart", async () => {
    const url = `sqlite://${join(tmp.dir, "restart.sqlite")}`;
    let store = Store.open(url);
    let h = new Harness(store);
    await register(h.chat(USER));
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      const before = lastAsked(h.texts(0));
      // Stop the bot and its store, then start both again on the same file.
      await store.close();
      store = Store.open(url);
      h = new Harness(store);
      // /start re-asks the current question (/next would prefer a required one to it).
      const resumed = await h.run(() => h.chat(USER).send("/start"));
      expect(lastAsked(resumed)).toBe(before);
      const text = i === 5 ? "/skip" : `第${i + 1}条回答，涉及${i * 7}件。`;
      await h.chat(USER).send(text);
      if (text !== "/skip") sent.push(text);
    }
    await store.close();
    store = Store.open(url);
    const member = await store.getMember(USER);
    const org = member && (await store.getOrg(member.orgId));
    if (!org) throw new Error("org lost across restarts");
    const answers = await store.getAnswers(
      org,
      questions.map((q) => q.id),
    );
    expect([...answers.values()].map((a) => a.text).sort()).toEqual(sent.toSorted());
    await store.close();
  });

  it("resumes a terminal session in a new process at the same question", async () => {
    const env = {
      ...process.env,
      STORE_URL: `sqlite://${join(tmp.dir, "process.sqlite")}`,
      TELEGRAM_BOT_TOKEN: "",
    };
    const first = join(tmp.dir, "first.txt");
    const second = join(tmp.dir, "second.txt");
    writeFileSync(first, "/start\n测试乡\n乡\n测试县\n2025\n依据文件一\n依据文件二\n");
    writeFileSync(second, "/next\n概括一句\n/status\n");
    const run = promisify(execFile);
    await run("node", ["bin/fazhi-report.js", "chat", "--script", first], { env });
    const { stdout } = await run("node", ["bin/fazhi-report.js", "chat", "--script", second], {
      env,
    });
    const intro = templateForKind(template, "乡").sections[0]?.questions ?? [];
    expect(stdout).toContain(`第 3/${intro.length} 题（必答）\n\n${intro[2]?.text}`);
    expect(stdout).toContain(`测试乡（测试县）2025年度报告 · 填写进度 3/${questions.length}`);
    // Two cold starts of the CLI: generous on a busy machine.
  }, 120_000);
});
