import { describe, expect, it } from "vitest";
import type { LastYearReport, OrgBasics } from "../../src/domain/types.js";
import { buildMessages } from "../../src/draft/messages.js";
import { composeSection } from "../../src/draft/offline.js";
import { requestFromAnswers } from "../../src/draft/request.js";
import { BUTTONS } from "../../src/interview/callbacks.js";
import { withLastYear } from "../../src/interview/last-year.js";
import { questionsOf } from "../../src/interview/progress.js";
import { IMPORTING } from "../../src/messages/zh.js";
import { lastYearQuestions as questionsWith } from "../../src/template/last-year.js";
import { loadTemplate } from "../../src/template/load.js";

/** The questions on last year's report, merged into the template for one org (pure). */

const template = loadTemplate();
const TOWN: OrgBasics = { name: "洪梅镇", kind: "镇", superior: "东莞市", year: 2024 };
const RECORD: LastYearReport = {
  fileName: "2023.txt",
  year: 2023,
  plans: [
    { text: "进一步推进行政执法“三项制度”全面落实", section: "enforcement" },
    { text: "加强普法宣传", section: "publicity" },
    // Read twice (a heading and its body): asked once.
    { text: "加强普法宣传", section: "publicity" },
    { text: "健全工作台账", section: "no-such-section" },
  ],
  shortcomings: [{ text: "执法人员持证率只有78%" }],
  importedBy: 1,
  importedAt: "2026-01-10T02:00:00.000Z",
};

const answer = (questionId: string, text: string) => ({
  questionId,
  text,
  author: 1,
  authorName: "小王",
  at: "2026-01-10T02:00:00.000Z",
});

describe("last year's questions", () => {
  const merged = withLastYear(template, RECORD);
  const extra = questionsWith(template, RECORD, IMPORTING);

  it("asks each item once, after the section's own questions, optional", () => {
    expect(extra.map((q) => [q.sectionId, q.text])).toEqual([
      ["enforcement", IMPORTING.planQuestion("进一步推进行政执法“三项制度”全面落实")],
      ["publicity", IMPORTING.planQuestion("加强普法宣传")],
      // A section this template lacks: the first measures section.
      ["leadership", IMPORTING.planQuestion("健全工作台账")],
      ["shortcomings", IMPORTING.shortcomingQuestion("执法人员持证率只有78%")],
    ]);
    expect(extra.every((q) => !q.required)).toBe(true);
    const enforcement = merged.section("enforcement");
    expect(enforcement?.questions.at(-1)?.id).toBe(extra[0]?.id);
    expect(enforcement?.questions.slice(0, -1)).toEqual(template.section("enforcement")?.questions);
    expect(questionsOf(merged)).toHaveLength(questionsOf(template).length + extra.length);
  });

  it("has ids a button can carry, stable for the same item and different for another", () => {
    for (const q of extra) {
      expect(q.id).toMatch(/^[a-z0-9.-]+$/);
      expect(BUTTONS.edit.unpack(BUTTONS.edit.pack(q.id))).toEqual([q.id]);
      expect(Buffer.byteLength(BUTTONS.editSection.pack(q.id))).toBeLessThanOrEqual(64);
    }
    const reversed = { ...RECORD, plans: [...RECORD.plans].reverse() };
    const again = questionsWith(template, reversed, IMPORTING);
    expect(new Set(again.map((q) => q.id))).toEqual(new Set(extra.map((q) => q.id)));
    expect(new Set(extra.map((q) => q.id)).size).toBe(extra.length);
  });

  it("leaves the template as it is without a record", () => {
    expect(withLastYear(template, undefined)).toBe(template);
  });

  it("gives the LLM the answer with the plan item as its question", () => {
    const plan = extra[0];
    if (!plan) throw new Error("no plan question");
    const answers = new Map([[plan.id, answer(plan.id, "全年落实三项制度，公示执法信息45条。")]]);
    const request = requestFromAnswers(merged, TOWN, answers);
    const facts = request.sections.find((s) => s.section.id === "enforcement");
    if (!facts) throw new Error("no enforcement facts");
    const [, user] = buildMessages(merged, TOWN, facts);
    // The data block lists the answer under its question, the plan item's own words.
    expect(user?.content).toContain(`"问题":${JSON.stringify(plan.text)}`);
    expect(user?.content).toContain(`"回答":"全年落实三项制度，公示执法信息45条。"`);
    expect(user?.content).toContain("进一步推进行政执法“三项制度”全面落实");
  });

  it("composes offline: a plan answer as a sub-item, a fixed shortcoming before this year's", () => {
    const [plan, , , fix] = extra;
    if (!plan || !fix) throw new Error("missing questions");
    const answers = new Map([
      [plan.id, answer(plan.id, "公示执法信息45条")],
      [fix.id, answer(fix.id, "组织执法人员参加考试，持证率提高到96%")],
      ["shortcomings.problem-1", answer("shortcomings.problem-1", "村级调解员培训不够")],
    ]);
    const request = requestFromAnswers(merged, TOWN, answers);
    const facts = (id: string) => {
      const found = request.sections.find((s) => s.section.id === id);
      if (!found) throw new Error(`no ${id}`);
      return found;
    };
    expect(composeSection(TOWN, facts("enforcement"))).toContain(
      "落实上年度“进一步推进行政执法“三项制度”全面落实”的安排。",
    );
    const shortcomings = composeSection(TOWN, facts("shortcomings")).split("\n");
    expect(shortcomings[0]).toMatch(/^针对上年度报告指出的“执法人员持证率只有78%”问题，.*96%/u);
    // This year's problems stay numbered after the opening; the fix is none of them.
    expect(shortcomings.filter((l) => /^（[一二三四]）/u.test(l)).join("")).not.toContain("96%");
  });
});
