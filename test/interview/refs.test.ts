import { describe, expect, it } from "vitest";
import { exampleKey, findQuestion, findSection } from "../../src/interview/refs.js";
import { loadTemplate } from "../../src/template/load.js";

const template = loadTemplate();
const enforcement = template.section("enforcement");

describe("what users type to name sections and questions", () => {
  it.each([
    ["执法", "enforcement"],
    [" 执法 ", "enforcement"],
    ["6", "decisions"],
    ["1", "intro"],
    ["存在的不足", "shortcomings"],
    ["enforcement", "enforcement"],
  ])("section %j is %s", (key, id) => {
    const expected = id === "decisions" ? template.sections[5]?.id : id;
    expect(findSection(template, key)?.id).toBe(expected);
  });

  it.each(["", "建设", "99", "没有这一节"])("section %j is none (or not just one)", (key) => {
    expect(findSection(template, key)).toBeUndefined();
  });

  it.each([
    ["执法 3", 2],
    ["执法3", 2],
    ["执法 第3题", 2],
    ["执法第 1 题", 0],
  ])("question %j is the one shown as that number", (ref, index) => {
    expect(findQuestion(template, ref)).toBe(enforcement?.questions[index]);
  });

  it("reads a section number and a question number apart, never a two-digit section as both", () => {
    const tenth = template.sections[9];
    expect(findQuestion(template, "10 1")).toBe(tenth?.questions[0]);
    expect(findQuestion(template, "15")).toBeUndefined();
    expect(findQuestion(template, "执法 99")).toBeUndefined();
    expect(findQuestion(template, `${enforcement?.questions[1]?.id}`)).toBe(
      enforcement?.questions[1],
    );
  });

  it("gives an example that finds its section again", () => {
    const key = exampleKey(template);
    expect(key).toMatch(/^[\u4e00-\u9fff]{2}$/);
    expect(findSection(template, key)?.part).toBe("measures");
  });
});
