import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CheckResult, ItemStatus } from "../../src/check/types.js";
import { checkReport } from "../helpers/checker.js";
import { fixturePath } from "./seeds.js";

/** Reports I wrote for these tests (not the seeds the rules were tuned on), and small texts. */

const hongqiao = readFileSync(fixturePath("check/hongqiao-2024.txt"), "utf8");
const draft = readFileSync(fixturePath("check/draft-2025.md"), "utf8");

function item(result: CheckResult, id: string): { status: ItemStatus; evidence: string } {
  const found = result.items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return { status: found.status, evidence: found.evidence };
}

describe("a complete report (hongqiao-2024.txt)", () => {
  it("has every item present and no warnings", () => {
    const result = checkReport(hongqiao);
    expect(result.missing).toEqual([]);
    expect(result.weak).toEqual([]);
    // 《纲要（2021-2025年）》 with a hyphen is the right document, not a misquote.
    expect(result.warnings).toEqual([]);
  });

  it("gives the sentence that satisfied an item as evidence", () => {
    const result = checkReport(hongqiao);
    expect(item(result, "causes").evidence).toBe(
      "“究其原因，主观上对执法队伍建设重视不够，客观上镇级编制有限、专业人才难以引进。”",
    );
    expect(item(result, "normative-docs").evidence).toBe("“全年未制定行政规范性文件。”");
    expect(item(result, "signoff").evidence).toBe("红桥镇人民政府 2025年3月10日");
    expect(item(result, "plan-answers-problems").evidence).toBe(
      "所列3条不足在下一年度安排中都有对应措施",
    );
  });

  it("reports a title year that contradicts the year given", () => {
    const result = checkReport(hongqiao, { year: 2025 });
    expect(result.warnings[0]).toEqual({
      kind: "year",
      text: "报告标题写的是2024年，报告年度是2025年",
      evidence: "红桥镇关于2024年度法治政府建设情况的报告",
    });
  });

  it("rejects a year that is not an integer", () => {
    expect(() => checkReport(hongqiao, { year: 2024.5 })).toThrow(RangeError);
  });
});

describe("a faulty draft (draft-2025.md)", () => {
  const result = checkReport(draft);

  it("judges the thin and missing parts", () => {
    expect(item(result, "measures")).toEqual({
      status: "weak",
      // Placeholders (××) are not counted as content.
      evidence: "标题“一、主要举措和成效”下只有86字，过于单薄",
    });
    expect(item(result, "shortcomings").status).toBe("weak");
    expect(item(result, "causes")).toEqual({
      status: "present",
      evidence: "“执法人员数量不足，由于编制有限，一人承担多个岗位。”",
    });
    expect(item(result, "first-responsible")).toEqual({
      status: "missing",
      evidence: "没有写党政主要负责人履行推进法治建设第一责任人职责的情况",
    });
    expect(item(result, "figures")).toEqual({
      status: "weak",
      evidence:
        "主要举措部分只有3个实际数据：80件、70件、90%（如“全年排查矛盾纠纷80件，调解成功70件，调解成功率90%。”），少于5个",
    });
    expect(item(result, "signoff").status).toBe("missing");
  });

  it("lists every warning a reviewer would raise", () => {
    expect(result.warnings.map((w) => [w.kind, w.text])).toEqual([
      ["placeholder", "留有占位符“××”，需要换成实际内容"],
      ["placeholder", "留有占位符“XX”，需要换成实际内容"],
      ["placeholder", "留有用*代替的数字“*次”，需要换成实际内容"],
      ["placeholder", "留有待补充标记“【待补充：培训人次】”，需要换成实际内容"],
      ["year", "小标题写的是2024年，下一年度安排应为2026年"],
      ["year", "下一年度安排写的是2024年，应为2026年"],
      [
        "title",
        "《法治政府建设实施纲要》的年份应为（2015—2020年）、（2021—2025年）或（2026—2030年），文中写成了（2020—2025年）",
      ],
      ["title", "文件名称有误，应为《党政主要负责人履行推进法治建设第一责任人职责规定》"],
      ["numbering", "标题编号重复：“（二）”出现了两次"],
      ["numbering", "标题编号跳号：“二、”之后是“四、”"],
      ["rate-mismatch", "请核对：按80件和70件计算，调解成功率为87.5%，文中写的是90%"],
    ]);
    expect(result.warnings[0]?.evidence).toBe("××镇关于2025年度法治政府建设");
  });
});

describe("small texts", () => {
  it("an empty text has every item missing and nothing to warn about", () => {
    const result = checkReport("");
    expect(result.items).toHaveLength(22);
    expect(result.missing).toHaveLength(22);
    expect(result.warnings).toEqual([]);
  });

  it("counts distinct figures, not years, dates, document numbers, numbering or targets", () => {
    const text = [
      "一、主要举措和成效",
      "2024年3月15日，镇政府印发《关于2024年普法工作的通知》（红政发〔2024〕12号），部署全年工作。",
      "1.全年开展普法活动12场，覆盖群众3000余人次，另有12场送法下乡。",
      "2.办理行政处罚案件8件，罚没款2.5万元，结案率100%。",
      "3.明年力争开展普法活动不少于20场。",
    ].join("\n");
    expect(item(checkReport(text), "figures")).toEqual({
      status: "present",
      evidence: "主要举措部分有5个不同的数据：12场、3000余人次、8件、2.5万元、100%",
    });
  });

  it("calls 1 to 4 figures weak and none missing", () => {
    const weak = "一、主要举措和成效\n全年开展普法活动12场，覆盖群众3000余人次。";
    expect(item(checkReport(weak), "figures").status).toBe("weak");
    const none = "一、主要举措和成效\n全年开展普法活动多场，覆盖群众众多，确保各项任务不少于10项。";
    expect(item(checkReport(none), "figures")).toEqual({
      status: "missing",
      evidence: "主要举措部分没有实际数据（次数、比例、金额）；另有1个计划指标（如“10项”）不计入",
    });
  });

  it("tells causes analysed from problems only listed", () => {
    const report = (problems: string): string =>
      `一、主要举措和成效\n做了很多工作。\n二、存在的不足\n${problems}\n三、下一年度安排\n加强培训，完善制度，提高执法人员能力和水平。`;
    expect(item(checkReport(report("一是执法人员少。二是宣传不够。")), "causes")).toEqual({
      status: "missing",
      evidence: "只列举了问题，没有分析原因（如“究其原因”“主要是由于”“主观上/客观上”）",
    });
    expect(
      item(checkReport(report("一是执法人员少，一方面编制有限，另一方面招录困难。")), "causes")
        .status,
    ).toBe("present");
    expect(item(checkReport(report("一是执法人员少，大多由兼职人员承担。")), "causes").status).toBe(
      "weak",
    );
  });

  it("checks each shortcoming against the arrangements", () => {
    const text = [
      "二、存在的问题",
      "一是执法队伍力量不足，执法水平有待提高；二是规范性文件备案不及时；三是法治宣传覆盖面不广。",
      "三、2025年工作安排",
      "加强执法队伍培训。扩大普法宣传覆盖面。",
    ].join("\n");
    expect(item(checkReport(text), "plan-answers-problems")).toEqual({
      status: "weak",
      evidence: "所列3条不足中2条有对应安排；没有回应：“规范性文件备案不及时”",
    });
    const none = text.replace(
      "加强执法队伍培训。扩大普法宣传覆盖面。",
      "持续优化营商环境，推进政务服务。",
    );
    expect(item(checkReport(none), "plan-answers-problems").status).toBe("missing");
  });

  it("judges titles by unit, year and 法治政府建设", () => {
    const title = (line: string): { status: ItemStatus; evidence: string } =>
      item(checkReport(`${line}\n正文。`), "title");
    expect(title("2024年度东城街道法治政府建设情况报告").status).toBe("present");
    expect(title("中共××镇委员会 ××镇人民政府关于2024年法治政府建设情况的报告").status).toBe(
      "present",
    );
    expect(title("关于2024年法治政府建设情况的报告")).toEqual({
      status: "weak",
      evidence: "标题“关于2024年法治政府建设情况的报告”没有写明单位名称",
    });
    expect(title("红桥镇2024年工作总结")).toEqual({
      status: "weak",
      evidence: "标题“红桥镇2024年工作总结”没有写明“法治政府建设”",
    });
  });

  it("finds the sign-off: unit and date, either date style", () => {
    const signoff = (end: string): ItemStatus =>
      item(checkReport(`红桥镇2024年法治政府建设情况报告\n正文。\n${end}`), "signoff").status;
    expect(signoff("红桥镇人民政府\n二〇二五年三月十日")).toBe("present");
    expect(signoff("2025年3月10日")).toBe("weak");
    expect(signoff("红桥镇人民政府")).toBe("weak");
  });

  it("reads Markdown headings and bold headings", () => {
    const md = [
      "# 红桥镇2024年法治政府建设情况报告",
      "",
      "**二、存在的不足和原因**",
      "",
      "执法人员不足，主要是由于编制有限，专业人员难以引进，执法力量长期紧张。",
    ].join("\n");
    const result = checkReport(md);
    expect(item(result, "title").status).toBe("present");
    expect(item(result, "shortcomings").evidence).toMatch(/^标题“二、存在的不足和原因”/);
    expect(item(result, "causes").status).toBe("present");
  });

  it("flags the arrangements' heading when it names the report year", () => {
    const text =
      "红桥镇2024年法治政府建设情况报告\n一、主要举措和成效\n正文。\n二、2024年工作计划\n继续努力。";
    expect(checkReport(text).warnings).toEqual([
      {
        kind: "year",
        text: "小标题写的是2024年，下一年度安排应为2025年",
        evidence: "二、2024年工作计划",
      },
    ]);
  });

  it("accepts a heading that names both the report year and the next", () => {
    const text = "红桥镇2024年法治政府建设情况报告\n一、2024年工作情况及2025年工作打算\n正文。";
    expect(checkReport(text).warnings).toEqual([]);
  });
});
