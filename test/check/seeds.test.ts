import { describe, expect, it } from "vitest";
import { checkReport } from "../../src/check/checker.js";
import { loadChecklist } from "../../src/check/checklist.js";
import { SEED_NAMES, type SeedName, seedLabels, seedText } from "./seeds.js";

/**
 * The checker against my own item-by-item labels of the three published reports (labelled by
 * reading them before the checker existed: test/fixtures/labels/*.json).
 */

const REQUIRED_AGREEMENT = 0.9;
const checklistIds = loadChecklist().map((item) => item.id);

function disagreements(name: SeedName): string[] {
  const labels = seedLabels(name);
  return checkReport(seedText(name)).items.flatMap((item) => {
    const label = labels[item.id];
    if (label?.status === item.status) return [];
    return [
      `${name} ${item.id}: label ${label?.status} (${label?.reason}) / checker ${item.status} (${item.evidence})`,
    ];
  });
}

describe("seed reports against my labels", () => {
  it.each(SEED_NAMES)("%s: the labels cover every checklist id", (name) => {
    expect(Object.keys(seedLabels(name)).sort()).toEqual([...checklistIds].sort());
  });

  it.each(SEED_NAMES)("%s: the checker agrees with at least 90% of the labels", (name) => {
    const wrong = disagreements(name);
    const agreed = checklistIds.length - wrong.length;
    console.log(`${name}: ${agreed}/${checklistIds.length} agree`);
    for (const line of wrong) console.log(`  disagreement: ${line}`);
    expect(agreed / checklistIds.length).toBeGreaterThanOrEqual(REQUIRED_AGREEMENT);
  });

  it.each(SEED_NAMES)("%s: every checklist id comes out once, in checklist order", (name) => {
    const result = checkReport(seedText(name));
    expect(result.items.map((i) => i.id)).toEqual(checklistIds);
    expect(result.missing).toEqual(
      result.items.filter((i) => i.status === "missing").map((i) => i.id),
    );
    expect(result.weak).toEqual(result.items.filter((i) => i.status === "weak").map((i) => i.id));
    for (const item of result.items) expect(item.evidence.length).toBeGreaterThan(4);
  });

  it("jinshandian 2024 (a work plan) has no shortcomings, causes or next-year arrangements", () => {
    const result = checkReport(seedText("jinshandian-2024-plan"));
    expect(result.missing).toEqual(expect.arrayContaining(["shortcomings", "causes", "next-year"]));
    const measures = result.items.find((i) => i.id === "measures");
    expect(measures?.status).toBe("weak");
    expect(measures?.evidence).toMatch(/^写的是计划而不是已做的工作/);
  });

  it("finds the warnings each seed deserves, and no others", () => {
    const warnings = Object.fromEntries(
      SEED_NAMES.map((name) => [name, checkReport(seedText(name)).warnings]),
    );
    expect(warnings["jinshandian-2024-plan"]).toEqual([
      {
        kind: "numbering",
        text: "标题编号重复：“(三)”出现了两次",
        evidence: "(三)落实考核评价机制",
      },
    ]);
    expect(warnings["panlong-2023"]).toEqual([
      {
        kind: "rate-mismatch",
        text: "请核对：按150起和128起计算，调解成功率为85.3%，文中写的是86%",
        evidence: "“2023年共排查矛盾纠纷150起,调解成功128起,调解成功率86%。”",
      },
    ]);
    expect(warnings["yanshan-2020"]).toEqual([]);
  });

  it("finds the parts under their own wording", () => {
    const yanshan = checkReport(seedText("yanshan-2020"));
    const evidence = (id: string): string => yanshan.items.find((i) => i.id === id)?.evidence ?? "";
    // "工作不足及2021年工作计划" holds both the shortcomings and the arrangements.
    expect(evidence("shortcomings")).toMatch(/^标题“三、工作不足及2021年工作计划”/);
    expect(evidence("next-year")).toMatch(/^标题“三、工作不足及2021年工作计划”：“2021年，燕山乡将/);
    const panlong = checkReport(seedText("panlong-2023"));
    // The first-responsible duty sits inside the measures part as a sentence.
    expect(panlong.items.find((i) => i.id === "first-responsible")).toMatchObject({
      status: "present",
      evidence: expect.stringMatching(/^没有单列部分，但4处写了主要负责人履职/),
    });
  });
});
