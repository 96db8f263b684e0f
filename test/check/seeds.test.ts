import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckerRules } from "../../src/check/rules.js";
import { DEFAULT_TEMPLATE_DIR } from "../../src/template/load.js";
import { checker, checkReport } from "../helpers/checker.js";
import { SEED_NAMES, type SeedName, seedLabels, seedText, toAsciiPunctuation } from "./seeds.js";

/**
 * The checker against my own item-by-item labels of the three published reports (labelled by
 * reading them before the checker existed: test/fixtures/labels/*.json).
 */

const REQUIRED_AGREEMENT = 0.95;
const checklistIds = checker.checklist.map((item) => item.id);

function disagreements(name: SeedName, text: string = seedText(name)): string[] {
  const labels = seedLabels(name);
  return checkReport(text).items.flatMap((item) => {
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

  it.each(SEED_NAMES)("%s: the checker agrees with at least 95% of the labels", (name) => {
    const wrong = disagreements(name);
    const agreed = checklistIds.length - wrong.length;
    console.log(`${name}: ${agreed}/${checklistIds.length} agree`);
    for (const line of wrong) console.log(`  disagreement: ${line}`);
    expect(agreed / checklistIds.length).toBeGreaterThanOrEqual(REQUIRED_AGREEMENT);
  });

  it.each(SEED_NAMES)("%s: the same with ASCII punctuation, as copied from a web page", (name) => {
    const ascii = toAsciiPunctuation(seedText(name));
    expect(ascii).not.toBe(seedText(name));
    const wrong = disagreements(name, ascii);
    const agreed = checklistIds.length - wrong.length;
    console.log(`${name} (ASCII punctuation): ${agreed}/${checklistIds.length} agree`);
    for (const line of wrong) console.log(`  disagreement: ${line}`);
    expect(agreed / checklistIds.length).toBeGreaterThanOrEqual(REQUIRED_AGREEMENT);
  });

  it.each(SEED_NAMES)("%s: ASCII punctuation changes no verdict and no warning kind", (name) => {
    const original = checkReport(seedText(name));
    const ascii = checkReport(toAsciiPunctuation(seedText(name)));
    expect(ascii.items.map((i) => [i.id, i.status])).toEqual(
      original.items.map((i) => [i.id, i.status]),
    );
    expect(ascii.warnings.map((w) => w.kind)).toEqual(original.warnings.map((w) => w.kind));
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

  it("jinshandian 2024 (a work plan) has no shortcomings, causes, arrangements or topics done", () => {
    const result = checkReport(seedText("jinshandian-2024-plan"));
    expect(result.missing).toEqual(expect.arrayContaining(["shortcomings", "causes", "next-year"]));
    const measures = result.items.find((i) => i.id === "measures");
    expect(measures?.status).toBe("weak");
    expect(measures?.evidence).toMatch(/^写的是计划而不是已做的工作/);
    const topics = result.items.filter((i) => i.evidence.startsWith("全文是工作方案或计划"));
    expect(topics.map((i) => i.id)).toEqual([
      ...loadCheckerRules(join(DEFAULT_TEMPLATE_DIR, "checker.yaml")).topics.keys(),
    ]);
    expect(topics.every((i) => i.status === "missing")).toBe(true);
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
      {
        kind: "plan",
        text: "这份文件读起来是工作方案或计划，不是年度报告：应写本年度已经做了什么、取得了什么成效",
        evidence: "小标题“指导思想”“总体目标”“重点任务”是工作方案的结构",
      },
    ]);
    expect(warnings["panlong-2023"]).toEqual([
      {
        kind: "rate-mismatch",
        text: "请核对：按150起和128起计算，调解成功率为85.3%，文中写的是86%",
        evidence: "“2023年共排查矛盾纠纷150起,调解成功128起,调解成功率86%。”",
      },
      {
        kind: "stale-term",
        text: "“依法治国新理念新思想新战略”是旧提法，应写“习近平法治思想”",
        evidence: expect.stringContaining("深入学习贯彻习近平总书记依法治国新理念新思想新战略"),
      },
      {
        kind: "stale-term",
        text: "“法制教育”是旧提法，应写“法治教育”",
        evidence: expect.stringContaining("进一步加强社会面法制教育宣传"),
      },
    ]);
    // 2020: 习近平法治思想 was named in November; the older wording is not yet stale.
    expect(warnings["yanshan-2020"]).toEqual([
      {
        kind: "stale-term",
        text: "“法制宣传”是旧提法，应写“法治宣传”（共3处）",
        evidence: expect.stringContaining("采取多种形式开展法制宣传教育"),
      },
    ]);
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
