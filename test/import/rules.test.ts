import { describe, expect, it } from "vitest";
import { loadImportContext } from "../../src/import/context.js";
import { ImportRulesError } from "../../src/import/rules.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate } from "../../src/template/load.js";
import { type FileEdit, templateCopies } from "../helpers/template-copy.js";

/** extract.yaml is validated against the template and the checker's figure units. */

const template = loadTemplate(DEFAULT_TEMPLATE_DIR);
const copy = templateCopies();
const withExtract = (edit: FileEdit): string => copy("extract.yaml", edit);

describe("extract.yaml", () => {
  it("loads for the township template with a cue per listed question", () => {
    const ctx = loadImportContext(DEFAULT_TEMPLATE_DIR, template);
    expect(ctx.rules.questions.length).toBeGreaterThan(60);
    for (const cue of ctx.rules.questions) {
      expect(template.question(cue.questionId)?.sectionId).toBe(cue.sectionId);
    }
  });

  it.each([
    [
      "an unknown question",
      (y: string) => y.replace("leadership.study:", "leadership.nope:"),
      /questions\.leadership\.nope: unknown question/u,
    ],
    [
      "an unknown unit",
      (y: string) => y.replace("figures: [名, 人]", "figures: [名, 斤斤]"),
      /"斤斤" is not a unit/u,
    ],
    [
      "an unknown section",
      (y: string) => y.replace("  digital: [", "  robots: ["),
      /sections\.robots: unknown section/u,
    ],
    [
      "a prompt without the material",
      (y: string) => y.replaceAll("{material}", "{materials}"),
      /llmPrompt/u,
    ],
  ])("refuses %s, naming the field", (_what, edit, message) => {
    const folder = withExtract(edit);
    expect(() => loadImportContext(folder, template)).toThrow(ImportRulesError);
    expect(() => loadImportContext(folder, template)).toThrow(message);
  });
});
