import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CheckResult, ItemStatus } from "../../src/check/types.js";
import { checkReport } from "../helpers/checker.js";
import { fixturePath, toAsciiPunctuation } from "./seeds.js";

/**
 * Reports as they are published on government sites or laid out by hand in Word (issue 19):
 * two-line titles and sign-offs, ASCII punctuation, quoted and abbreviated terms, topic words
 * inside other terms, the usual variants of part headings. Sentences written for these tests.
 */

function item(result: CheckResult, id: string): { status: ItemStatus; evidence: string } {
  const found = result.items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return { status: found.status, evidence: found.evidence };
}

const status = (text: string, id: string): ItemStatus => item(checkReport(text), id).status;

describe("two-line titles and sign-offs", () => {
  it("takes a unit set on its own line above the title as part of the title", () => {
    const text = [
      "青石镇人民政府",
      "关于2024年度法治政府建设工作的报告",
      "2024年，我镇坚持依法行政，各项工作有序推进。",
    ].join("\n");
    expect(item(checkReport(text), "title")).toEqual({
      status: "present",
      evidence: "“青石镇人民政府关于2024年度法治政府建设工作的报告”",
    });
  });

  it("takes two units on one line (党委 and 政府) above the title", () => {
    const text = "中共青石镇委员会　青石镇人民政府\n关于2024年度法治政府建设情况的报告\n正文。";
    expect(item(checkReport(text), "title").status).toBe("present");
  });

  it("joins a title broken over two lines", () => {
    const text = "青石镇关于2024年度法治政府建设\n工作情况的报告\n正文。";
    expect(item(checkReport(text), "title")).toEqual({
      status: "present",
      evidence: "“青石镇关于2024年度法治政府建设工作情况的报告”",
    });
  });

  it("does not take a body line above the title as its unit", () => {
    const text = "关于2024年度法治政府建设情况的报告\n青石镇人民政府\n正文。";
    expect(item(checkReport(text), "title").status).toBe("weak");
  });

  it("reads a sign-off of two units on two lines, or a department, with the date", () => {
    const body = "青石镇2024年法治政府建设情况报告\n一、主要举措和成效\n全年开展普法活动12场。\n";
    const joint = checkReport(`${body}中共青石镇委员会\n青石镇人民政府\n2025年1月20日`);
    expect(item(joint, "signoff")).toEqual({
      status: "present",
      evidence: "中共青石镇委员会 青石镇人民政府 2025年1月20日",
    });
    expect(status(`${body}青石街道办事处\n2025年1月20日`, "signoff")).toBe("present");
    expect(status(`${body}青石镇司法所\n2025年1月20日`, "signoff")).toBe("present");
    expect(status(`${body}青石镇人民政府办公室\n2025年1月20日`, "signoff")).toBe("present");
  });
});

describe("ASCII punctuation", () => {
  const full = [
    "青石镇2024年法治政府建设情况报告",
    "一、主要举措和成效",
    "（一）严格规范执法。全年办理行政处罚案件5件，落实执法公示和全过程记录制度；组织执法人员培训2期。",
    "（二）加强普法宣传。全年开展“八五”普法宣传活动12场次，组织法治宣传“六进”活动8次；落实“谁执法谁普法”责任制。",
    "（三）化解矛盾纠纷。排查矛盾纠纷40件，人民调解成功38件。",
  ].join("\n");

  it("judges the text the same with ASCII commas, semicolons, colons and parentheses", () => {
    const ascii = toAsciiPunctuation(full);
    expect(ascii).toContain("(一)严格规范执法。全年办理行政处罚案件5件,落实");
    const a = checkReport(full);
    const b = checkReport(ascii);
    expect(b.items.map((i) => [i.id, i.status])).toEqual(a.items.map((i) => [i.id, i.status]));
    expect(item(b, "enforcement").status).toBe("present");
    expect(item(b, "legal-publicity").status).toBe("present");
  });

  it("stops clause rules at an ASCII comma (执法 … 培训 in different clauses is not 执法培训)", () => {
    const full = "一、主要举措和成效\n坚持严格执法，组织干部培训2次。";
    const ascii = "一、主要举措和成效\n坚持严格执法,组织干部培训2次.";
    expect(item(checkReport(full), "enforcement").status).toBe("weak");
    // Same verdict; the evidence quotes the text as written.
    expect(item(checkReport(ascii), "enforcement")).toEqual({
      status: "weak",
      evidence: "只有泛泛一提，没有具体做法或数据：“坚持严格执法,组织干部培训2次.”",
    });
  });

  it("reads a nil statement written with ASCII punctuation", () => {
    const text = "一、主要举措和成效\n2024年,我镇未印发行政规范性文件,文件清理工作已完成.";
    expect(item(checkReport(text), "normative-docs")).toEqual({
      status: "present",
      evidence: "“2024年,我镇未印发行政规范性文件,文件清理工作已完成.”",
    });
  });

  it("splits at an ASCII full stop between Chinese words and reads run-in headings", () => {
    const text =
      "一、主要举措和成效\n(一)依法全面履行政府职能.全年开展普法宣传活动12场次,组织送法下乡8次.";
    const result = checkReport(text);
    // The heading names the topic; the sentences after it are about publicity.
    expect(item(result, "functions")).toEqual({
      status: "weak",
      evidence: "只有标题，没有具体做法或数据：“依法全面履行政府职能”",
    });
    expect(item(result, "legal-publicity").evidence).toBe(
      "“全年开展普法宣传活动12场次,组织送法下乡8次.”",
    );
  });

  it("keeps the original punctuation in evidence quotes", () => {
    const text = "一、主要举措和成效\n全年排查矛盾纠纷40件,调解成功38件,化解信访事项6件.";
    expect(item(checkReport(text), "disputes").evidence).toBe(
      "“全年排查矛盾纠纷40件,调解成功38件,化解信访事项6件.”",
    );
  });

  it("keeps a thousands comma and a time inside numbers", () => {
    const text =
      "一、主要举措和成效\n便民服务中心受理事项1,471件,办结率100%,群众满意率99%,接待咨询320人次,发放资料2,000份.";
    expect(item(checkReport(text), "figures").evidence).toBe(
      "主要举措部分有5个不同的数据：1,471件、100%、99%、320人次、2,000份",
    );
  });
});

describe("quoted and abbreviated terms", () => {
  const publicity = (sentence: string): ItemStatus =>
    status(`一、主要举措和成效\n${sentence}`, "legal-publicity");

  it("reads “八五”普法, 法治宣传“六进” and “谁执法谁普法” as the unquoted forms", () => {
    expect(publicity("扎实推进“八五”普法，深入开展法治宣传“六进”活动。")).toBe("present");
    expect(publicity("落实“谁执法、谁普法”责任制，开展普法宣传进村入户。")).toBe("weak");
    expect(publicity("落实“谁执法、谁普法”责任制，开展“以案释法”活动3次。")).toBe("present");
  });

  it("counts the usual activity names as publicity detail", () => {
    expect(
      publicity("围绕4·15全民国家安全教育日、民法典宣传月和12·4国家宪法日，开展法治宣传活动。"),
    ).toBe("present");
    expect(publicity("利用宪法宣传周集中宣传2次，组织法治宣传六进活动。")).toBe("present");
  });
});

describe("topic words inside other terms", () => {
  const text = [
    "一、主要举措和成效",
    "落实“谁执法谁普法”普法责任制，开展以案释法活动6次，宣传《信访工作条例》《民法典》等法律法规，发放宣传资料3000余份。",
  ].join("\n");

  it("谁执法谁普法 is publicity, not enforcement; a law publicised is not dispute work", () => {
    const result = checkReport(text);
    expect(item(result, "legal-publicity").status).toBe("present");
    expect(item(result, "enforcement").status).toBe("missing");
    expect(item(result, "disputes").status).toBe("missing");
  });

  it("still reads enforcement and dispute work written as such", () => {
    const work = `${text}\n办理行政处罚案件5件，落实执法公示制度。接待信访群众20人次，调解矛盾纠纷12件。`;
    const result = checkReport(work);
    expect(item(result, "enforcement").status).toBe("present");
    expect(item(result, "disputes").status).toBe("present");
  });
});

describe("heading variants open the right part", () => {
  const report = (one: string, two: string, three: string, four: string): string =>
    [
      "青石镇2024年法治政府建设情况报告",
      `一、${one}`,
      "全年开展普法活动12场，办理行政处罚案件5件，调解矛盾纠纷40件，接待群众来访60人次，培训执法人员30人次。",
      `二、${two}`,
      "镇党委书记主持召开党委会议4次专题研究法治建设，镇长带头开展年度述法。",
      `三、${three}`,
      "一是执法人员少，专业能力不足；二是普法形式单一，群众参与不多。",
      `四、${four}`,
      "加强执法人员培训，创新普法形式，推动依法行政工作再上新台阶。",
    ].join("\n");

  const heading = (result: CheckResult, id: string): string =>
    /^标题“([^”]+)”/u.exec(item(result, id).evidence)?.[1] ?? "(none)";

  it.each([
    "主要举措和成效",
    "主要措施和成效",
    "主要工作及成效",
    "推进法治政府建设的主要举措和成效",
    "2024年度推进法治政府建设的主要举措和成效",
    "2024年主要工作及成效",
    "2024年度法治政府建设工作情况",
    "2024年法治政府建设情况",
    "工作开展情况",
  ])("part 一: %s", (variant) => {
    const result = checkReport(
      report(
        variant,
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "存在的问题",
        "下一步工作打算",
      ),
    );
    expect(heading(result, "measures")).toBe(`一、${variant}`);
  });

  it.each([
    "党政主要负责人履行推进法治建设第一责任人职责情况",
    "主要负责同志履行法治建设第一责任人职责情况",
    "履行第一责任人职责情况",
    "党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况",
  ])("part 二: %s", (variant) => {
    const result = checkReport(report("主要举措和成效", variant, "存在的问题", "下一步工作打算"));
    expect(heading(result, "first-responsible")).toBe(`二、${variant}`);
  });

  it.each([
    "存在的问题",
    "存在问题和不足",
    "存在的不足和原因",
    "问题和不足",
    "工作中存在的困难和问题",
    "存在的主要问题",
    "2024年推进法治政府建设存在的不足和原因",
  ])("part 三: %s", (variant) => {
    const result = checkReport(
      report("主要举措和成效", "履行第一责任人职责情况", variant, "下一步工作打算"),
    );
    expect(heading(result, "shortcomings")).toBe(`三、${variant}`);
  });

  it.each([
    "下一步工作打算",
    "2025年工作计划",
    "2025年度工作安排",
    "下一年度工作安排",
    "下步工作思路",
    "今后工作打算",
    "2025年主要工作安排",
    "下一步主要工作",
    "明年工作重点",
    "2025年推进法治政府建设的主要安排",
  ])("part 四: %s", (variant) => {
    const result = checkReport(
      report("主要举措和成效", "履行第一责任人职责情况", "存在的问题", variant),
    );
    expect(heading(result, "next-year")).toBe(`四、${variant}`);
    // The arrangements' heading never opens part 一.
    expect(heading(result, "measures")).toBe("一、主要举措和成效");
  });
});

describe("a whole report copied from a web page (qingshi-2024-web.txt)", () => {
  const web = readFileSync(fixturePath("check/qingshi-2024-web.txt"), "utf8");

  it("has every item present and nothing to warn about", () => {
    const result = checkReport(web);
    expect(result.missing).toEqual([]);
    expect(result.weak).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it("gives the same verdicts with full-width punctuation", () => {
    const full = web
      .replace(/,(?!\d{3})/gu, "，")
      .replace(/;/gu, "；")
      .replace(/:/gu, "：");
    expect(full).not.toBe(web);
    expect(checkReport(full).items.map((i) => i.status)).toEqual(
      checkReport(web).items.map((i) => i.status),
    );
  });
});
