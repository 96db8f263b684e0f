import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { draftCommand } from "../../src/cli/draft.js";
import { loadConfig } from "../../src/config.js";
import { readAnswersFile } from "../../src/draft/request.js";
import { loadTemplate } from "../../src/template/load.js";
import { tempDir } from "../helpers/harness.js";

/** `draft --answers FILE` with a lastYear block: last year's items and their answers. */

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const template = loadTemplate();
const config = loadConfig({ STORE_URL: "memory://" });
const PLAN = "进一步推进行政执法“三项制度”全面落实";
const FIX = "执法人员持证率只有78%";

function answersFile(name: string, lastYear: unknown): string {
  const path = join(tmp.dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      org: { name: "洪梅镇", kind: "镇", superior: "东莞市", year: 2024 },
      answers: { "enforcement.team": "综合执法队执法人员18名，持证率100%。" },
      lastYear,
    }),
  );
  return path;
}

async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await draftCommand(
    args,
    {
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
    },
    config,
  );
  return { code, stdout, stderr };
}

// What `import --json` prints, with answers added by hand.
const BLOCK = {
  org: { name: "洪梅镇", kind: "镇", superior: "东莞市", year: 2023 },
  plans: [
    {
      text: PLAN,
      section: "enforcement",
      answer: "全年公示执法信息45条，法制审核重大执法决定6件。",
    },
    { text: "进一步加强社会面法制教育宣传", section: "publicity" },
  ],
  shortcomings: [{ text: FIX, answer: "组织执法人员参加考试，持证率提高到100%。" }],
};

describe("an answers file with last year's report", () => {
  it("adds last year's questions, with the items' answers under them", () => {
    const file = readAnswersFile(template, answersFile("a.json", BLOCK));
    const enforcement = file.request.sections.find((s) => s.section.id === "enforcement");
    const fact = enforcement?.facts.find((f) => f.text.startsWith("全年公示执法信息45条"));
    expect(file.template.question(fact?.questionId ?? "")?.lastYear).toEqual({
      kind: "plan",
      item: PLAN,
    });
    const shortcomings = file.request.sections.find((s) => s.section.id === "shortcomings");
    expect(shortcomings?.facts.map((f) => f.text)).toEqual([
      "组织执法人员参加考试，持证率提高到100%。",
    ]);
    expect(file.lastYear?.plans.map((p) => p.text)).toEqual([PLAN, "进一步加强社会面法制教育宣传"]);
  });

  it("drafts them where they belong and lists the plans in --json and the summary", async () => {
    const { code, stdout, stderr } = await run("--answers", answersFile("b.json", BLOCK), "--json");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    const enforcement = json.sections.find((s: { id: string }) => s.id === "enforcement");
    expect(enforcement.text).toContain(`落实上年度“${PLAN}”的安排。全年公示执法信息45条`);
    const shortcomings = json.sections.find((s: { id: string }) => s.id === "shortcomings");
    expect(shortcomings.text).toContain(`针对上年度报告指出的“${FIX}”问题，`);
    expect(json.lastYearPlans).toHaveLength(2);
    expect(json.lastYearPlans[0]).toEqual({ text: PLAN, section: "enforcement", mentioned: true });
    expect(stderr).toMatch(/去年报告提出的下一年度安排共 2 项/u);
  });

  it("keeps the output as it was without the block", async () => {
    const path = join(tmp.dir, "c.json");
    const plain = JSON.parse(readFileSync(answersFile("c0.json", BLOCK), "utf8"));
    delete plain.lastYear;
    writeFileSync(path, JSON.stringify(plain));
    const { code, stdout } = await run("--answers", path, "--json");
    expect(code).toBe(0);
    expect(Object.keys(JSON.parse(stdout))).not.toContain("lastYearPlans");
  });

  it("refuses a malformed block with exit 2, naming the field", async () => {
    const bad = answersFile("d.json", { plans: [{ text: PLAN }], shortcomings: [] });
    const { code, stderr } = await run("--answers", bad);
    expect(code).toBe(2);
    expect(stderr).toContain("lastYear.plans.0.section");
  });
});
