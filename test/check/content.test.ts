import { describe, expect, it } from "vitest";
import type { CheckResult, CheckWarning, ItemStatus } from "../../src/check/types.js";
import { checkReport } from "../helpers/checker.js";

/**
 * What a reviewer trusts (issue 15, checker) and what the draft's own check may credit (issue 12,
 * point 4): headings are not evidence, titles can be, the township's own leaders, supervision
 * channels, plans are not deeds, the new warnings, titles valid in 2026 plans, evidence that is
 * the evidence. Sentences written for these tests in the style of township reports.
 */

function item(result: CheckResult, id: string): { status: ItemStatus; evidence: string } {
  const found = result.items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return { status: found.status, evidence: found.evidence };
}

const kinds = (result: CheckResult): string[] => result.warnings.map((w) => w.kind);
const warningsOf = (result: CheckResult, kind: string): CheckWarning[] =>
  result.warnings.filter((w) => w.kind === kind);

describe("headings, placeholders and staff notes are not evidence", () => {
  it("a draft made only of headings and 【待补充】 has every affected item missing", () => {
    const draft = [
      "青石镇关于2025年度法治政府建设情况的报告",
      "一、主要举措和成效",
      "（一）深入学习贯彻习近平法治思想",
      "【待补充：中心组学法次数、专题培训情况】",
      "（二）依法全面履行政府职能",
      "【待补充：权责清单、政务服务情况】",
      "（三）聘请法律顾问",
      "【待补充：法律顾问聘请和参与决策情况】",
      "（四）严格规范公正文明执法",
      "【待补充】",
      "（五）行政复议和行政应诉",
      "【待补充：案件数和负责人出庭情况】",
      "二、党政主要负责人履行推进法治建设第一责任人职责情况",
      "【待补充：主要负责人履职情况】",
      "三、存在的不足和原因",
      "【待补充：存在的不足】",
      "四、2026年工作安排",
      "【待补充：下一年度安排】",
      "五、其他需要报告的情况",
      "【待补充】",
      "青石镇人民政府",
      "2026年1月20日",
    ].join("\n");
    const result = checkReport(draft);
    const affected = [
      "measures",
      "first-responsible",
      "shortcomings",
      "causes",
      "next-year",
      "xi-thought",
      "functions",
      "legal-advisor",
      "enforcement",
      "review-litigation",
      "figures",
      "plan-answers-problems",
    ];
    for (const id of affected) expect([id, item(result, id).status]).toEqual([id, "missing"]);
    expect(item(result, "measures").evidence).toBe(
      "标题“一、主要举措和成效”下没有内容（只有标题、待补充标记或备注）",
    );
    // Title and sign-off are real; the placeholders are listed.
    expect(item(result, "title").status).toBe("present");
    expect(item(result, "signoff").status).toBe("present");
    expect(warningsOf(result, "placeholder").length).toBeGreaterThan(0);
  });

  it("a lead sentence followed by a staff note proves nothing (三是聘请法律顾问。不清楚。)", () => {
    const text = [
      "一、主要举措和成效",
      "一是规范重大行政决策。全年重大行政决策3项，均经过合法性审查和集体讨论决定。",
      "二是加强规范性文件管理。全年未制定行政规范性文件。",
      "三是聘请法律顾问。不清楚。",
    ].join("\n");
    const result = checkReport(text);
    expect(item(result, "legal-advisor").status).toBe("missing");
    expect(item(result, "major-decisions").status).toBe("present");
    expect(warningsOf(result, "note")).toEqual([
      {
        kind: "note",
        text: "留有工作备注“不清楚”，需要核实后写成实际内容或删去",
        evidence: "三是聘请法律顾问。不清楚。",
      },
    ]);
  });

  it("a part whose body is only a staff note is missing; a note inside a fact is warned", () => {
    const text = [
      "一、主要举措和成效",
      "全年制定行政规范性文件5份，均经合法性审核，印发日期待查。",
      "二、存在的不足",
      "待核实",
      "三、下一年度安排",
      "暂无数据",
    ].join("\n");
    const result = checkReport(text);
    expect(item(result, "shortcomings").status).toBe("missing");
    expect(item(result, "next-year").status).toBe("missing");
    // The fact stays a fact.
    expect(item(result, "normative-docs").status).toBe("present");
    expect(warningsOf(result, "note").map((w) => w.text)).toEqual([
      "留有工作备注“印发日期待查”，需要核实后写成实际内容或删去",
      "留有工作备注“待核实”，需要核实后写成实际内容或删去",
      "留有工作备注“暂无数据”，需要核实后写成实际内容或删去",
    ]);
  });

  it("没有统计 is a note, not a statement that there were none", () => {
    const text = "一、主要举措和成效\n全年行政复议和行政诉讼案件没有统计。";
    const result = checkReport(text);
    expect(item(result, "review-litigation").status).toBe("missing");
    expect(warningsOf(result, "note").map((w) => w.text)).toEqual([
      "留有工作备注“全年行政复议和行政诉讼案件没有统计”，需要核实后写成实际内容或删去",
    ]);
  });

  it("a longer clause that merely ends in a note word is content, not a note", () => {
    const text =
      "二、存在的不足\n部分群众对新修订的法律规定了解不清楚，法治意识有待提高，主要是由于宣传形式单一、覆盖面不广，普法队伍力量薄弱。";
    const result = checkReport(text);
    expect(kinds(result)).not.toContain("note");
    expect(item(result, "shortcomings").status).toBe("present");
  });

  it("a sub-heading inside part 一 does not end it (only top-level headings open parts)", () => {
    const text = [
      "青石镇2024年法治政府建设情况报告",
      "一、主要举措和成效",
      "（一）严格落实第一责任人职责",
      "镇党委书记主持召开党委会议4次专题研究法治建设。",
      "镇长带头开展年度述法，带头参加集体学法6次。",
      "（二）严格规范公正文明执法",
      "全年办理行政处罚案件18件，落实执法公示、全过程记录和法制审核制度，组织执法培训2期，参训60人次，案卷评查合格率100%。",
      "二、存在的问题",
      "执法人员少，主要是由于编制有限。",
    ].join("\n");
    const result = checkReport(text);
    // The enforcement paragraph stays in part 一: figures and measures count it.
    expect(item(result, "figures").status).toBe("present");
    expect(item(result, "first-responsible").evidence).toMatch(/^没有单列部分，但/);
  });
});

describe("evidence inside a document title", () => {
  it("counts a catalogue of decisions and an adviser's contract as the work", () => {
    const text = [
      "一、主要举措和成效",
      "印发《青石镇2024年重大行政决策事项目录》。",
      "与本县律师事务所签订《青石镇人民政府法律顾问服务合同》。",
    ].join("\n");
    const result = checkReport(text);
    expect(item(result, "major-decisions")).toEqual({
      status: "present",
      evidence: "“印发《青石镇2024年重大行政决策事项目录》。”",
    });
    expect(item(result, "legal-advisor").status).toBe("present");
  });

  it("does not count a regulation studied as decisions made", () => {
    const text = "一、主要举措和成效\n组织干部学习《重大行政决策程序暂行条例》，提高依法决策意识。";
    expect(item(checkReport(text), "major-decisions").status).toBe("missing");
  });
});

describe("the township's own leaders", () => {
  const duty = (text: string): { status: ItemStatus; evidence: string } =>
    item(checkReport(`一、主要举措和成效\n${text}`), "first-responsible");

  it("names 党委书记, 党工委书记, 镇长, 乡长, 办事处主任 and 主要负责同志", () => {
    expect(
      duty("镇党委书记主持召开党委会议4次研究法治建设。镇长带头参加集体学法6次。").status,
    ).toBe("present");
    expect(
      duty("街道党工委书记主持召开专题会议研究部署法治建设。办事处主任带头开展述法。").status,
    ).toBe("present");
    expect(duty("乡长主持召开乡长办公会研究执法工作。主要负责同志带头讲法治课。").status).toBe(
      "present",
    );
  });

  it("does not take a superior's leaders for the township's own", () => {
    expect(duty("县委书记到我镇调研法治建设工作。市长主持召开全市法治政府建设推进会。")).toEqual({
      status: "missing",
      evidence: "没有写党政主要负责人履行推进法治建设第一责任人职责的情况",
    });
  });

  it("counts sentences under a heading that names the principal leaders", () => {
    const text = [
      "一、主要举措和成效",
      "（一）主要负责同志带头履职",
      "全年召开党委会议4次专题研究法治政府建设。",
      "带头讲法治课1次，组织班子成员旁听庭审1次。",
    ].join("\n");
    expect(item(checkReport(text), "first-responsible").status).toBe("present");
  });
});

describe("supervision channels", () => {
  it("counts 人大代表建议, 政协委员提案, 审计, 纪检监察 and 12345 热线", () => {
    const text = [
      "一、主要举措和成效",
      "办理人大代表建议12件、政协委员提案5件，办结率100%。",
      "配合县审计局完成经济责任审计。",
      "12345政务服务热线工单286件全部按时办结。",
    ].join("\n");
    expect(item(checkReport(text), "supervision").status).toBe("present");
  });

  it("one channel alone is thin", () => {
    const text = "一、主要举措和成效\n12345政务服务热线工单286件全部按时办结。";
    expect(item(checkReport(text), "supervision").status).toBe("weak");
  });
});

describe("plans are not deeds", () => {
  it("sentences phrased as plans (将, 拟, 要) are not evidence for the year", () => {
    const text = [
      "一、主要举措和成效",
      "将进一步加强法律顾问工作，拟聘请律师事务所担任常年法律顾问。",
      "要健全人民调解组织，及时排查化解矛盾纠纷。",
    ].join("\n");
    const result = checkReport(text);
    expect(item(result, "legal-advisor")).toEqual({
      status: "missing",
      evidence:
        "只写了计划或要求（“将进一步加强法律顾问工作，拟聘请律师事务所担任常年法律顾问。”），没有写本年度的情况",
    });
    expect(item(result, "disputes").status).toBe("missing");
  });

  it("按计划完成 and 拟任 are deeds, not plans", () => {
    const text = [
      "一、主要举措和成效",
      "按计划完成中心组专题学习习近平法治思想4次。",
      "对拟任科级干部开展任前法律知识考试，参考12人。",
    ].join("\n");
    const result = checkReport(text);
    expect(item(result, "xi-thought").status).toBe("present");
    expect(result.items.find((i) => i.id === "figures")?.evidence).toContain("12人");
  });

  it("拟定 (drafted) is a deed, not a plan", () => {
    const text =
      "一、主要举措和成效\n拟定了《青石镇重大行政决策事项目录》，决策事项均经合法性审查和集体讨论决定。";
    expect(item(checkReport(text), "major-decisions").status).toBe("present");
  });

  it("a 工作方案 sent as a report has its topics missing and a plan warning", () => {
    const plan = [
      "青石镇2025年法治政府建设工作方案",
      "一、指导思想",
      "坚持以习近平法治思想为指导，全面推进依法行政。",
      "二、工作目标",
      "到2025年底，法治政府建设取得新成效。",
      "三、重点任务",
      "（一）组织中心组专题学习习近平法治思想不少于4次。",
      "（二）落实行政执法公示、全过程记录、法制审核三项制度，执法人员培训不少于2期。",
      "四、保障措施",
      "加强组织领导，落实经费保障。",
    ].join("\n");
    const result = checkReport(plan);
    expect(item(result, "xi-thought").status).toBe("missing");
    expect(item(result, "enforcement").evidence).toMatch(/^全文是工作方案或计划/);
    expect(warningsOf(result, "plan")).toEqual([
      {
        kind: "plan",
        text: "这份文件读起来是工作方案或计划，不是年度报告：应写本年度已经做了什么、取得了什么成效",
        evidence: "小标题“指导思想”“工作目标”“重点任务”是工作方案的结构",
      },
    ]);
  });
});

describe("warnings: level, stale-term, review-body, year", () => {
  it("level: a county government's title and self-designation", () => {
    const text = [
      "青山县人民政府",
      "关于2024年度法治政府建设情况的报告",
      "2024年，我县深入推进依法行政，全县各部门落实执法三项制度，我县法治政府建设取得新成效。",
    ].join("\n");
    const level = warningsOf(checkReport(text), "level");
    expect(level.map((w) => w.text)).toEqual([
      "标题的单位“青山县人民政府”不是乡镇（街道），本模板用于乡镇（街道）的报告",
      "正文2处以县、市、区或部门自称（如“我县”“我局”），不是乡镇（街道）的口吻",
    ]);
  });

  it("level: a department's sign-off; a township under a county is fine", () => {
    const report = "青山县青石镇2024年法治政府建设情况报告\n2024年，我镇深入推进依法行政。\n";
    expect(kinds(checkReport(`${report}青石镇人民政府\n2025年1月20日`))).not.toContain("level");
    expect(warningsOf(checkReport(`${report}青山县司法局\n2025年1月20日`), "level")).toEqual([
      {
        kind: "level",
        text: "落款单位“青山县司法局”不是乡镇（街道）",
        evidence: "青山县司法局",
      },
    ]);
  });

  it("stale-term: 法制宣传, 法制政府 and, from 2021, 依法治国新理念新思想新战略", () => {
    const text = (year: number): string =>
      [
        `青石镇${year}年法治政府建设情况报告`,
        "深入学习依法治国新理念新思想新战略，开展法制宣传活动12场，推进法制政府建设。",
        "组织干部学习《关于加强法制宣传教育的决议》。",
      ].join("\n");
    expect(warningsOf(checkReport(text(2024)), "stale-term").map((w) => w.text)).toEqual([
      "“依法治国新理念新思想新战略”是旧提法，应写“习近平法治思想”",
      "“法制宣传”是旧提法，应写“法治宣传”",
      "“法制政府”是旧提法，应写“法治政府”",
    ]);
    expect(warningsOf(checkReport(text(2019)), "stale-term")).toHaveLength(2);
    // 重大执法决定法制审核 is the current term.
    expect(kinds(checkReport("落实重大执法决定法制审核制度。"))).not.toContain("stale-term");
  });

  it("review-body: a township that accepts or decides 行政复议 cases", () => {
    const claim = "一、主要举措和成效\n2024年，我镇受理行政复议申请3件，作出复议决定3件。";
    expect(warningsOf(checkReport(claim), "review-body")).toEqual([
      {
        kind: "review-body",
        text: "乡镇（街道）不是行政复议机关，不能受理或审理行政复议案件；应写作为被申请人答复、应诉的情况",
        evidence: "“2024年，我镇受理行政复议申请3件，作出复议决定3件。”",
      },
    ]);
    const respondent = [
      "一、主要举措和成效",
      "我镇作为被申请人的行政复议案件2件，均按时提交答复书。",
      "在便民服务中心设立行政复议受理点，代收行政复议申请2件并转送县政府。",
    ].join("\n");
    expect(kinds(checkReport(respondent))).not.toContain("review-body");
  });

  it("year: title year against the body, and the opening 20xx年 sentence without a title", () => {
    const titled = "青石镇2024年法治政府建设情况报告\n2023年，我镇深入推进依法行政。";
    expect(warningsOf(checkReport(titled), "year").map((w) => w.text)).toEqual([
      "写的是2023年的情况，报告年度是2024年",
    ]);
    const untitled = "2023年，我镇深入推进依法行政。\n一、主要举措和成效\n2024年全年开展普法12场。";
    expect(warningsOf(checkReport(untitled), "year")).toEqual([
      {
        kind: "year",
        text: "写的是2024年的情况，报告年度是2023年",
        evidence: "2024年全年开展普法12场。",
      },
    ]);
  });
});

describe("known titles valid in 2026 plans", () => {
  it("accepts 纲要（2026—2030年） and the 九五 plan, still flags a wrong edition", () => {
    const text = [
      "青石镇2025年法治政府建设情况报告",
      "四、2026年工作安排",
      "深入贯彻《法治政府建设实施纲要（2026—2030年）》，启动《关于开展法治宣传教育的第九个五年规划（2026—2030年）》，谋划九五普法。",
    ].join("\n");
    expect(kinds(checkReport(text))).not.toContain("title");
    const wrong = text.replace("第九个五年规划（2026—2030年）", "第九个五年规划（2025—2030年）");
    expect(warningsOf(checkReport(wrong), "title").map((w) => w.text)).toEqual([
      "《关于开展法治宣传教育的第九个五年规划》的年份应为（2026—2030年），文中写成了（2025—2030年）",
    ]);
  });
});

describe("evidence is the evidence", () => {
  it("a generic 发挥 or 加强 next to a term is a mention, not work done", () => {
    const text = "一、主要举措和成效\n充分发挥基层党组织战斗堡垒作用，加强法律顾问队伍建设。";
    expect(item(checkReport(text), "legal-advisor").status).toBe("weak");
  });

  it("a thin topic quotes the sentence that names it, not an incidental detail", () => {
    const text = [
      "一、主要举措和成效",
      "切实加强了行政审批事项管理。",
      "在便民服务中心设立法治宣传台，发放宣传资料2000余份。",
    ].join("\n");
    expect(item(checkReport(text), "functions")).toEqual({
      status: "weak",
      evidence: "只涉及1个方面（需要2个），内容单薄：“切实加强了行政审批事项管理。”",
    });
  });

  it("quotes the sentence's own words rather than a title it cites", () => {
    const text =
      "一、主要举措和成效\n根据《云南省政府法律顾问工作规定》和《关于推行法律顾问制度的实施意见》等文件要求，于2024年3月起聘请律师事务所担任常年法律顾问。";
    expect(item(checkReport(text), "legal-advisor").evidence).toMatch(
      /聘请律师事务所担任常年法律顾问/,
    );
  });
});
