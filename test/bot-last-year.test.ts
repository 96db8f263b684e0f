import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { LocalChat } from "../src/bot/local-api.js";
import type { LastYearReport } from "../src/domain/types.js";
import { readPastReport } from "../src/import/past-report.js";
import { withLastYear as withLastYearOf } from "../src/interview/last-year.js";
import { isRequired, questionsOf } from "../src/interview/progress.js";
import { findSection } from "../src/interview/refs.js";
import { sectionLabel } from "../src/interview/views.js";
import { templateForKind } from "../src/messages/wording.js";
import { IMPORTING } from "../src/messages/zh.js";
import { Store } from "../src/store/store.js";
import { Harness, imports, register, tempDir, template } from "./helpers/harness.js";
import { seedsDir } from "./helpers/seeds-dir.js";

/**
 * This year's interview with last year's report loaded (issue 18): each plan item asked once, in
 * its section; each shortcoming once, in the shortcomings; answers to them are ordinary answers.
 */

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const town = templateForKind(template, "镇");
const MEMBER = 901;
let h: Harness;
let fileNo = 0;

beforeEach(() => {
  h = new Harness(Store.open("memory://"));
});

async function upload(chat: LocalChat, name: string, text: string): Promise<string[]> {
  fileNo += 1;
  const path = join(tmp.dir, `${fileNo}-${name}`);
  writeFileSync(path, text);
  const size = Buffer.byteLength(text);
  const fileId = `ly-file-${fileNo}`;
  h.api.addFile(fileId, path, size);
  return h.run(() =>
    chat.sendMessage({
      document: { file_id: fileId, file_unique_id: fileId, file_name: name, file_size: size },
    } as never),
  );
}

/** Registers, then loads `seed` as last year's report through the upload choice. */
async function withLastYear(seed: string): Promise<{ chat: LocalChat; saved: LastYearReport }> {
  const chat = h.chat(MEMBER, "小王");
  await register(chat);
  const mark = h.api.calls.length;
  await upload(chat, `${seed}.txt`, readFileSync(join(seedsDir(), `${seed}.txt`), "utf8"));
  const button = h.buttons(mark).find((b) => b.label === IMPORTING.choice.lastYear);
  await h.run(() => chat.press(button?.data ?? ""));
  const seat = await h.store.seatOf(MEMBER);
  const saved = seat && (await h.store.getLastYear(seat.org.id));
  if (!saved) throw new Error("last year's report not stored");
  return { chat, saved };
}

/** A question as the bot asks it: its section label and its text. */
function asked(reply: string): { label: string; text: string } | undefined {
  const lines = reply.split("\n");
  const label = /^【(.+)】$/.exec(lines[0] ?? "")?.[1];
  return label ? { label, text: lines[3] ?? "" } : undefined;
}

const labelOf = (sectionId: string): string => {
  const section = town.section(sectionId);
  if (!section) throw new Error(`no section ${sectionId}`);
  return sectionLabel(town, section);
};

describe.each(["panlong-2023", "yanshan-2020"])(
  "the interview with %s loaded as last year's",
  (seed) => {
    it("asks about each plan item once in its section, and each shortcoming once in the shortcomings", async () => {
      const { chat, saved } = await withLastYear(seed);
      const expected = readPastReport(
        readFileSync(join(seedsDir(), `${seed}.txt`), "utf8"),
        imports,
      );
      expect(saved.plans.length + saved.shortcomings.length).toBeGreaterThan(0);
      const seen: { label: string; text: string }[] = [];
      let finished = false;
      for (let i = 0; i < 300 && !finished; i++) {
        const replies = await h.run(() => chat.send(`第${i + 1}项：全年开展相关工作3次。`));
        for (const reply of replies) {
          const question = asked(reply);
          if (question) seen.push(question);
          if (reply.startsWith("所有问题都已过了一遍")) finished = true;
        }
      }
      expect(finished).toBe(true);
      const shortcomings = town.sections.find((s) => s.part === "shortcomings")?.id ?? "";
      const items = [
        ...expected.plans.map((p) => ({
          text: IMPORTING.planQuestion(p.text),
          section: p.section,
        })),
        ...expected.shortcomings.map((s) => ({
          text: IMPORTING.shortcomingQuestion(s.text),
          section: shortcomings,
        })),
      ];
      for (const item of items) {
        const times = seen.filter((q) => q.text === item.text);
        expect(times, item.text).toHaveLength(1);
        expect(times[0]?.label, item.text).toBe(labelOf(item.section));
      }
      // Nothing else on last year's report was asked.
      const fromLastYear = seen.filter((q) => /^去年报告(?:提出|指出的不足)/u.test(q.text));
      expect(fromLastYear).toHaveLength(items.length);
      expect(h.errors).toEqual([]);
    });
  },
);

describe("answers on last year's report are ordinary answers", () => {
  it("optional for /missing, reachable by /edit with the visible number, kept in /history", async () => {
    const { chat, saved } = await withLastYear("panlong-2023");
    const seat = await h.store.seatOf(MEMBER);
    if (!seat) throw new Error("not a member");
    // Every required question answered: last year's questions do not block 没有缺项.
    for (const q of questionsOf(town).filter((x) => isRequired(town, x))) {
      await h.store.saveAnswer(
        seat.org,
        q.id,
        { text: "全年开展3次。", author: MEMBER, authorName: "小王", at: "2026-01-10T02:00:00Z" },
        "replace",
      );
    }
    const [missing] = await h.run(() => chat.send("/missing"));
    expect(missing).toContain("✅ 必答内容已全部填写，没有缺项。");
    const plan = saved.plans[0];
    if (!plan) throw new Error("no plan item");
    expect(missing).toContain("去年报告提出：‘");

    // /edit "<section> <n>": n as "第 n/m 题" shows it.
    const section = town.section(plan.section);
    if (!section) throw new Error("no section");
    const n =
      section.questions.length +
      1 +
      saved.plans.filter((p) => p.section === plan.section).indexOf(plan);
    // The section by its number in the list users see (/revise, /edit).
    const key = String(town.sections.indexOf(section) + 1);
    expect(findSection(town, key)?.id).toBe(section.id);
    const [pending] = await h.run(() => chat.send(`/edit ${key} ${n}`));
    expect(pending).toContain(IMPORTING.planQuestion(plan.text).slice(0, 20));
    const [ack] = await h.run(() => chat.send("今年落实了，全年培训4场。"));
    expect(ack).toMatch(/^✅ 已保存/);
    const [history] = await h.run(() => chat.send(`/history ${key} ${n}`));
    expect(history).toContain("今年落实了，全年培训4场。");
    expect(history).toContain("小王");
    // Stored as an ordinary answer under a question id of that section, never shown.
    const merged = withLastYearOf(template, saved);
    const answers = await h.store.answersOf(seat.org, merged);
    const stored = [...answers.values()].find((a) => a.text.includes("全年培训4场"));
    expect(merged.question(stored?.questionId ?? "")?.sectionId).toBe(plan.section);
    expect(history).not.toMatch(/ly-plan/);
    expect(h.errors).toEqual([]);
  });

  it("drafts them in their section, and the summary and /missing name the plan items never mentioned", async () => {
    const { chat, saved } = await withLastYear("panlong-2023");
    const plan = saved.plans[0];
    if (!plan) throw new Error("no plan item");
    const section = town.section(plan.section);
    if (!section) throw new Error("no section");
    const n = section.questions.length + 1;
    const key = String(town.sections.indexOf(section) + 1);
    await h.run(() => chat.send(`/edit ${key} ${n}`));
    await h.run(() => chat.send("全年召开法治建设专题会议5次。"));
    const replies = await h.run(() => chat.send("/draft"));
    const draft = replies.find((r) => r.includes(`落实上年度“${plan.text}”的安排`));
    expect(draft).toBeDefined();
    expect(draft).toContain("全年召开法治建设专题会议5次");
    const summary = replies.find((r) => r.startsWith("草稿说明："));
    expect(summary).toMatch(/去年报告提出的下一年度安排共 \d+ 项/u);
    const missing = (await h.run(() => chat.send("/missing"))).join("\n");
    const unmentioned = (summary ?? "")
      .split("\n")
      .filter((l) => l.endsWith("在今年的报告中没有提到"));
    expect(unmentioned.length).toBeGreaterThan(0);
    for (const line of unmentioned) expect(missing).toContain(line.replace(/^\s+- /u, ""));
    expect(h.errors).toEqual([]);
  });
});

describe("someone not yet registered sends last year's report", () => {
  const STRANGER = 902;
  const seedText = () => readFileSync(join(seedsDir(), "panlong-2023.txt"), "utf8");

  async function send(chat: LocalChat, caption: string): Promise<string[]> {
    fileNo += 1;
    const path = join(tmp.dir, `${fileNo}-2023.txt`);
    writeFileSync(path, seedText());
    const size = Buffer.byteLength(seedText());
    const fileId = `ly-file-${fileNo}`;
    h.api.addFile(fileId, path, size);
    return h.run(() =>
      chat.sendMessage({
        document: {
          file_id: fileId,
          file_unique_id: fileId,
          file_name: "2023.txt",
          file_size: size,
        },
        caption,
      } as never),
    );
  }

  it("is offered the office it names; 采用这些信息 registers it and stores the report", async () => {
    const chat = h.chat(STRANGER, "老张");
    const mark = h.api.calls.length;
    const [offer] = await send(chat, "去年的报告");
    expect(offer).toContain("从《2023.txt》中读到：盘龙彝族乡（乡），上级：砚山县。");
    expect(offer).toContain("填写2024年度报告");
    expect(h.buttons(mark).map((b) => b.label)).toEqual(["采用这些信息", "自己填写"]);
    const adopt = h.buttons(mark)[0]?.data ?? "";
    const replies = await h.run(() => chat.press(adopt));
    expect(replies[0]).toMatch(
      /^已登记：盘龙彝族乡（乡，上级：砚山县），2024年度法治政府建设报告。/u,
    );
    expect(replies[1]).toMatch(/^已读取去年的报告《2023\.txt》（2023年度）/u);
    // The interview begins: its first question.
    expect(replies[2]).toMatch(/^【/u);
    const seat = await h.store.seatOf(STRANGER);
    expect(seat?.org).toMatchObject({
      name: "盘龙彝族乡",
      kind: "乡",
      superior: "砚山县",
      year: 2024,
    });
    expect(seat?.org.admins).toEqual([STRANGER]);
    expect(seat?.member.displayName).toBe("老张");
    const expected = readPastReport(seedText(), imports);
    expect((await h.store.getLastYear(seat?.org.id ?? ""))?.plans).toEqual(expected.plans);
    // A second tap registers nothing more: the report is read again for the same office.
    const again = await h.run(() => chat.press(adopt));
    expect(again[0]).toMatch(/^已读取去年的报告/u);
    expect(await h.store.listOrgIds()).toHaveLength(1);
    expect(h.errors).toEqual([]);
  });

  it("自己填写 starts the registration dialogue and keeps nothing of the report", async () => {
    const chat = h.chat(STRANGER, "老张");
    const mark = h.api.calls.length;
    await send(chat, "上年度报告");
    const self = h.buttons(mark).find((b) => b.label === "自己填写")?.data ?? "";
    const replies = await h.run(() => chat.press(self));
    expect(replies[0]).toMatch(/^欢迎使用法治政府建设年度报告助手！\n先登记本单位。/u);
    expect(replies[1]).toBe("登记完成后，请再发送一次这份文件，选择“这是去年的年度报告”。");
    expect(await h.store.getRegistration(STRANGER)).toEqual({ step: "name" });
    expect(await h.store.listOrgIds()).toEqual([]);
  });

  it("without a caption saying so, gets the check as before", async () => {
    const chat = h.chat(STRANGER, "老张");
    const [verdict] = await send(chat, "");
    expect(verdict).toMatch(/^检查结果（2023\.txt）/u);
  });
});
