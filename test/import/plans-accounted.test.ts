import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readPastReport } from "../../src/import/past-report.js";
import { accountForPlans } from "../../src/import/plans-accounted.js";
import { seedText } from "../check/seeds.js";
import { importContext } from "./context.js";
import { PANLONG_2024_EXCERPT } from "./this-year.js";

/** Last year's plan items against this year's report: which ones it never mentions. */

const ctx = importContext();
const lastYear = readPastReport(seedText("panlong-2023"), ctx).plans;

const THIS_YEAR = readFileSync(PANLONG_2024_EXCERPT, "utf8");

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
