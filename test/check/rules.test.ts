import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createChecker } from "../../src/check/checker.js";
import { loadChecklist } from "../../src/check/checklist.js";
import { CheckerRulesError, loadCheckerRules } from "../../src/check/rules.js";
import { DEFAULT_TEMPLATE_DIR } from "../../src/template/load.js";

/** checker.yaml is data: a broken file must be refused with the file and field named. */

const dir = mkdtempSync(join(tmpdir(), "fazhi-rules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULES_FILE = join(DEFAULT_TEMPLATE_DIR, "checker.yaml");
const CHECKLIST_FILE = join(DEFAULT_TEMPLATE_DIR, "checklist.yaml");
const original = readFileSync(RULES_FILE, "utf8");

function rulesWith(name: string, edit: (yaml: string) => string): string {
  const edited = edit(original);
  expect(edited).not.toBe(original);
  const file = join(dir, name);
  writeFileSync(file, edited);
  return file;
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckerRulesError);
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("checker.yaml", () => {
  it("the shipped rules load and cover the checklist exactly", () => {
    expect(() =>
      createChecker(loadCheckerRules(RULES_FILE), loadChecklist(CHECKLIST_FILE)),
    ).not.toThrow();
    expect(loadCheckerRules(RULES_FILE).topics.size).toBe(13);
  });

  it("names the file and field of an invalid regular expression", () => {
    const file = rulesWith("bad-regex.yaml", (y) =>
      y.replace("      - 习近平法治思想\n", "      - 习近平法治思想(\n"),
    );
    expect(errorOf(() => loadCheckerRules(file))).toMatch(
      new RegExp(`^${file}: topics\\.xi-thought\\.terms\\[0\\]: invalid regular expression: `),
    );
  });

  it("names a missing field", () => {
    const file = rulesWith("missing.yaml", (y) => y.replace(/\n {2}figuresPresent: 5\n/, "\n"));
    expect(errorOf(() => loadCheckerRules(file))).toMatch(
      new RegExp(`^${file}: thresholds\\.figuresPresent: `),
    );
  });

  it("names an unknown key", () => {
    const file = rulesWith("extra.yaml", (y) => `${y}\nsurprise: 1\n`);
    expect(errorOf(() => loadCheckerRules(file))).toMatch(new RegExp(`^${file}: \\(root\\): `));
  });

  it("reports YAML that does not parse", () => {
    const file = rulesWith("syntax.yaml", (y) => y.replace("topics:\n", "topics: [\n"));
    expect(errorOf(() => loadCheckerRules(file))).toMatch(new RegExp(`^${file}: cannot be read: `));
  });

  it("refuses a topic that is not a checklist item", () => {
    const file = rulesWith("unknown-topic.yaml", (y) =>
      y.replace("  shu-fa:\n", "  shu-fa-typo:\n"),
    );
    const rules = loadCheckerRules(file);
    expect(errorOf(() => createChecker(rules, loadChecklist(CHECKLIST_FILE)))).toBe(
      `${file}: topics.shu-fa-typo: not a checklist item`,
    );
  });

  it("refuses a checklist item that has no rule", () => {
    const rules = loadCheckerRules(RULES_FILE);
    rules.topics.delete("digital");
    expect(errorOf(() => createChecker(rules, loadChecklist(CHECKLIST_FILE)))).toBe(
      'prompts/township-annual/checker.yaml: topics: no rule for checklist item "digital"',
    );
  });

  it("refuses a compound term that belongs to no topic", () => {
    const file = rulesWith("compound.yaml", (y) =>
      y.replace("    topic: legal-publicity\n", "    topic: publicity\n"),
    );
    expect(
      errorOf(() => createChecker(loadCheckerRules(file), loadChecklist(CHECKLIST_FILE))),
    ).toBe(`${file}: compounds[0].topic: "publicity" is not a topic of this file`);
  });

  it("names the field of a stale term without its current wording", () => {
    const file = rulesWith("stale.yaml", (y) => y.replace("    current: 法治宣传\n", ""));
    expect(errorOf(() => loadCheckerRules(file))).toMatch(
      new RegExp(`^${file}: staleTerms\\[1\\]\\.current: `),
    );
  });

  it("names the field of an invalid checklist", () => {
    const file = join(dir, "checklist.yaml");
    writeFileSync(
      file,
      readFileSync(CHECKLIST_FILE, "utf8").replace("  - id: measures", "  - id: Measures"),
    );
    expect(errorOf(() => loadChecklist(file))).toMatch(
      new RegExp(`^${file}: items\\[0\\]\\.id: must be lowercase`),
    );
  });
});
