import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { OrgBasics } from "../../src/domain/types.js";
import { fillPlaceholders, formalize, isNoneAnswer } from "../../src/draft/formal.js";
import {
  CAUSES_MISSING,
  composeSection,
  INTRO_CLOSING,
  SECTION_MISSING,
} from "../../src/draft/offline.js";
import type { SectionFacts } from "../../src/draft/types.js";
import { loadTemplate, type Question, type Section } from "../../src/template/load.js";
import { templateCopies } from "../helpers/template-copy.js";

const template = loadTemplate();
const FIXTURE = new URL("../fixtures/answers/panlong-2023.json", import.meta.url);
const panlong = JSON.parse(readFileSync(FIXTURE, "utf8")) as {
  org: OrgBasics;
  answers: Record<string, string>;
};
const TOWN: OrgBasics = { name: "洪梅镇", kind: "镇", superior: "东莞市", year: 2024 };

function section(id: string): Section {
  const found = template.section(id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

function question(id: string): Question {
  const found = template.question(id);
  if (!found) throw new Error(`no question ${id}`);
  return found;
}

/** SectionFacts from chat answers: { "issued": "…" } → questionId "rules.issued". */
function chat(id: string, answers: Record<string, string>): SectionFacts {
  return {
    section: section(id),
    facts: Object.entries(answers).map(([q, text]) => ({ questionId: `${id}.${q}`, text })),
  };
}

/** Every run of digits and every percentage of a text. */
function figures(text: string): string[] {
  return [...(text.match(/\d+(?:\.\d+)?\s*[%％]/g) ?? []), ...(text.match(/\d+/g) ?? [])];
}

const markers = (text: string) => text.match(/【待补充[^】]*】/g) ?? [];

describe("the offline composer on the panlong-2023 answers file", () => {
  const composed = new Map(
    template.sections.map((s) => {
      const text = panlong.answers[s.id];
      const facts: SectionFacts = { section: s, facts: text ? [{ text }] : [] };
      return [s.id, composeSection(panlong.org, facts)];
    }),
  );
  const answered = template.sections.filter((s) => panlong.answers[s.id] !== undefined);

  it("is an answers file of the design doc, for every section the report covers", () => {
    expect(panlong.org).toEqual({ name: "盘龙彝族乡", kind: "乡", superior: "砚山县", year: 2023 });
    const ids = template.sections.map((s) => s.id);
    for (const key of Object.keys(panlong.answers)) expect(ids).toContain(key);
    // The report says nothing about 普法 for the public, nor anything for part 五.
    expect(Object.keys(panlong.answers).sort()).toEqual(
      ids.filter((id) => id !== "publicity" && id !== "other").sort(),
    );
  });

  it("keeps every figure and every 《title》 of a section's answers in that section", () => {
    let count = 0;
    for (const s of answered) {
      const answer = panlong.answers[s.id] ?? "";
      const text = composed.get(s.id) ?? "";
      for (const figure of figures(answer)) {
        expect(text, `${s.id}: ${figure}`).toContain(figure);
        count++;
      }
      for (const title of answer.match(/《[^》]*》/g) ?? []) {
        expect(text, `${s.id}: ${title}`).toContain(title);
      }
    }
    expect(count).toBeGreaterThan(60);
  });

  it("writes every required section, marking only what is missing", () => {
    for (const s of template.sections) {
      const text = composed.get(s.id) ?? "";
      if (s.required) expect(text, s.id).not.toBe("");
      if (panlong.answers[s.id] === undefined) {
        // Without facts, no opening sentence claims what nobody said: only the marker.
        expect(text).toBe(s.required ? SECTION_MISSING : "");
      } else if (s.id === "shortcomings") {
        // The report lists its three problems without a word on why: each asks for its cause.
        expect(markers(text)).toEqual([CAUSES_MISSING, CAUSES_MISSING, CAUSES_MISSING]);
      } else {
        expect(markers(text), s.id).toEqual([]);
      }
    }
    expect(composed.get("publicity")).toContain("【待补充：本部分内容】");
  });

  it("reads as formal text: opening first, 我乡, full stops, no placeholders or colloquialisms", () => {
    for (const s of answered) {
      const text = composed.get(s.id) ?? "";
      expect(text.startsWith(fillPlaceholders(s.opening, panlong.org)), s.id).toBe(true);
      expect(text).not.toMatch(/[{}]|我们|咱们|今年/);
      for (const paragraph of text.split("\n")) expect(paragraph).toMatch(/[。：】]$/);
    }
    expect(composed.get("functions")).toContain("我乡共153项");
    expect(composed.get("functions")).toContain("便民服务中心本年度受理便民服务事项2875件");
    expect(composed.get("intro")?.endsWith(INTRO_CLOSING)).toBe(true);
    expect(composed.get("intro")).toContain("在砚山县委、砚山县人民政府的坚强领导下");
    expect(composed.get("shortcomings")).toContain("\n（三）宣传教育不到位");
    expect(composed.get("next-year")).toContain("\n（一）加强党对法治政府建设的领导。建立");
  });

  it("prints a composed section for the reviewer", () => {
    const text = composed.get("disputes") ?? "";
    console.log(
      `（七）依法化解社会矛盾纠纷\n${text}\n\n三、存在的不足和原因\n${composed.get("shortcomings")}`,
    );
    expect(text.split("\n").length).toBeGreaterThan(1);
  });
});

describe("the offline composer on chat answers (one fact per question)", () => {
  const rules = chat("rules", {
    issued: "未制定",
    legality: "有，司法所和法律顾问审核了重要文件12件、合同35份，提出修改意见21条",
    cleanup: "我们今年清理了现行文件 26 件,保留20件，修改4件，废止2件",
  });

  it("presents the answers as 一是…二是… in the order of the questions", () => {
    const text = composeSection(TOWN, rules);
    console.log(`（三）完善依法行政制度体系\n${text}`);
    const issued = question("rules.issued");
    const legality = question("rules.legality");
    const filing = question("rules.filing");
    const cleanup = question("rules.cleanup");
    // Each sub-item is a paragraph of its own; the first shares the theme sentence's.
    expect(text.split("\n")).toEqual([
      "2024年，我镇坚持用制度管权管事，不断完善依法行政制度体系。" +
        `一是${issued.lead}。2024年，我镇未制定行政规范性文件。`,
      `二是${legality.lead}。司法所和法律顾问审核了重要文件12件、合同35份，提出修改意见21条。`,
      `三是${filing.lead}。【待补充：制定的规范性文件有没有报上级备案】`,
      `四是${cleanup.lead}。我镇本年度清理了现行文件26件，保留20件，修改4件，废止2件。`,
    ]);
  });

  it("writes a none answer with the question's own none sentence", () => {
    const none = question("rules.issued").none ?? "";
    expect(none).toContain("未制定行政规范性文件");
    expect(composeSection(TOWN, rules)).toContain(fillPlaceholders(none, TOWN));
    const disputes = composeSection(TOWN, chat("disputes", { review: "没有", litigation: "无。" }));
    expect(disputes).toContain(
      `是${question("disputes.review").lead}。本年度无以我镇为被申请人的行政复议案件。`,
    );
    expect(disputes).toContain(
      `是${question("disputes.litigation").lead}。本年度无以我镇为被告的行政诉讼案件。`,
    );
  });

  it("falls back to a generic none sentence, or leaves the item out where none is empty", () => {
    expect(question("enforcement.team").none).toBeUndefined();
    const enforcement = composeSection(TOWN, chat("enforcement", { team: "没有" }));
    expect(enforcement).toContain(
      `一是${question("enforcement.team").lead}。本年度我镇无相关情况。`,
    );
    expect(question("digital.other-measures").none).toBe("");
    const digital = composeSection(
      TOWN,
      chat("digital", { platforms: "广东政务服务网", "other-measures": "没有" }),
    );
    expect(digital).not.toContain(question("digital.other-measures").lead);
    expect(digital).not.toContain("二是");
    expect(composeSection(TOWN, chat("other", { honours: "没有", practices: "无" }))).toBe(
      "本年度我镇无需要报告的相关情况。",
    );
  });

  it("marks a required unanswered question and leaves no trace of an optional one", () => {
    const text = composeSection(TOWN, rules);
    expect(markers(text)).toEqual(["【待补充：制定的规范性文件有没有报上级备案】"]);
    expect(text).not.toContain(question("rules.village-rules").lead);
    expect(text).not.toContain("五是");
    const leadership = composeSection(TOWN, chat("leadership", { study: "中心组学法12次" }));
    expect(markers(leadership)).toEqual([
      "【待补充：给机关干部、村干部办了几期法治培训】",
      "【待补充：全面依法治理委员会本年度开了几次会】",
      "【待补充：印发的法治建设工作要点或工作计划叫什么名称】",
    ]);
    expect(leadership).not.toContain(question("leadership.support").lead);
  });

  it("names the org by its kind: 我乡, 我镇, 我街道", () => {
    for (const [kind, self] of [
      ["乡", "我乡"],
      ["镇", "我镇"],
      ["街道", "我街道"],
    ] as const) {
      const text = composeSection({ ...TOWN, kind }, rules);
      expect(text.startsWith(`2024年，${self}坚持用制度管权管事`)).toBe(true);
      expect(text).toContain(`2024年，${self}未制定行政规范性文件。`);
      expect(text).toContain(`${self}本年度清理了现行文件26件`);
      expect(text).not.toMatch(/我们|\{self\}/);
    }
  });

  it("follows each shortcoming with its cause, numbered （一）（二）", () => {
    const text = composeSection(
      TOWN,
      chat("shortcomings", {
        "problem-1": "执法人员持证率只有78%，有5名执法人员未取得执法证",
        "cause-1": "原因：主观上对执法资格考试重视不够；客观上执法队伍人员流动大，今年新调入6人",
        "problem-2": "普法覆盖不均，偏远的3个村全年只开展普法活动2场",
      }),
    );
    expect(text.split("\n")).toEqual([
      "2024年，我镇法治政府建设工作虽然取得了一定成效，但对照上级要求和人民群众期待，仍存在一些不足：",
      "（一）执法人员持证率只有78%，有5名执法人员未取得执法证。原因分析：主观上对执法资格考试重视不够；客观上执法队伍人员流动大，本年度新调入6人。",
      "（二）普法覆盖不均，偏远的3个村全年只开展普法活动2场。原因分析：【待补充：第二个不足的原因是什么】",
    ]);
  });

  it("gives a named optional shortcoming its cause marker too", () => {
    const text = composeSection(
      TOWN,
      chat("shortcomings", {
        "problem-1": "案卷不规范",
        "cause-1": "培训少",
        "problem-2": "信访化解不及时",
        "cause-2": "人手少",
        "problem-more": "村规民约审查滞后",
      }),
    );
    expect(text).toContain(
      "（三）村规民约审查滞后。原因分析：【待补充：第三、第四个不足的原因分别是什么】",
    );
  });

  it("lists next year's arrangements one per item, leaving out a none answer", () => {
    const text = composeSection(
      TOWN,
      chat("next-year", {
        "answer-1": "2025年6月前组织执法资格考前培训2期，持证率达到95%以上，综合行政执法办负责",
        "answer-2": "每个村全年至少开展普法活动4场，司法所负责",
        "key-tasks": "完成2024年度述法\n开展民主法治示范村创建",
        "new-rules": "没有",
      }),
    );
    const [opening, ...items] = text.split("\n");
    // The plans name their year, never "下一年度".
    expect(opening).toMatch(/^2025年，我镇将继续.*重点抓好以下工作：$/);
    expect(items).toEqual([
      `（一）${question("next-year.answer-1").lead}。2025年6月前组织执法资格考前培训2期，持证率达到95%以上，综合行政执法办负责。`,
      `（二）${question("next-year.answer-2").lead}。每个村全年至少开展普法活动4场，司法所负责。`,
      `（三）${question("next-year.key-tasks").lead}。完成2024年度述法；开展民主法治示范村创建。`,
    ]);
  });

  it("writes the intro as one paragraph ending with 现将有关情况报告如下：", () => {
    const text = composeSection(
      TOWN,
      chat("intro", {
        "basis-superior": "《东莞市2024年法治政府建设工作要点》（东法治办〔2024〕3号）",
        "basis-own": "没有",
        summary: "全年无行政诉讼败诉案件，获评市级法治建设先进单位",
      }),
    );
    expect(text.split("\n")).toHaveLength(1);
    expect(text).toMatch(/^2024年，我镇在东莞市委、东莞市人民政府的坚强领导下，坚持以习近平新时代/);
    expect(text).toContain(
      `${question("intro.basis-superior").lead}：《东莞市2024年法治政府建设工作要点》（东法治办〔2024〕3号）。`,
    );
    expect(text).not.toContain("制定印发的文件有");
    expect(text.endsWith(`获评市级法治建设先进单位。${INTRO_CLOSING}`)).toBe(true);
  });

  it("marks a required section without facts and drops an optional one", () => {
    expect(composeSection(TOWN, { section: section("rules"), facts: [] })).toBe(SECTION_MISSING);
    expect(composeSection(TOWN, { section: section("intro"), facts: [] })).toMatch(
      new RegExp(`\\n${SECTION_MISSING}${INTRO_CLOSING}$`),
    );
    expect(composeSection(TOWN, { section: section("emergency"), facts: [] })).toBe("");
    expect(composeSection(TOWN, { section: section("other"), facts: [{ text: "  " }] })).toBe("");
  });

  it("keeps a fact naming no question of the section as free text, without markers", () => {
    const text = composeSection(TOWN, {
      section: section("rules"),
      facts: [
        { questionId: "rules.no-such", text: "清理文件8件" },
        { questionId: "rules.issued", text: "未制定" },
      ],
    });
    expect(text).toContain("不断完善依法行政制度体系。一是清理文件8件。\n二是");
    expect(markers(text)).toEqual([]);
  });
});

describe("formal normalisation", () => {
  it("never changes a figure, date or 《title》", () => {
    const answer =
      "有，按《砚山县赋予乡镇部分县级行政职权目录(2023年版)》梳理 1,471 项,办结率96.74%，8:30开始\n" +
      "2023年2月11日 聘请律所(常年法律顾问)\n- 村规民约 18 个";
    expect(formalize(answer, "我乡")).toBe(
      "按《砚山县赋予乡镇部分县级行政职权目录(2023年版)》梳理1,471项，办结率96.74%，8:30开始；" +
        "2023年2月11日，聘请律所（常年法律顾问）；村规民约18个。",
    );
  });

  it("turns 我们/咱们 and relative years into report words", () => {
    expect(formalize("是的，咱们镇明年还要搞，我们村也参加。", "我镇")).toBe(
      "我镇下一年度还要搞，本村也参加。",
    );
    expect(formalize("去年 3 件\n今年 5 件", "我街道")).toBe("上一年度3件；本年度5件。");
  });

  it("tells a none answer from a real one", () => {
    for (const none of ["没有", "无。", "未制定", "无需备案", "本年度未发生", "暂无", "未纳入"]) {
      expect(isNoneAnswer(none), none).toBe(true);
    }
    for (const real of [
      "未组织考试",
      "没有，但审核了3件合同",
      "无人员伤亡的火灾1起",
      "2件",
      "《X办法》",
      // Not at hand is not none: a staff note.
      "没有统计",
      "未统计",
    ]) {
      expect(isNoneAnswer(real), real).toBe(false);
    }
  });
});

describe("the composer's fields in the template", () => {
  const brokenCopy = templateCopies();

  it("gives every section an opening and every question a lead, passed through by the loader", () => {
    for (const s of template.sections) {
      expect(s.opening, s.id).toMatch(/\{self\}/);
      for (const q of s.questions) expect(q.lead, q.id).toMatch(/^\S{2,}$/);
    }
    for (const id of [
      "rules.issued",
      "rules.filing",
      "decisions.procedure",
      "decisions.advisor",
      "disputes.review",
      "disputes.litigation",
      "enforcement.cases",
    ]) {
      expect(question(id).none, id).toMatch(/^\S+。$/);
    }
    expect(section("intro").opening).toMatch(/习近平新时代中国特色社会主义思想/);
  });

  it("names the file and field of a question without a lead", () => {
    const dir = brokenCopy("sections/rules.yaml", (t) => t.replace(/^ {4}lead:.*\n/m, ""));
    expect(() => loadTemplate(dir)).toThrow(/sections\/rules\.yaml: questions\[0\]\.lead: /);
  });

  it("names the file and field of a section without an opening", () => {
    const dir = brokenCopy("sections/disputes.yaml", (t) => t.replace(/^opening:.*\n/m, ""));
    expect(() => loadTemplate(dir)).toThrow(/sections\/disputes\.yaml: opening: /);
  });

  it("names the file, field and placeholder of an unknown placeholder", () => {
    const dir = brokenCopy("sections/rules.yaml", (t) =>
      t.replace("{year}年，{self}未制定", "{town}未制定"),
    );
    expect(() => loadTemplate(dir)).toThrow(
      /sections\/rules\.yaml: questions\[0\]\.none: unknown placeholder \{town\}/,
    );
  });
});
