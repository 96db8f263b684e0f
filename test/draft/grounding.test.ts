import { describe, expect, it } from "vitest";
import { extractValues, findUngrounded } from "../../src/draft/grounding.js";

/** Grounding: every figure, date and 《title》 of a draft must come from the answers. */

const BASICS = "洪梅镇 东莞市 2024年 2025年";

/** The values of `draft` that the sources do not ground, as written. */
function flagged(draft: string, ...sources: string[]): string[] {
  return findUngrounded("disputes", draft, [...sources, BASICS]).map((u) => u.value);
}

describe("figures", () => {
  it("flags a number the draft invents and passes one taken from the answers", () => {
    const answer = "全年共调解矛盾纠纷56件，调解成功率96.74%。";
    expect(flagged("全年共调解纠纷58件，调解成功率96.74%。", answer)).toEqual(["58件"]);
    expect(flagged("全年共调解纠纷56件，调解成功率96.74%。", answer)).toEqual([]);
    expect(findUngrounded("disputes", "共调解纠纷58件。", [answer])).toEqual([
      { section: "disputes", value: "58件", context: "共调解纠纷58件。", reason: "absent" },
    ]);
  });

  it.each([
    ["1,471 vs 1471", "排查纠纷1,471件。", "排查纠纷1471件"],
    ["1471 vs 1,471", "排查纠纷1471件。", "排查纠纷1,471件"],
    ["96.74% vs 96.74％", "成功率96.74%。", "成功率96.74％"],
    ["96.74％ vs 96.74%", "成功率96.74％。", "成功率96.74%"],
    ["百分之九十六点七四 vs 96.74%", "成功率达百分之九十六点七四。", "成功率96.74%"],
    ["二十二件 vs 22件", "受理信访二十二件。", "信访22件"],
    ["22件 vs 二十二件", "受理信访22件。", "信访二十二件"],
    ["两次 vs 2次", "召开专题会议两次。", "专题会议2次"],
    ["三场 vs 3场", "开展培训三场。", "培训3场"],
    ["一百零五人 vs 105人", "参训一百零五人。", "参训105人"],
    ["1.2万 vs 12000", "覆盖群众1.2万人次。", "覆盖群众12000人次"],
    ["12000 vs 1.2万", "覆盖群众12000人次。", "覆盖群众1.2万人次"],
    ["2.5万元 vs 25000元", "法律顾问经费2.5万元。", "经费25000元"],
    ["3千 vs 3000", "发放资料3千份。", "发放资料3000份"],
    ["full-width digits", "发放资料１２３份。", "资料123份"],
    ["full-width in the source", "发放资料123份。", "资料１２３份"],
    ["80余人 vs 80人", "参加80余人。", "80人参加"],
    ["人 vs 人次", "参训120人。", "参训120人次"],
    ["件 vs 次", "调解56次。", "调解56件"],
    ["unitless answer", "调解纠纷56件。", "调解纠纷：56"],
  ])("grounded: %s", (_name, draft, answer) => {
    expect(flagged(draft, answer)).toEqual([]);
  });

  it("a space between figure and unit is read", () => {
    expect(flagged("召开会议2 次。", "会议2次")).toEqual([]);
    expect(flagged("召开会议3 次。", "会议2次")).toEqual(["3 次"]);
  });

  it("a unit of another kind does not ground a figure", () => {
    expect(flagged("培训3期，参训120期。", "培训3期，参训120人次")).toEqual(["120期"]);
    expect(flagged("完成率56%。", "调解56件")).toEqual(["56%"]);
    expect(flagged("经费56元。", "调解56件")).toEqual(["56元"]);
  });

  it("a sum or a rate the model computed is ungrounded", () => {
    const answer = "行政复议2件，行政诉讼3件，均按期办结。";
    expect(flagged("共办理复议诉讼案件5件，按期办结率100%。", answer)).toEqual(["5件", "100%"]);
  });

  it("a Chinese count the model invents is flagged as written", () => {
    expect(flagged("召开会议三次。", "召开会议2次")).toEqual(["三次"]);
  });
});

describe("dates", () => {
  it("2024年3月5日 vs 2024-03-05 is grounded, either way round", () => {
    expect(flagged("2024年3月5日召开会议。", "会议时间2024-03-05")).toEqual([]);
    expect(flagged("2024-03-05召开会议。", "2024年3月5日开会")).toEqual([]);
    expect(flagged("2024.3.5召开会议。", "2024年3月5日开会")).toEqual([]);
  });

  it("a date without year in the answers grounds the date with the report year", () => {
    expect(flagged("2024年3月5日召开会议。", "3月5日开会")).toEqual([]);
    expect(flagged("3月召开会议。", "2024年3月5日开会")).toEqual([]);
  });

  it("a wrong year is flagged", () => {
    expect(flagged("2023年，我镇调解纠纷56件。", "调解纠纷56件")).toEqual(["2023年"]);
    expect(flagged("2023年3月5日召开会议。", "2024年3月5日开会")).toEqual(["2023年3月5日"]);
  });

  it("a wrong day or an added day is flagged", () => {
    expect(flagged("3月6日召开会议。", "3月5日开会")).toEqual(["3月6日"]);
    expect(flagged("2024年3月5日召开会议。", "2024年3月开会")).toEqual(["2024年3月5日"]);
  });
});

describe("document titles", () => {
  const answer = "依据《法治政府建设实施纲要(2021-2025年)》开展工作";

  it("full/half-width brackets and dashes do not matter", () => {
    expect(flagged("深入贯彻《法治政府建设实施纲要（2021—2025年）》。", answer)).toEqual([]);
    expect(flagged("深入贯彻《法治政府建设实施纲要 （2021–2025年）》。", answer)).toEqual([]);
  });

  it("a title given without 《》 in the answers grounds it", () => {
    expect(
      flagged("印发《洪梅镇2024年依法治镇工作要点》。", "印发了洪梅镇2024年依法治镇工作要点"),
    ).toEqual([]);
  });

  it("a title not in the sources, or a shortened one, is flagged", () => {
    expect(flagged("落实《东莞市矛盾纠纷多元化解条例》。", answer)).toEqual([
      "《东莞市矛盾纠纷多元化解条例》",
    ]);
    expect(flagged("落实《纲要》要求。", answer)).toEqual(["《纲要》"]);
    expect(flagged("落实《法治政府建设实施纲要（2021—2024年）》。", answer)).toEqual([
      "《法治政府建设实施纲要（2021—2024年）》",
    ]);
  });

  it("document numbers match exactly", () => {
    expect(flagged("印发东府〔2024〕12号文件。", "东府[2024]12号")).toEqual([]);
    expect(flagged("印发东府〔2024〕13号文件。", "东府[2024]12号")).toEqual(["〔2024〕13号"]);
  });
});

describe("not values", () => {
  it("heading and list numbering are not flagged", () => {
    const draft = [
      "（二）依法化解社会矛盾纠纷",
      "一是强化源头排查。二是规范调处流程。",
      "1.健全机制。2、强化队伍。(3)完善台账。",
      "1.1 人民调解",
      "第一，坚持党的领导；第二次会议研究了调解工作。",
    ].join("\n");
    expect(flagged(draft, "没有数字")).toEqual([]);
  });

  it("【待补充】 markers are not flagged", () => {
    expect(flagged("法律顾问经费【待补充：法律顾问经费】万元。", "聘请法律顾问")).toEqual([]);
    expect(flagged("【待补充：2024年调解纠纷件数，如56件】", "聘请法律顾问")).toEqual([]);
  });

  it("set phrases, hotline names and a bare 一 are not figures", () => {
    const draft = "全面落实行政执法三项制度，畅通12345热线，推行一次性告知，坚决做到两个维护。";
    expect(flagged(draft, "没有数字")).toEqual([]);
  });

  it("more set phrases and names: 六个一, 两张皮, 5G", () => {
    expect(flagged("落实“六个一”便民行动，解决“两张皮”问题，建成5G执法终端平台。", "无")).toEqual(
      [],
    );
  });

  it("a bare 一 in the answers still grounds the draft's 1次", () => {
    expect(flagged("召开专题会议1次。", "召开了一次专题会议")).toEqual([]);
  });

  it("figures inside a 《title》 are checked with the title, not one by one", () => {
    expect(
      extractValues("贯彻《法治政府建设实施纲要（2021—2025年）》").map((v) => v.normal),
    ).toEqual(["《法治政府建设实施纲要(2021-2025年)》"]);
  });
});

describe("extractValues", () => {
  it("normalises each kind", () => {
    const text =
      "2024年3月5日，排查纠纷1,471件，成功率96.74％，信访二十二件，覆盖1.2万人次，经费2.5万元，发放资料１２３份，执法273件(次)，东府〔2023〕60号。";
    expect(extractValues(text).map((v) => [v.raw, v.normal])).toEqual([
      ["2024年3月5日", "2024-03-05"],
      ["1,471件", "1471件"],
      ["96.74％", "96.74%"],
      ["二十二件", "22件"],
      ["1.2万人次", "12000人次"],
      ["2.5万元", "25000元"],
      ["１２３份", "123份"],
      ["273件(次)", "273件次"],
      ["〔2023〕60号", "〔2023〕60号"],
    ]);
  });

  it("dates in every written form", () => {
    const text =
      "2024年；2024年3月；3月5日；2024-03-05；2024.3.5；二〇二五年一月十五日；2021—2025年。";
    expect(extractValues(text).map((v) => v.normal)).toEqual([
      "2024",
      "2024-03",
      "*-03-05",
      "2024-03-05",
      "2024-03-05",
      "2025-01-15",
      "2021",
      "2025",
    ]);
  });

  it("context is the sentence of the value, trimmed", () => {
    const text =
      "一、主要举措和成效\n  我镇坚持预防为主。全年调解纠纷56件，成功率96.74%；受理信访22件！其余略";
    expect(extractValues(text).map((v) => [v.raw, v.context])).toEqual([
      ["56件", "全年调解纠纷56件，成功率96.74%；"],
      ["96.74%", "全年调解纠纷56件，成功率96.74%；"],
      ["22件", "受理信访22件！"],
    ]);
  });

  it("context of a long sentence is cut to about 120 characters around the value", () => {
    const text = `${"依法".repeat(100)}调解纠纷56件${"化解".repeat(100)}。`;
    const [value] = extractValues(text);
    expect(value?.raw).toBe("56件");
    expect(value?.context).toContain("调解纠纷56件");
    expect(value?.context.length).toBeLessThanOrEqual(122);
  });
});

describe("a realistic section", () => {
  const answers = [
    "全年排查矛盾纠纷1471件，调解成功1,423件，调解成功率96.74％。",
    "2024年3月5日召开全镇矛盾纠纷排查调处工作会议，部署“枫桥式”司法所创建。",
    "受理群众信访件22件，均按期办结，无越级上访。",
    "行政复议案件2件，行政诉讼案件3件，无败诉；镇长出庭应诉两次。",
    "办理法律援助案件38件，培育法律明白人126名。",
    "依据《东莞市矛盾纠纷多元化解工作指引》，建立“镇—村—组”三级调解网络，设村(社区)调委会12个。",
    "开展“法律进村居”活动，覆盖群众12000人次。",
  ];

  const draft = `（七）依法化解社会矛盾纠纷

我镇坚持和发展新时代“枫桥经验”，严格落实《东莞市矛盾纠纷多元化解工作指引》，健全“镇—村—组”三级调解网络，推动矛盾纠纷源头预防、前端化解、关口把控，为全镇经济社会高质量发展营造安全稳定的法治环境。

一是强化源头排查。2024年3月5日召开全镇矛盾纠纷排查调处工作会议，部署“枫桥式”司法所创建工作。全年排查矛盾纠纷1,471件，调解成功1423件，调解成功率达96.74%，村（社区）人民调解委员会实现全覆盖，共设立12个。

二是规范信访办理。坚持领导干部接访下访制度，全年受理群众信访件二十二件，均按期办结，按期办结率100%，无越级上访事项发生。

三是依法做好行政复议和应诉工作。全年发生行政复议案件2件、行政诉讼案件3件，均未败诉；镇主要负责人履行出庭应诉职责，出庭应诉2次，坚持“一案一评查”，以案促改、以案促治。

四是完善公共法律服务体系。1.做优法律援助，全年办理法律援助案件38件；2.培育法治骨干，培育法律明白人130名；3.深化普法宣传，开展“法律进村居”活动，覆盖群众1.2万人次。法律顾问经费【待补充：法律顾问经费】。

五是夯实基层调解基础。依托综治中心、派出所、司法所联动机制，推动警调、诉调、访调衔接，对排查出的重点纠纷逐一建立台账，明确责任人和化解时限，做到小事不出村、大事不出镇、矛盾不上交。`;

  it("is a section of some 600 characters", () => {
    expect(draft.length).toBeGreaterThan(550);
    expect(draft.length).toBeLessThan(700);
  });

  it("flags exactly the two planted values, with their sentences", () => {
    expect(findUngrounded("disputes", draft, [...answers, BASICS])).toEqual([
      {
        section: "disputes",
        value: "100%",
        context:
          "坚持领导干部接访下访制度，全年受理群众信访件二十二件，均按期办结，按期办结率100%，无越级上访事项发生。",
        reason: "absent",
      },
      {
        section: "disputes",
        value: "130名",
        context: "2.培育法治骨干，培育法律明白人130名；",
        reason: "absent",
      },
    ]);
  });

  it("passes once the answers say what the draft says", () => {
    const fixed = draft.replace("按期办结率100%，", "").replace("130名", "126名");
    expect(findUngrounded("disputes", fixed, [...answers, BASICS])).toEqual([]);
  });
});

describe("fact-level grounding on report sentences (seed reports: 燕山 2020, 盘龙 2023)", () => {
  /** What the staff answered: one fact or a few per answer, as typed in chat. */
  const answers = [
    "党委中心学习组集体学法4次",
    "机关、事业单位干部50余人网上参加普法知识学习，参学率和合格率均达100%",
    "赶场日集中宣传3次，现场解答法律咨询200余人次，发放宣传资料2500余份，悬挂横幅25幅",
    "燕山学校开展宣传2次，授课4课时",
    "《民法典》集中宣传3次，进村集中宣传5场次",
    "申请法律援助案件2件",
    "自排化解较大矛盾纠纷5件，人民调解较大案件9件",
    "便民服务中心受理便民服务事项2875件，办结2875件，办结率100%",
    "持执法证的53人，班子成员持证率100%，干部职工持证率90%以上",
    "全年排查矛盾纠纷150起，调解成功128起，调解成功率86%",
    "115个村小组防汛演练，参演4974户、13587人",
    "检查企业95家次，填写安全检查记录95份",
    "收缴违禁物品315.95公斤",
    "群众满意度96%",
    "执法检查20场次",
    "法律顾问经费2.5万元",
    "清理违法占用耕地12亩",
    "刑事发案率0.5‰",
    "办理法律援助案件38件，培育法律明白人126名",
  ];

  /** [draft sentence, its flagged values as [value, reason]] — [] when every figure is grounded. */
  const cases: [string, [string, string][]][] = [
    // grounded: the same number, a compatible unit, the same fact — however reworded
    ["党委中心学习组领导班子成员坚持集体学法4次。", []],
    ["机关、事业单位干部50余人参加网上普法知识学习，参学率和合格率均达100%。", []],
    ["现场解答群众法律咨询问题200余人次。", []],
    ["发放法治宣传资料2500余份，悬挂宣传横幅25幅。", []],
    ["走进燕山学校集中授法治课4课时。", []],
    ["开展《民法典》集中宣传3次，进村集中宣传5场次。", []],
    ["受理法律援助申请案件2件。", []],
    ["人民调解较大案件9件。", []],
    ["便民服务中心全年受理便民服务事项2,875件，办结率100%。", []],
    ["全乡持执法证人员53名。", []],
    ["组织115个村小组开展防汛演练，参演群众4974户、13587人。", []],
    ["调解成功率达百分之八十六。", []],
    ["落实法律顾问经费25000元。", []],
    ["刑事发案率控制在0.5‰。", []],
    ["开展执法检查20次。", []],
    ["群众对政务服务满意度达96%。", []],
    // absent: no answer states the number
    ["全年开展法治讲座6次。", [["6次", "absent"]]],
    ["培育法律明白人130名。", [["130名", "absent"]]],
    ["调解成功率达88%。", [["88%", "absent"]]],
    ["发放宣传资料3000余份。", [["3000余份", "absent"]]],
    ["共办理复议诉讼案件7件。", [["7件", "absent"]]],
    // elsewhere: the number belongs to another fact
    ["按时办结率96%。", [["96%", "elsewhere"]]],
    ["开展普法宣传活动20场次。", [["20场次", "elsewhere"]]],
    ["调解成功率达90%。", [["90%", "elsewhere"]]],
    ["群众满意率100%。", [["100%", "elsewhere"]]],
    ["处理信访件38件。", [["38件", "elsewhere"]]],
    ["开展入户走访115次。", [["115次", "elsewhere"]]],
    // each occurrence alone: the first 100% is grounded, the second is not
    ["参学率和合格率均达100%，群众满意率100%。", [["100%", "elsewhere"]]],
    // unit: the same number with another unit or measure word
    ["收缴违禁物品315.95吨。", [["315.95吨", "unit"]]],
    ["刑事发案率控制在0.5%。", [["0.5%", "unit"]]],
    ["清理违法占用耕地12平方米。", [["12平方米", "unit"]]],
    ["防汛演练参演13587户。", [["13587户", "unit"]]],
    ["检查企业95人次。", [["95人次", "unit"]]],
    ["培育法律明白人126件。", [["126件", "unit"]]],
  ];

  it("has at least 30 cases of every outcome", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const reasons = new Set(cases.flatMap(([, f]) => (f.length ? f.map(([, r]) => r) : ["ok"])));
    expect(reasons).toEqual(new Set(["ok", "absent", "elsewhere", "unit"]));
  });

  it.each(cases)("%s", (draft, expected) => {
    const found = findUngrounded("disputes", draft, [...answers, BASICS]);
    expect(found.map((u) => [u.value, u.reason])).toEqual(expected);
  });
});
