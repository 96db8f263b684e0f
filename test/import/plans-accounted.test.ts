import { describe, expect, it } from "vitest";
import { readPastReport } from "../../src/import/past-report.js";
import { accountForPlans } from "../../src/import/plans-accounted.js";
import { seedText } from "../check/seeds.js";
import { importContext } from "./context.js";

/** Last year's plan items against this year's report: which ones it never mentions. */

const ctx = importContext();
const lastYear = readPastReport(seedText("panlong-2023"), ctx).plans;

const THIS_YEAR = `盘龙彝族乡关于2024年度法治政府建设情况的报告
一、主要举措和成效
（一）坚持严格规范公正文明执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核“三项制度”，全年组织执法人员培训3次。
二、存在的不足和原因
宣传教育覆盖面仍然不够。
三、下一年度推进法治政府建设的主要安排
加强普法宣传，开展普法活动20场。`;

describe("last year's plans accounted for", () => {
  const accounts = accountForPlans(THIS_YEAR, lastYear, ctx);
  const byText = (start: string) => accounts.find((a) => a.text.includes(start));

  it("finds the plan item this year's report reports on, with the sentence", () => {
    const enforcement = byText("三项制度");
    expect(enforcement?.mentioned).toBe(true);
    expect(enforcement?.evidence).toMatch(/^全面落实行政执法公示/u);
  });

  it("flags the items mentioned only in the shortcomings or the next year's plans, or not at all", () => {
    expect(byText("法制教育宣传")?.mentioned).toBe(false);
    expect(byText("党对法治政府建设工作的领导")?.mentioned).toBe(false);
  });

  it("reads a whole report: its measures report on enforcement and publicity, not on party leadership", () => {
    // Our reading of panlong-2023's measures: 三项制度 and 宣传 are reported; 党对……的领导 is not.
    const full = accountForPlans(seedText("panlong-2023"), lastYear, ctx);
    expect(full.filter((a) => !a.mentioned).map((a) => a.text)).toEqual([
      "进一步加强党对法治政府建设工作的领导",
    ]);
  });
});
