import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { type Candidate, findCandidates } from "../../src/import/candidates.js";
import { readMaterialBuffer } from "../../src/import/read-material.js";
import { docxOf } from "../check/docx.js";
import { seedText } from "../check/seeds.js";
import { importContext } from "./context.js";

/**
 * Candidate answers found offline. Our labels: the answers we would give from panlong-2023 (its
 * figures per question); the finder must propose at least 60% of those figures for the right
 * question, quote only sentences of the file, and propose nothing for topics the file never names.
 */

const ctx = importContext();
const panlong = seedText("panlong-2023");
const found = findCandidates({ text: panlong, source: "panlong-2023.txt" }, ctx);

/** The figures of the answers we would give, per question. */
const LABELS: Record<string, string[]> = {
  "leadership.study": ["2次"],
  "leadership.training": ["2次", "1次", "5次"],
  "functions.power-list": ["153项"],
  "functions.service": ["2875件", "100%"],
  "functions.one-window": ["6个"],
  "decisions.procedure": ["1次"],
  "enforcement.team": ["53人", "100%", "90%"],
  "enforcement.cases": ["273件"],
  "enforcement.enterprise-checks": ["105次"],
  "emergency.inspections": ["18次", "70余人次", "95家次"],
  "emergency.drills": ["4974户", "13587人", "27户", "41人", "80余人"],
  "disputes.petitions": ["52件", "120人次"],
  "disputes.mediation": ["150起", "128起", "86%", "17起"],
  "disputes.mechanism": ["12次"],
};

function proposedFor(questionId: string, candidates: Candidate[]): string {
  return candidates
    .filter((c) => c.questionId === questionId)
    .map((c) => c.text)
    .join("\n");
}

describe("candidates from a seed report used as material", () => {
  it("proposes at least 60% of the labelled figures for the right question", () => {
    const figures = Object.entries(LABELS).flatMap(([id, list]) => list.map((f) => [id, f]));
    const hit = figures.filter(([id = "", figure = ""]) => proposedFor(id, found).includes(figure));
    expect(hit.length / figures.length).toBeGreaterThanOrEqual(0.6);
  });

  it("quotes only sentences of the file, verbatim", () => {
    expect(found.length).toBeGreaterThan(10);
    for (const c of found) expect(panlong.includes(c.quote), c.quote).toBe(true);
    expect(new Set(found.map((c) => c.source))).toEqual(new Set(["panlong-2023.txt"]));
  });

  it("proposes nothing for a topic the file never names", () => {
    const never = [
      "rules.fair-competition",
      "publicity.mingbairen",
      "publicity.model-villages",
      "disputes.suggestions",
      "disputes.review",
      "functions.one-thing",
      "supervision.npc",
      "enforcement.soft",
    ];
    for (const id of never) expect(proposedFor(id, found), id).toBe("");
  });

  it("takes nothing from the shortcomings or next year's plans", () => {
    const notAnswers = ["积极学习先进经验", "依托“八五”普法", "法律专业人才短缺"];
    for (const start of notAnswers) {
      expect(found.filter((c) => c.quote.includes(start))).toEqual([]);
    }
  });
});

/** A 台账 of legal-publicity events, as staff keep them in Excel. */
async function publicityLedger(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("普法台账");
  sheet.addRow([
    "日期",
    "活动名称",
    "普法活动场次（场）",
    "覆盖人数（人次）",
    "发放宣传资料（份）",
  ]);
  sheet.addRow(["2024-03-05", "“法律进乡村”普法活动", 4, 620, 1500]);
  sheet.addRow(["2024-12-04", "宪法宣传周集中宣传", 2, 380, 900]);
  workbook.addWorksheet("备注").addRow(["这张表不读"]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe("a 台账 as .xlsx", () => {
  it("reads the first sheet as rows of 列名：值, numbers with their column's unit", async () => {
    const material = await readMaterialBuffer(await publicityLedger(), "普法台账.xlsx");
    expect(material.source).toBe("普法台账.xlsx");
    expect(material.text.split("\n")).toEqual([
      "日期：2024-03-05，活动名称：“法律进乡村”普法活动，普法活动场次（场）：4场，覆盖人数（人次）：620人次，发放宣传资料（份）：1500份。",
      "日期：2024-12-04，活动名称：宪法宣传周集中宣传，普法活动场次（场）：2场，覆盖人数（人次）：380人次，发放宣传资料（份）：900份。",
    ]);
  });

  it("proposes each row for the publicity questions, quoting the row", async () => {
    const material = await readMaterialBuffer(await publicityLedger(), "普法台账.xlsx");
    const candidates = findCandidates(material, ctx);
    const activities = candidates.filter((c) => c.questionId === "publicity.activities");
    expect(activities.map((c) => c.quote)).toEqual(material.text.split("\n"));
    const keyDates = candidates.filter((c) => c.questionId === "publicity.key-dates");
    expect(keyDates.map((c) => c.text)).toEqual([material.text.split("\n")[1]]);
    const sections = new Set(candidates.map((c) => ctx.template.question(c.questionId)?.sectionId));
    expect(sections).toEqual(new Set(["publicity"]));
  });
});

const MINUTES = `盘石镇党政联席会议纪要
时间：2024年4月8日
一、会议听取了司法所关于一季度矛盾纠纷排查化解情况的汇报。一季度共排查矛盾纠纷36件，调解成功34件，调解成功率94.4%。
二、会议研究了镇法律顾问续聘事宜，同意续聘某某律师事务所担任镇政府法律顾问，年度经费3万元。
三、会议要求各村下季度完成村规民约修订。`;

describe("a meeting minute as .docx", () => {
  it("proposes the dispute figures and the legal adviser, and nothing from the plans", async () => {
    const material = await readMaterialBuffer(await docxOf(MINUTES), "党政联席会议纪要.docx");
    const candidates = findCandidates(material, ctx);
    const byQuestion = (id: string) => candidates.filter((c) => c.questionId === id);
    expect(byQuestion("disputes.mediation").map((c) => c.quote)).toEqual([
      "一季度共排查矛盾纠纷36件，调解成功34件，调解成功率94.4%。",
    ]);
    expect(byQuestion("decisions.advisor")[0]?.quote).toBe(
      "二、会议研究了镇法律顾问续聘事宜，同意续聘某某律师事务所担任镇政府法律顾问，年度经费3万元。",
    );
    expect(byQuestion("rules.village-rules")).toEqual([]);
    for (const c of candidates) expect(material.text.includes(c.quote)).toBe(true);
  });
});

describe("a Markdown summary", () => {
  it("proposes body lines, not headings, with the marks off the answer but kept in the quote", () => {
    const text =
      "# 某镇2024年法治工作总结\n## 一、开展普法活动30场\n- 全年开展普法活动30场，覆盖群众5000人次。\n";
    expect(findCandidates({ text, source: "总结.md" }, ctx)).toEqual([
      {
        questionId: "publicity.activities",
        text: "全年开展普法活动30场，覆盖群众5000人次。",
        quote: "- 全年开展普法活动30场，覆盖群众5000人次。",
        source: "总结.md",
      },
    ]);
  });
});
