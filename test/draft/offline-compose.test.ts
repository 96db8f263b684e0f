import { describe, expect, it } from "vitest";
import type { OrgBasics } from "../../src/domain/types.js";
import { composeFigures } from "../../src/draft/compose.js";
import { formalize } from "../../src/draft/formal.js";
import { composeSection } from "../../src/draft/offline.js";
import { placeRepeatedFacts } from "../../src/draft/repeats.js";
import type { SectionFacts } from "../../src/draft/types.js";
import { loadTemplate, type Section } from "../../src/template/load.js";
import { templateCopies } from "../helpers/template-copy.js";

const template = loadTemplate();
const words = { units: template.composer.units, filler: template.composer.composeFiller };
const TRAINING = "全年组织执法人员业务培训{times}场、{people}人次";
const TOWN: OrgBasics = { name: "洪梅镇", kind: "镇", superior: "东莞市", year: 2024 };

function section(id: string): Section {
  const found = template.section(id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

function chat(id: string, answers: Record<string, string>): SectionFacts {
  return {
    section: section(id),
    facts: Object.entries(answers).map(([q, text]) => ({ questionId: `${id}.${q}`, text })),
  };
}

describe("a compose sentence filled with the answer's figures", () => {
  it("takes each figure by its unit, whatever the order and wording of the answer", () => {
    expect(composeFigures(TRAINING, "办了3场，120人次参加", words)).toBe(
      "全年组织执法人员业务培训3场、120人次",
    );
    expect(composeFigures(TRAINING, "一共120人次参加了执法人员业务培训，共3场", words)).toBe(
      "全年组织执法人员业务培训3场、120人次",
    );
    expect(composeFigures(TRAINING, "3场 80余人次", words)).toBe(
      "全年组织执法人员业务培训3场、80余人次",
    );
  });

  it("refuses when a figure could be lost, misread or qualified", () => {
    const refused = [
      "3场，120人次，另有上级培训2次", // a figure no slot takes
      "3场培训，2场考试，120人次", // two figures of one unit
      "约3场，120人次", // qualified
      "3场，120人次以上",
      "3场，120人次，参加《执法证考前培训》", // a title
      "3场，120人次，但未考试", // words the sentence does not say
      "执法人员业务培训3场", // a slot without its figure
    ];
    for (const answer of refused)
      expect(composeFigures(TRAINING, answer, words), answer).toBeNull();
  });

  it("is used by the composer only where it keeps the answer, else the answer is written", () => {
    const ok = composeSection(TOWN, chat("enforcement", { training: "办了3场，120人次参加" }), {
      wording: template.composer,
    });
    expect(ok).toContain("是强化执法业务培训。全年组织执法人员业务培训3场、120人次。");
    const kept = composeSection(
      TOWN,
      chat("enforcement", { training: "3场培训，2场考试，120人次参加" }),
      { wording: template.composer },
    );
    expect(kept).toContain("是强化执法业务培训。3场培训，2场考试，120人次参加。");
  });
});

describe("formal wording from the data list", () => {
  const options = { wording: template.composer.formal, next: 2025 };

  it("rewords colloquial words and strips an answer's own numbering", () => {
    expect(formalize("一是没组织考试，一共3人自学", "我镇", options)).toBe(
      "未组织考试，共3人自学。",
    );
    expect(formalize("（一）举报箱、热线都开通了", "我镇", options)).toBe("举报箱、热线均已开通。");
    expect(
      formalize("1.县司法局专家来讲了1次\n2.平台在用，总体来讲运行良好", "我镇", options),
    ).toBe("县司法局专家开展1次；平台投入使用，总体来讲运行良好。");
  });

  it("writes the plan year for 明年 and 下一年度", () => {
    expect(formalize("明年6月前完成；下一年度再培训2次", "我镇", options)).toBe(
      "2025年6月前完成；2025年再培训2次。",
    );
  });

  it("never rewords inside a 《title》", () => {
    expect(formalize("学习《一共多少的规定》1次", "我镇", options)).toBe(
      "学习《一共多少的规定》1次。",
    );
  });
});

describe("shortcomings and plans", () => {
  const shortcomings = chat("shortcomings", {
    "problem-1": "执法人员持证率只有78%，有5名执法人员未取得执法证",
    "cause-1": "无",
    "problem-2": "普法覆盖不均",
    "cause-2": "人手少",
  });

  it("never writes a none sentence for a cause: a named problem needs its cause", () => {
    const text = composeSection(TOWN, shortcomings, { wording: template.composer });
    expect(text).toContain(
      "（一）执法人员持证率只有78%，有5名执法人员未取得执法证。原因分析：【待补充：",
    );
    expect(text).not.toContain("无相关情况");
  });

  it("names the problem a plan answers, and asks for a missing plan by that problem", () => {
    const text = composeSection(
      TOWN,
      chat("next-year", { "answer-1": "2025年6月前组织考前培训2期", "key-tasks": "完成述法" }),
      { wording: template.composer, shortcomings },
    );
    expect(text).toContain(
      "（一）切实解决执法人员持证率只有78%的问题。2025年6月前组织考前培训2期。",
    );
    expect(text).toContain("（二）抓好短板弱项整改。【待补充：针对“普法覆盖不均”的改进措施】");
  });
});

describe("a fact given twice", () => {
  it("stays only where its question fits it, the other question is left out, not marked", () => {
    const fact = "全年排查矛盾纠纷1471宗，化解1450宗";
    const request = {
      org: TOWN,
      sections: [
        chat("disputes", { mediation: fact }),
        chat("other", { "anything-else": fact, honours: "获评市级法治建设先进单位" }),
      ],
    };
    const placed = placeRepeatedFacts(request);
    const [disputes, other] = placed.sections;
    expect(disputes?.facts.map((f) => f.text)).toEqual([fact]);
    expect(other?.facts.map((f) => f.questionId)).toEqual(["other.honours"]);
    expect(other?.elsewhere).toEqual(["other.anything-else"]);
  });

  it("leaves answers alone when nothing repeats", () => {
    const request = { org: TOWN, sections: [chat("disputes", { mediation: "排查12件" })] };
    expect(placeRepeatedFacts(request)).toBe(request);
  });
});

describe("the composer's data in the template", () => {
  const brokenCopy = templateCopies();

  it("loads the word lists longest first and the compose sentences", () => {
    const froms = template.composer.formal.map((r) => r.from.length);
    expect(froms).toEqual(froms.toSorted((a, b) => b - a));
    expect(template.composer.units.indexOf("人次")).toBeLessThan(
      template.composer.units.indexOf("人"),
    );
    expect(template.question("enforcement.training")?.compose).toBe(TRAINING);
  });

  it("names the file and field of a slot standing before no known unit", () => {
    const dir = brokenCopy("sections/enforcement.yaml", (t) => t.replace("{times}场", "{times}轮"));
    expect(() => loadTemplate(dir)).toThrow(
      /sections\/enforcement\.yaml: questions\[6\]\.compose: slot \{times\} must stand before a unit/,
    );
  });

  it("names the file and field of a bad composer.yaml", () => {
    const dir = brokenCopy("composer.yaml", (t) => t.replace("from: 一共", "from: 一共2"));
    expect(() => loadTemplate(dir)).toThrow(
      /composer\.yaml: formal\[\d+\]\.from: must hold no figure/,
    );
  });
});
