import { describe, expect, it } from "vitest";
import { looksLikeReport, pathIn } from "../src/terminal/guard.js";
import { MessageReader, PASTE_END, PASTE_START } from "../src/terminal/input.js";

/** The messages a sequence of typed lines makes. */
function messages(lines: string[]): string[] {
  const reader = new MessageReader();
  const out: string[] = [];
  for (const line of lines) {
    const message = reader.push(line);
    if (message !== undefined) out.push(message);
  }
  const last = reader.end();
  if (last !== undefined) out.push(last);
  return out;
}

describe("typed lines become messages", () => {
  it("takes each plain line as one message and skips blank ones", () => {
    expect(messages(["甲", "", "  ", "乙"])).toEqual(["甲", "乙"]);
  });

  it("takes a bracketed paste as one message, also on one line", () => {
    expect(
      messages([`${PASTE_START}第一行`, "", "第三行", `第四行${PASTE_END}`, "下一条"]),
    ).toEqual(["第一行\n\n第三行\n第四行", "下一条"]);
    expect(messages([`${PASTE_START}一行${PASTE_END}`])).toEqual(["一行"]);
  });

  it('joins a """ block, and a block opened after a command', () => {
    expect(messages(['"""', "一、主要工作", "", "（一）学法", '"""', "后面"])).toEqual([
      "一、主要工作\n\n（一）学法",
      "后面",
    ]);
    expect(messages(['/check """', "一、主要工作", '"""'])).toEqual(["/check \n一、主要工作"]);
  });

  it("continues a line that ends in a backslash", () => {
    expect(messages(["全年培训3场，\\", "共120人次。", "下一条"])).toEqual([
      "全年培训3场，\n共120人次。",
      "下一条",
    ]);
  });

  it("sends what an unclosed block holds when the input ends", () => {
    expect(messages(['"""', "没写完"])).toEqual(["没写完"]);
  });
});

describe("messages that are no answer", () => {
  it("recognises a path, quoted or not, and nothing else", () => {
    expect(pathIn("/home/user/报告.docx")).toBe("/home/user/报告.docx");
    expect(pathIn("'./2024年报告.txt'")).toBe("./2024年报告.txt");
    expect(pathIn("报告.md")).toBe("报告.md");
    expect(pathIn("C:\\Users\\报告.docx")).toBe("C:\\Users\\报告.docx");
    expect(pathIn("全年开展培训3次")).toBeUndefined();
    expect(pathIn("a.txt\nb.txt")).toBeUndefined();
  });

  it("takes many lines with several headings for a report, not a long answer", () => {
    const report = [
      "洪梅镇2024年法治政府建设情况报告",
      "一、主要举措和成效",
      "（一）加强党的领导",
      "全年学法4次。",
      "（二）依法履职",
      "权责清单已公布。",
      "二、存在的不足",
      "法治队伍力量薄弱。",
      "三、下一年度工作安排",
    ].join("\n");
    expect(looksLikeReport(report)).toBe(true);
    const answer = ["1. 培训3场", "2. 考试1次", "3. 旁听庭审1次", "4. 述法2人"].join("\n");
    expect(looksLikeReport(answer)).toBe(false);
  });
});
