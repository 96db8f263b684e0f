import { describe, expect, it } from "vitest";
import { type DraftResult, draftReport } from "../../src/draft/drafter.js";
import { fillPlaceholders } from "../../src/draft/formal.js";
import { requestFromFile } from "../../src/draft/request.js";
import type { DraftRequest } from "../../src/draft/types.js";
import { createLogger } from "../../src/log.js";
import { loadTemplate } from "../../src/template/load.js";
import { findStaffNotes } from "../../src/template/notes.js";

/**
 * Golden properties of the offline draft (no LLM) for every answer set derived from a seed
 * report (test/fixtures/answers/): what makes it read as a 公文 report, section by section.
 */

const template = loadTemplate();

interface Golden {
  file: string;
  /** The 落款 date the rule gives (written out here from the calendar, not computed). */
  signoff: string;
  /** Why that date. */
  because: string;
}

const SETS: Golden[] = [
  {
    file: "panlong-2023.json",
    signoff: "2024年3月14日",
    because: "15 March 2024 is a Friday: the Thursday before",
  },
  {
    file: "yanshan-2020.json",
    signoff: "2021年3月12日",
    because: "15 March 2021 is a Monday: the Friday before",
  },
  {
    file: "jinshandian-2024.json",
    signoff: "2025年3月10日",
    because: "the answers file sets org.signoff 2025-03-10",
  },
];

const NUMERAL = "[一二三四五六七八九十]+";
const logger = createLogger("error");

async function offlineDraft(file: string): Promise<{ request: DraftRequest; result: DraftResult }> {
  const request = requestFromFile(template, `test/fixtures/answers/${file}`);
  const result = await draftReport({ template, logger }, request);
  return { request, result };
}

/**
 * Sentences of a section body, without the sub-item numbering, long enough to state a fact (a
 * short theme such as "加强执法队伍建设" may head both a measure and the plan continuing it).
 */
function sentences(text: string): string[] {
  return text
    .split(/[。；！？\n]/u)
    .map((s) =>
      s
        .trim()
        .replace(new RegExp(`^(?:（${NUMERAL}）|${NUMERAL}是)`, "u"), "")
        .replace(/^原因分析：/u, ""),
    )
    .filter((s) => s.length >= 12 && !s.startsWith("【待补充"));
}

function body(result: DraftResult, id: string): string {
  return result.sections.find((s) => s.id === id)?.text ?? "";
}

describe.each(SETS)("the offline draft of $file", ({ file, signoff, because }) => {
  const drafted = offlineDraft(file);

  it("is composed offline, every figure grounded in an answer", async () => {
    const { result } = await drafted;
    expect(result.sections.every((s) => s.source === "offline")).toBe(true);
    expect(result.ungrounded).toEqual([]);
  });

  it("never doubles a numbering (一是一是, （三）三是)", async () => {
    const { result } = await drafted;
    expect(result.text).not.toMatch(new RegExp(`${NUMERAL}是${NUMERAL}是`, "u"));
    expect(result.text).not.toMatch(new RegExp(`（${NUMERAL}）${NUMERAL}是`, "u"));
    expect(result.text).not.toMatch(new RegExp(`（${NUMERAL}）（${NUMERAL}）`, "u"));
    expect(result.text).not.toMatch(/[是）]\s*\d+[.、．](?!\d)/u);
  });

  it("states no sentence in two sections", async () => {
    const { result } = await drafted;
    const where = new Map<string, string>();
    for (const s of result.sections) {
      for (const sentence of new Set(sentences(s.text))) {
        expect(where.get(sentence), `${sentence} in ${s.id}`).toBeUndefined();
        where.set(sentence, s.id);
      }
    }
    expect(where.size).toBeGreaterThan(20);
  });

  it("writes every sub-item of a measures section as a paragraph of its own", async () => {
    const { result } = await drafted;
    for (const s of template.sections.filter((x) => x.part === "measures")) {
      const lines = body(result, s.id).split("\n");
      const items = lines.flatMap((l) => l.match(new RegExp(`(?:^|。)${NUMERAL}是`, "gu")) ?? []);
      // At most one 一是…二是… per paragraph.
      expect(items.length, s.id).toBeLessThanOrEqual(lines.length);
    }
  });

  it("gives every shortcoming its own （n） and a cause right after it", async () => {
    const { result } = await drafted;
    const [opening, ...items] = body(result, "shortcomings").split("\n");
    expect(opening).toMatch(/仍存在一些不足：$/);
    expect(items.length).toBeGreaterThanOrEqual(2);
    items.forEach((item, i) => {
      expect(item.startsWith(`（${"一二三四五六七八九十"[i]}）`), item).toBe(true);
      expect(item.match(/原因分析：/g), item).toHaveLength(1);
      expect(item).not.toContain("无相关情况");
    });
  });

  it("themes every plan and states the plan year, never 下一年度", async () => {
    const { request, result } = await drafted;
    const text = body(result, "next-year");
    const [opening, ...items] = text.split("\n");
    expect(opening?.startsWith(`${request.org.year + 1}年，`)).toBe(true);
    expect(text).not.toMatch(/下一?年度|明年/);
    for (const item of items) {
      // "（一）加强执法队伍建设。…": a short theme sentence first.
      expect(item, item).toMatch(new RegExp(`^（${NUMERAL}）[^。，；：\\d]{4,24}。\\S`, "u"));
      expect(item).not.toMatch(/第[一二三]个不足/);
    }
  });

  it("keeps no colloquial word of the data list and no staff note", async () => {
    const { result } = await drafted;
    // Titles are quoted as written; markers quote the question.
    const outsideTitles = result.text.replace(/《[^》]*》|【[^】]*】/g, "");
    for (const { from, to } of template.composer.formal) {
      // "请县" is part of its own report form "邀请县".
      const text = to.endsWith(from) ? outsideTitles.split(to).join("") : outsideTitles;
      expect(text, from).not.toContain(from);
    }
    expect(outsideTitles).not.toMatch(/我们|咱们|今年/);
    expect(findStaffNotes(result.text, template.staffNotes)).toEqual([]);
  });

  it("writes a none sentence only for an explicit none answer", async () => {
    const { request, result } = await drafted;
    const answered = new Set(
      request.sections.flatMap((s) => s.facts.flatMap((f) => (f.questionId ? [f.questionId] : []))),
    );
    for (const s of template.sections) {
      for (const q of s.questions) {
        if (answered.has(q.id) || !q.none) continue;
        expect(result.text, q.id).not.toContain(fillPlaceholders(q.none, request.org));
      }
    }
    expect(result.text).not.toContain("无相关情况");
  });

  it(`signs with the report's own date (${because})`, async () => {
    const { request, result } = await drafted;
    const lines = result.text.trimEnd().split("\n");
    expect(lines.at(-1)).toBe(signoff);
    expect(lines.at(-2)).toBe(`${request.org.name}人民政府`);
  });

  it("opens the intro once with who led and what guided the work", async () => {
    const { result } = await drafted;
    const intro = body(result, "intro");
    expect(intro.match(/领导下/g)).toHaveLength(1);
    expect(intro.match(/为指导/g)).toHaveLength(1);
    expect(intro.endsWith("现将有关情况报告如下：")).toBe(true);
  });
});

describe("the offline draft of jinshandian-2024.json in particular", () => {
  const drafted = offlineDraft("jinshandian-2024.json");

  it("writes a figure answer through its question's compose sentence", async () => {
    const { result } = await drafted;
    expect(body(result, "enforcement")).toContain(
      "五是强化执法业务培训。全年组织执法人员业务培训4场、96人次。",
    );
    expect(body(result, "enforcement")).toContain(
      "我镇综合行政执法队伍现有执法人员12名，其中持行政执法证12人，持证率100%。",
    );
  });

  it("states a fact asked twice once, where its question fits it best", async () => {
    const { result } = await drafted;
    const fact = "召开2次专题会议研究部署法治政府建设工作";
    expect(result.text.split(fact)).toHaveLength(2);
    expect(body(result, "first-responsible")).toContain(fact);
    // The question it was left out of is not asked for again.
    expect(body(result, "leadership")).not.toContain("议事协调机构");
  });

  it("pairs the third and fourth problem with their own causes and plans", async () => {
    const { result } = await drafted;
    const shortcomings = body(result, "shortcomings");
    expect(shortcomings).toContain(
      "（三）法治文化阵地建设不平衡。原因分析：部分村重视不够，投入不足。",
    );
    expect(shortcomings).toContain(
      "（四）规范性文件清理不够及时。原因分析：文件清理没有固定机制。",
    );
    // An answered "无" for a cause is no cause: the marker asks for it instead of a false claim.
    expect(shortcomings).toContain(
      "（二）普法宣传覆盖不均，偏远村组的群众参与少。原因分析：【待补充：",
    );
    const plans = body(result, "next-year");
    expect(plans).toContain("（一）加强执法队伍建设。针对执法队伍专业化程度不高的问题，2025年组织");
    expect(plans).toContain("（三）深化法治文化建设。针对法治文化阵地建设不平衡的问题，");
  });
});
