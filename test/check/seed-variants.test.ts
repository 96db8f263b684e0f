import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/check/types.js";
import { checkReport } from "../helpers/checker.js";
import { seedText } from "./seeds.js";
import { numbersAsXX, staleWording, withoutPart } from "./variants.js";

/**
 * Variants of the seed reports a reviewer meets in practice, each with the verdicts that must
 * change (and only those) and the warnings it must raise (issue 15, checker tests).
 */

const panlong = seedText("panlong-2023");
const TITLE = "盘龙彝族乡2023年法治政府建设工作报告";

/** Items whose status differs from the original's, as "id: before → after". */
function changes(before: CheckResult, after: CheckResult): string[] {
  return before.items.flatMap((item, i) => {
    const other = after.items[i];
    return other && other.status !== item.status
      ? [`${item.id}: ${item.status} → ${other.status}`]
      : [];
  });
}

const kindsAndTexts = (result: CheckResult): [string, string][] =>
  result.warnings.map((w) => [w.kind, w.text]);

const original = checkReport(panlong);
const ORIGINAL_WARNINGS: [string, string][] = [
  ["rate-mismatch", "请核对：按150起和128起计算，调解成功率为85.3%，文中写的是86%"],
  ["stale-term", "“依法治国新理念新思想新战略”是旧提法，应写“习近平法治思想”"],
  ["stale-term", "“法制教育”是旧提法，应写“法治教育”"],
];

describe("panlong-2023 variants", () => {
  it("the original: its warnings", () => {
    expect(kindsAndTexts(original)).toEqual(ORIGINAL_WARNINGS);
  });

  it("drop the shortcomings part: shortcomings and the answer to them missing, a skipped number", () => {
    const variant = withoutPart(panlong, "二、存在问题");
    expect(variant).not.toContain("法律专业人才短缺");
    const result = checkReport(variant);
    expect(changes(original, result)).toEqual([
      "shortcomings: present → missing",
      "plan-answers-problems: weak → missing",
    ]);
    expect(kindsAndTexts(result)[0]).toEqual(["numbering", "标题编号跳号：“一、”之后是“三、”"]);
  });

  it("drop the arrangements: next-year missing", () => {
    const result = checkReport(withoutPart(panlong, "三、2024年工作计划"));
    expect(changes(original, result)).toEqual([
      "next-year: present → missing",
      "plan-answers-problems: weak → missing",
    ]);
  });

  it("numbers replaced by XX: no figures, one placeholder warning, no rate to check", () => {
    const result = checkReport(numbersAsXX(panlong));
    expect(changes(original, result)).toEqual(["figures: present → missing"]);
    expect(kindsAndTexts(result)).toEqual([
      ["placeholder", "留有占位符“XX”（共47处），需要换成实际内容"],
      ...ORIGINAL_WARNINGS.filter(([kind]) => kind !== "rate-mismatch"),
    ]);
  });

  it("title year changed: year warnings for the body, the intro and the arrangements", () => {
    const result = checkReport(panlong.replace(TITLE, TITLE.replace("2023年", "2022年")));
    expect(changes(original, result)).toEqual([]);
    expect(kindsAndTexts(result).filter(([kind]) => kind === "year")).toEqual([
      ["year", "小标题写的是2024年，下一年度安排应为2023年"],
      ["year", "写的是2023年的情况，报告年度是2022年"],
      ["year", "下一年度安排写的是2024年，应为2023年"],
      ["year", "导语说报告的是2023年，报告年度是2022年"],
    ]);
  });

  it("retitled as a county report: a level warning, verdicts unchanged", () => {
    const result = checkReport(panlong.replace(TITLE, `砚山县人民政府${TITLE.slice(5)}`));
    expect(changes(original, result)).toEqual([]);
    expect(kindsAndTexts(result).filter(([kind]) => kind === "level")).toEqual([
      ["level", "标题的单位“砚山县人民政府”不是乡镇（街道），本模板用于乡镇（街道）的报告"],
    ]);
  });

  it("stale terms swapped in: stale-term warnings, verdicts unchanged", () => {
    const variant = staleWording(panlong);
    expect(variant).toContain("法制宣传教育");
    const result = checkReport(variant);
    expect(changes(original, result)).toEqual([]);
    expect(kindsAndTexts(result).filter(([kind]) => kind === "stale-term")).toEqual([
      ["stale-term", "“依法治国新理念新思想新战略”是旧提法，应写“习近平法治思想”（共3处）"],
      ["stale-term", "“法制宣传”是旧提法，应写“法治宣传”"],
      ["stale-term", "“法制教育”是旧提法，应写“法治教育”"],
    ]);
  });

  it("turned into a work plan: every topic missing, no arrangements, a plan warning", () => {
    const plan = panlong
      .replace(TITLE, "盘龙彝族乡2024年法治政府建设工作方案")
      .replace("一、工作开展情况", "一、指导思想")
      .replace("二、存在问题", "二、重点任务")
      .replace("三、2024年工作计划", "三、保障措施");
    const result = checkReport(plan);
    const topics = result.items.filter((i) => i.evidence.startsWith("全文是工作方案或计划"));
    expect(topics).toHaveLength(13);
    expect(topics.every((i) => i.status === "missing")).toBe(true);
    expect(result.items.find((i) => i.id === "next-year")?.status).toBe("missing");
    expect(result.warnings.find((w) => w.kind === "plan")?.evidence).toBe(
      "小标题“指导思想”“重点任务”“保障措施”是工作方案的结构",
    );
  });
});

describe("yanshan-2020 variants", () => {
  const yanshan = seedText("yanshan-2020");

  it("drop the first-responsible part: the duty is thin elsewhere, not missing", () => {
    const result = checkReport(
      withoutPart(yanshan, "二、党政主要负责人履行法治建设第一责任人职责情况"),
    );
    const duty = result.items.find((i) => i.id === "first-responsible");
    expect(duty?.status).toBe("weak");
  });

  it("from 2021 on, 全面依法治国新理念新思想新战略 is stale", () => {
    const later = yanshan.replace(
      "关于2020年法治政府建设情况的报告",
      "关于2021年法治政府建设情况的报告",
    );
    const stale = checkReport(later).warnings.filter((w) => w.kind === "stale-term");
    expect(stale.map((w) => w.text)).toContain(
      "“依法治国新理念新思想新战略”是旧提法，应写“习近平法治思想”（共2处）",
    );
  });
});
