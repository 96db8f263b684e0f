import { beforeEach, describe, expect, it } from "vitest";
import {
  adoptCandidate,
  type ImportDeps,
  importLastYear,
  proposeCandidates,
} from "../../src/app/import.js";
import { historyReply } from "../../src/interview/views.js";
import { IMPORTING } from "../../src/messages/zh.js";
import type { Seat } from "../../src/store/store.js";
import { lastYearQuestions as questionsWith } from "../../src/template/last-year.js";
import { type AppWorld, appWorld, memberOf, orgWith } from "../app/app-helpers.js";
import { seedText } from "../check/seeds.js";
import { template } from "../helpers/harness.js";
import { importContext } from "./context.js";

/** The import use cases on a real (in-memory) store, with two members of one office. */

const imports = importContext();
const ADMIN = 11;
const COLLEAGUE = 12;
let w: AppWorld;
let deps: ImportDeps;
let admin: Seat;
let colleague: Seat;

beforeEach(async () => {
  w = appWorld();
  deps = { store: w.store, imports, now: () => w.clock.now };
  admin = await orgWith(w, "a", ADMIN);
  colleague = { org: admin.org, member: await memberOf(w, admin.org, COLLEAGUE) };
});

describe("last year's report", () => {
  it("stores the plan items and shortcomings for the org, not the file", async () => {
    await importLastYear(deps, admin, {
      text: seedText("panlong-2023"),
      fileName: "2023年报告.txt",
    });
    const saved = await w.store.getLastYear(admin.org.id);
    expect(saved).toEqual({
      fileName: "2023年报告.txt",
      year: 2023,
      shortcomings: expect.any(Array),
      plans: expect.any(Array),
      importedBy: ADMIN,
      importedAt: w.clock.now.toISOString(),
    });
    expect(JSON.stringify(saved)).not.toContain("便民服务中心共受理");
  });

  it("asks about each plan item once, in its section, and each shortcoming in the shortcomings", async () => {
    const { saved } = await importLastYear(deps, admin, {
      text: seedText("panlong-2023"),
      fileName: "2023.txt",
    });
    const questions = questionsWith(template, saved, IMPORTING);
    const plans = questions.filter((q) => q.text.startsWith("去年报告提出"));
    expect(plans.map((q) => q.sectionId)).toEqual(["leadership", "enforcement", "publicity"]);
    expect(plans[1]?.text).toBe(
      "去年报告提出：‘进一步推进行政执法“三项制度”全面落实’。今年落实得怎样？有哪些具体做法和数字？",
    );
    const fixes = questions.filter((q) => q.text.startsWith("去年报告指出的不足"));
    expect(fixes).toHaveLength(3);
    expect(new Set(fixes.map((q) => q.sectionId))).toEqual(new Set(["shortcomings"]));
  });
});

describe("candidates adopted by members", () => {
  it("keeps the adopting member and the source in the history shown by /history", async () => {
    const candidates = await proposeCandidates(deps, {
      text: seedText("panlong-2023"),
      fileName: "盘龙材料.txt",
    });
    const [first, second] = candidates.filter((c) => c.questionId === "disputes.mediation");
    if (!first || !second) throw new Error("expected two mediation candidates");
    await adoptCandidate(deps, admin, first);
    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    const adopted = await adoptCandidate(deps, colleague, second, "村级调解17起。");
    expect(adopted.text).toBe(`${first.text}\n村级调解17起。`);
    // Earlier versions are read only for /history (issue 13).
    const answer = await w.store.getAnswerWithHistory(admin.org, "disputes.mediation");
    if (!answer?.history) throw new Error("no history");
    expect(answer.authorName).toBe(`用户${COLLEAGUE}`);
    expect(answer.source).toEqual({ file: "盘龙材料.txt", quote: second.quote });
    expect(answer.history[0]?.source).toEqual({ file: "盘龙材料.txt", quote: first.quote });
    const question = template.question("disputes.mediation");
    if (!question) throw new Error("no such question");
    const shown = historyReply(question, new Map([[question.id, answer]])).text;
    expect(shown).toContain(`用户${ADMIN}`);
    expect(shown).toContain(`用户${COLLEAGUE}`);
    expect(shown).toContain(`来源：《盘龙材料.txt》“${first.quote}”`);
  });

  it("adopts nothing by itself: proposing stores no answer", async () => {
    await proposeCandidates(deps, { text: seedText("panlong-2023"), fileName: "x.txt" });
    const answers = await w.store.answersOf(admin.org, template);
    expect(answers.size).toBe(0);
  });
});
