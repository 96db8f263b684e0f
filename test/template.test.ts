import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadTemplate } from "../src/template/load.js";
import { templateCopies } from "./helpers/template-copy.js";

const SECTION_IDS = [
  "intro",
  "leadership",
  "functions",
  "rules",
  "decisions",
  "enforcement",
  "emergency",
  "disputes",
  "supervision",
  "publicity",
  "digital",
  "first-responsible",
  "shortcomings",
  "next-year",
  "other",
];
const OPTIONAL = ["emergency", "digital", "other"];

/** A copy of the default template in a temp dir, with one file rewritten. */
const brokenCopy = templateCopies();

describe("the report template in prompts/", () => {
  it("has all 15 section ids of the genre, in order, with 3–10 questions each", () => {
    const template = loadTemplate();
    expect(template.sections.map((s) => s.id)).toEqual(SECTION_IDS);
    for (const section of template.sections) {
      expect(section.questions.length).toBeGreaterThanOrEqual(3);
      expect(section.questions.length).toBeLessThanOrEqual(10);
      expect(section.required).toBe(!OPTIONAL.includes(section.id));
      for (const q of section.questions) expect(q.hint).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(template.checklist).toHaveLength(22);
  });

  it("names the file and field of a missing field", () => {
    const dir = brokenCopy("sections/rules.yaml", (t) => t.replace(/^title:.*$/m, ""));
    expect(() => loadTemplate(dir)).toThrow(/sections\/rules\.yaml: title: Invalid input/);
  });

  it("names the file and field of a question without a hint", () => {
    const dir = brokenCopy("sections/leadership.yaml", (t) => t.replace(/^ {4}hint:.*$/m, ""));
    expect(() => loadTemplate(dir)).toThrow(/sections\/leadership\.yaml: questions\[0\]\.hint: /);
  });

  it("names the file and field of an unknown checklist id", () => {
    const dir = brokenCopy("sections/disputes.yaml", (t) =>
      t.replace(/^feeds: \[/m, "feeds: [no-such-item, "),
    );
    expect(() => loadTemplate(dir)).toThrow(
      'sections/disputes.yaml: feeds[0]: unknown checklist id "no-such-item"',
    );
  });

  it("stops the bot's start-up with that message and exit code 1", async () => {
    const dir = brokenCopy("sections/disputes.yaml", (t) =>
      t.replace(/^feeds: \[/m, "feeds: [no-such-item, "),
    );
    const run = promisify(execFile);
    const failure = await run("node", ["bin/fazhi-report.js", "chat", "--script", "/dev/null"], {
      env: { ...process.env, PROMPTS_DIR: dir, STORE_URL: "memory://" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(
      'disputes.yaml: feeds[0]: unknown checklist id "no-such-item"',
    );
  });
});
