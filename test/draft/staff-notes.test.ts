import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isNoneAnswer } from "../../src/draft/formal.js";
import { replaceNotes } from "../../src/draft/staff-notes.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate } from "../../src/template/load.js";
import { findStaffNotes, loadStaffNotes } from "../../src/template/notes.js";
import { templateCopies } from "../helpers/template-copy.js";

const notes = loadStaffNotes(DEFAULT_TEMPLATE_DIR);

describe("the staff-note list (prompts/township-annual/notes.yaml)", () => {
  it("holds the notes staff type instead of a fact", () => {
    for (const note of ["待查", "待统计", "待核实", "不清楚", "不详", "没有统计", "暂无数据"])
      expect(notes).toContain(note);
    expect(loadTemplate().staffNotes).toEqual(notes);
  });

  const copy = templateCopies();
  const copyWith = (file: string, content: string) => copy(file, () => content);

  it("a broken notes.yaml or drafting.yaml stops loading with the file and field named", () => {
    expect(() => loadTemplate(copyWith("notes.yaml", "notes: [待查, 待查]\n"))).toThrow(
      /notes\.yaml: notes: duplicate note/,
    );
    expect(() => loadTemplate(copyWith("notes.yaml", "words: [待查]\n"))).toThrow(/notes\.yaml/);
    const rules = readFileSync(join(DEFAULT_TEMPLATE_DIR, "drafting.yaml"), "utf8");
    expect(() =>
      loadTemplate(copyWith("drafting.yaml", rules.replaceAll("【材料结束】", "材料结束"))),
    ).toThrow(/drafting\.yaml: rules: the rules must name the data markers/);
  });
});

describe("findStaffNotes", () => {
  it.each([
    ["待查", ["待查"]],
    ["规范性文件5份，印发日期待查", ["印发日期待查"]],
    ["三是聘请法律顾问。不清楚。", ["不清楚"]],
    ["没有统计", ["没有统计"]],
    ["调解纠纷56件，满意度待统计，回访情况不详", ["待统计", "不详"]],
    ["全年调解纠纷56件。", []],
    ["法律顾问经费【待补充：法律顾问经费】。", []],
    // Content, not notes: a longer word, a judgement about someone.
    ["执法案卷记录不详细，个别案件说理不充分", []],
    ["部分干部对权责清单不清楚，学法不够深入", []],
    ["送达日期不详，待核实后补报", ["不详", "待核实"]],
  ])("%s", (text, expected) => {
    expect(findStaffNotes(text, notes)).toEqual(expected);
  });
});

describe("a note in an answer becomes a gap in place", () => {
  it.each([
    ["印发规范性文件5份，印发日期待查", "印发规范性文件5份，【待补充：印发日期】", ["印发日期"]],
    ["清理文件12件，其中保留件数待统计。", "清理文件12件，【待补充：保留件数】。", ["保留件数"]],
    [
      "聘请法律顾问；不清楚",
      "聘请法律顾问；【待补充：聘请法律顾问的具体情况】",
      ["聘请法律顾问的具体情况"],
    ],
    ["待查", "【待补充：问题所问】", ["问题所问"]],
    ["全年调解纠纷56件", "全年调解纠纷56件", []],
  ])("%s", (text, expected, labels) => {
    expect(replaceNotes(text, notes, "问题所问")).toEqual({ text: expected, labels });
  });

  it("没有统计 and 未统计 are notes, not none answers", () => {
    expect(isNoneAnswer("没有统计")).toBe(false);
    expect(isNoneAnswer("未统计")).toBe(false);
    expect(isNoneAnswer("没有")).toBe(true);
  });
});
