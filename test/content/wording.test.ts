import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_TEMPLATE_DIR, loadTemplate } from "../../src/template/load.js";
import { sectionFileSchema } from "../../src/template/schema.js";

const template = loadTemplate();
const questions = template.sections.flatMap((s) => s.questions);

/** The placeholders the bot fills from the office's kind where a question or hint is shown. */
const QUESTION_PLACEHOLDERS = ["org", "self", "party", "head"];

/** Pre-2020 or wrong terms a drafting prompt may name only to forbid them. */
const STALE_TERMS = ["法制宣传", "依法治国新理念新思想新战略", "法制政府"];

describe("question wording", () => {
  it("never lists the kinds of office side by side; it uses the kind placeholders", () => {
    for (const q of questions) {
      for (const text of [q.text, q.hint]) {
        expect(text, q.id).not.toMatch(/本镇（乡|党委（党工委）|镇（乡）长|镇（乡、街道）/);
        for (const [, name] of text.matchAll(/\{([^{}]*)\}/g)) {
          expect(QUESTION_PLACEHOLDERS, `${q.id}: {${name}}`).toContain(name);
        }
      }
    }
  });

  it("asks for the change against last year on every figure question of the measures", () => {
    const figures = template.sections
      .filter((s) => s.part === "measures" || s.part === "first-responsible")
      .flatMap((s) => s.questions)
      .filter((q) => q.text.includes("多少"));
    expect(figures.length).toBeGreaterThan(30);
    for (const q of figures) expect(q.hint, q.id).toContain("与上年相比增减多少");
  });

  it("keeps the required set near its old size of 46 while adding the 2025 topics", () => {
    const required = questions.filter((q) => q.required).map((q) => q.id);
    expect(required.length).toBeGreaterThanOrEqual(46);
    expect(required.length).toBeLessThanOrEqual(52);
    expect(required).toEqual(
      expect.arrayContaining(["enforcement.enterprise-checks", "disputes.zero-outcomes"]),
    );
  });
});

describe("drafting prompts", () => {
  it.each(template.sections)("$id: states its length target and how to write 公文", (section) => {
    const file = join(DEFAULT_TEMPLATE_DIR, "sections", `${section.id}.yaml`);
    const { length } = sectionFileSchema.parse(parse(readFileSync(file, "utf8")));
    expect(length.min).toBeLessThan(length.max);
    expect(section.prompt).toMatch(
      new RegExp(`${length.min}至${length.max}字|不超过${length.max}字`),
    );
    expect(section.prompt).toContain("照回答原样抄写");
    expect(section.prompt).toMatch(/改写成完整[^，。；]*公文句子/);
    for (const self of ["我镇", "我乡", "我街道"]) expect(section.prompt).toContain(self);
  });

  it.each(template.sections)("$id: names stale terms only to forbid them", (section) => {
    const forbidding = section.prompt.match(/不用[^；。]*/g)?.join("") ?? "";
    expect(forbidding).toContain("法制政府");
    const rest = section.prompt.replace(/不用[^；。]*/g, "").replace(/不写“[^”]*”/g, "");
    for (const term of STALE_TERMS) expect(rest, section.id).not.toContain(term);
  });

  it.each(template.sections.filter((s) => s.part === "measures" || s.part === "first-responsible"))(
    "$id: writes each sub-item as what was done, the figures, then the effect",
    (section) => {
      expect(section.prompt).toContain("先写做了什么，再写数字");
      expect(section.prompt).toContain("成效");
    },
  );
});
