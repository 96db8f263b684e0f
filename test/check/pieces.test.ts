import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findMisquotedTitles, nearEdits, parseCitedTitle } from "../../src/check/documents.js";
import { chineseNumber, parseNumberedLine, parsePlainHeading } from "../../src/check/headings.js";
import { loadCheckerRules } from "../../src/check/rules.js";
import { isPlan } from "../../src/check/segment.js";
import { findPlaceholders } from "../../src/check/warnings.js";
import { DEFAULT_TEMPLATE_DIR } from "../../src/template/load.js";
import { checkReport } from "../helpers/checker.js";

/** The checker's pieces one by one. */

const rules = loadCheckerRules(join(DEFAULT_TEMPLATE_DIR, "checker.yaml"));

describe("heading numbering", () => {
  it.each([
    ["第一部分 工作情况", "part", 1, "工作情况", ""],
    ["十一、其他需要报告的情况", "cn", 11, "其他需要报告的情况", ""],
    ["（一）加强党的领导。镇党委全年……", "paren-cn", 1, "加强党的领导", "镇党委全年……"],
    ["(二)依法全面履行政府职能", "paren-cn", 2, "依法全面履行政府职能", ""],
    ["1.依法打击各类违法行为。", "arabic", 1, "依法打击各类违法行为", ""],
    ["2、以“依法治村”为关键。依托……", "arabic", 2, "以“依法治村”为关键", "依托……"],
    ["1.2 规范性文件", "decimal-2", 2, "规范性文件", ""],
    ["1.1.3 案卷评查", "decimal-3", 3, "案卷评查", ""],
    ["（3）组织应急演练", "paren-arabic", 3, "组织应急演练", ""],
    ["②开展宪法宣传", "circled", 2, "开展宪法宣传", ""],
  ])("%s", (line, style, number, text, body) => {
    expect(parseNumberedLine(line)).toMatchObject({ style, number, text, body });
  });

  it("a numbered sentence with a comma is an item of body text, not a heading", () => {
    expect(parseNumberedLine("1.全年开展普法活动12场，覆盖群众3000余人次。")).toMatchObject({
      style: "arabic",
      text: "",
      body: "全年开展普法活动12场，覆盖群众3000余人次。",
    });
  });

  it.each([
    "1.5万人次参加了活动。",
    "2023年，我镇共……",
    "一是强化组织领导。",
    "十分重视法治建设。",
  ])("%s is not numbered", (line) => {
    expect(parseNumberedLine(line)).toBeNull();
  });

  it("reads Chinese numbers up to 九十九", () => {
    expect(["一", "十", "十一", "二十", "二十三", "九十九"].map(chineseNumber)).toEqual([
      1, 10, 11, 20, 23, 99,
    ]);
    expect(chineseNumber("")).toBeNull();
    expect(chineseNumber("百")).toBeNull();
  });

  it("takes a short line without closing punctuation as an unnumbered heading", () => {
    expect(parsePlainHeading("存在的问题")?.text).toBe("存在的问题");
    expect(parsePlainHeading("全年排查纠纷。")).toBeNull();
    expect(
      parsePlainHeading("这是一行很长很长的文字没有标点但显然超过了一个小标题应有的长度"),
    ).toBeNull();
  });
});

describe("plan sentences", () => {
  it.each([
    ["全年开展不少于2次专题学习", true],
    ["各村要加强法治宣传", true],
    ["力争实现每个村至少有一个法治文化阵地", true],
    ["确保审核率达100%", true],
    ["已开展专题学习2次", false],
    ["全年开展了普法活动48场，至少覆盖3000人", false],
    ["按照要求开展年度述法", false],
    ["深入学习《法治政府建设实施纲要》", false],
    ["主要负责人带头学法", false],
  ])("%s → %s", (sentence, plan) => {
    expect(isPlan(sentence, rules)).toBe(plan);
  });
});

describe("cited titles", () => {
  it("normalises brackets, dashes and 年", () => {
    expect(parseCitedTitle("法治政府建设实施纲要(2021-2025)")).toEqual({
      written: "法治政府建设实施纲要(2021-2025)",
      core: "法治政府建设实施纲要",
      years: "2021—2025",
    });
    expect(parseCitedTitle("法治政府建设实施纲要（2021 至 2025年）").years).toBe("2021—2025");
  });

  it("counts edits with at most one changed character", () => {
    expect(nearEdits("重大行政决策程序暂行条例", "重大行政决策程序暂行条例")).toBe(0);
    expect(nearEdits("重大行政决策程序条例", "重大行政决策程序暂行条例")).toBe(2);
    expect(nearEdits("法治政府建设实施刚要", "法治政府建设实施纲要")).toBe(1);
    // Two changed characters: another document, not a misquote.
    expect(nearEdits("法治大冶建设规划", "法治中国建设规划")).toBe(3);
  });

  it("flags wrong years and near names, not punctuation or other documents", () => {
    const text = [
      "《法治政府建设实施纲要(2021-2025)》",
      "《法治政府建设实施纲要（2021—2035年）》",
      "《重大行政决策程序条例》",
      "《法治大冶建设规划(2021-2025年)》",
      "《大冶市法治政府建设实施方案(2021-2025年)》",
      "《法治社会建设实施纲要（2020—2025年）》",
      "《宪法》",
    ].join("");
    expect(findMisquotedTitles(text, rules).map((w) => w.text)).toEqual([
      "《法治政府建设实施纲要》的年份应为（2015—2020年）、（2021—2025年）或（2026—2030年），文中写成了（2021—2035年）",
      "文件名称有误，应为《重大行政决策程序暂行条例》",
    ]);
  });
});

describe("placeholders", () => {
  it("reports each placeholder once, overlaps included", () => {
    const warnings = findPlaceholders("全年开展××次，共×人，XX镇，××次。", rules);
    expect(warnings.map((w) => w.text)).toEqual([
      "留有占位符“××”（共2处），需要换成实际内容",
      "留有占位符“XX”，需要换成实际内容",
      "留有用X代替的数字“×人”，需要换成实际内容",
    ]);
    expect(warnings[0]?.evidence).toBe("全年开展××次，共×人，XX镇，××次。");
  });
});

describe("rates", () => {
  const rate = (sentence: string): string[] =>
    checkReport(`一、主要举措和成效\n${sentence}`).warnings.map((w) => w.text);

  it("accepts rates that are rounded or truncated", () => {
    expect(rate("受理2875件，办结2875件，办结率100%。")).toEqual([]);
    expect(rate("排查150起，调解成功128起，调解成功率85%。")).toEqual([]);
    expect(rate("排查150起，调解成功128起，调解成功率85.3%。")).toEqual([]);
    expect(rate("排查150起，调解成功128起，调解成功率90%以上。")).toEqual([]);
  });

  it("flags a rate the counts contradict", () => {
    expect(rate("排查150起，调解成功128起，调解成功率86%。")).toEqual([
      "请核对：按150起和128起计算，调解成功率为85.3%，文中写的是86%",
    ]);
  });
});
