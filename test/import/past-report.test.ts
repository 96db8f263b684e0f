import { describe, expect, it } from "vitest";
import { readPastReport } from "../../src/import/past-report.js";
import { seedText } from "../check/seeds.js";
import { importContext } from "./context.js";

/**
 * The seed reports read as last year's reports, against our own labels: every shortcoming and
 * every plan item found, each item in the section a person would put it in.
 */

const ctx = importContext();

describe("last year's report: panlong-2023 (numbered sub-headings)", () => {
  const report = readPastReport(seedText("panlong-2023"), ctx);

  it("finds the office, its superior and the year", () => {
    expect(report.org).toEqual({ name: "盘龙彝族乡", kind: "乡", superior: "砚山县", year: 2023 });
  });

  it("finds the three shortcomings", () => {
    expect(report.shortcomings.map((s) => s.text)).toEqual([
      "法律专业人才短缺,法律服务工作水平有待提高",
      "执法队伍建设有差距,执法水平仍需进一步提高",
      "宣传教育不到位,仍存在个别群众不懂法、不会用法的情况",
    ]);
  });

  it("finds the three plan items, each in its section", () => {
    expect(report.plans).toEqual([
      { text: "进一步加强党对法治政府建设工作的领导", section: "leadership" },
      { text: "进一步推进行政执法“三项制度”全面落实", section: "enforcement" },
      { text: "进一步加强社会面法制教育宣传", section: "publicity" },
    ]);
  });
});

describe("last year's report: yanshan-2020 (arrangements as running text)", () => {
  const report = readPastReport(seedText("yanshan-2020"), ctx);

  it("finds the office and the year without a name in the title", () => {
    expect(report.org).toEqual({ name: "燕山乡", kind: "乡", superior: "万州区", year: 2020 });
  });

  it("finds the three shortcomings", () => {
    const texts = report.shortcomings.map((s) => s.text);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^法治理念还没有普遍树立/u);
    expect(texts[1]).toBe("部分群众的法治意识较为淡薄,主动学法、懂法、守法的意识不高");
    expect(texts[2]).toMatch(/^机构建设较为滞后/u);
  });

  // Our labels: every arrangement the paragraph names, and where this year's report answers it.
  const labels: [string, string][] = [
    ["完善相关法律法规和制度", "rules"],
    ["加强法治队伍建设", "leadership"],
    ["提高干部法律素养", "leadership"],
    ["加强宣传", "publicity"],
    ["提高群众法治意识", "publicity"],
    ["完善政务服务系统", "functions"],
    ["健全政府法律顾问制度", "decisions"],
    ["健全依法决策机制", "decisions"],
    ["加强规范性文件监管", "rules"],
    ["完善政府内部监督", "supervision"],
    ["强化重点领域监督", "supervision"],
    ["全面推进政务公开", "supervision"],
    ["推进政府的廉洁廉政建设", "supervision"],
  ];

  it.each(labels)("finds “%s” in section %s", (text, section) => {
    const item = report.plans.find((p) => p.text.endsWith(text));
    expect(item?.section).toBe(section);
  });

  it("lists no framing or slogan as a plan item", () => {
    expect(report.plans).toHaveLength(labels.length);
  });
});

describe("a work plan read as last year's report: jinshandian-2024-plan", () => {
  const report = readPastReport(seedText("jinshandian-2024-plan"), ctx);

  it("finds the town and its superior", () => {
    expect(report.org).toMatchObject({
      name: "金山店镇",
      kind: "镇",
      superior: "大冶市",
      year: 2024,
    });
  });

  it("takes the tasks as plan items, in sensible sections", () => {
    const section = (start: string) => report.plans.find((p) => p.text.startsWith(start))?.section;
    expect(section("深化习近平法治思想学习宣传")).toBe("leadership");
    expect(section("严格落实普法责任制")).toBe("publicity");
    expect(section("推进依法科学民主决策")).toBe("decisions");
    expect(section("加强规范性文件制定和监督管理")).toBe("rules");
    expect(section("深化政务公开管理")).toBe("supervision");
    expect(section("保障行政执法中当事人合法权益")).toBe("enforcement");
    expect(section("着力化解社会矛盾纠纷")).toBe("disputes");
    expect(section("推进社会诚信建设")).toBe("functions");
  });

  it("has no shortcomings part to read", () => {
    expect(report.shortcomings).toEqual([]);
  });
});

describe("a report without a next year's part", () => {
  it("finds no plan items rather than inventing some", () => {
    const text =
      "某镇关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年开展普法活动12场，覆盖群众3000人次。";
    expect(readPastReport(text, ctx).plans).toEqual([]);
  });
});
