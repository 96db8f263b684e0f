import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chatScript as runScript } from "./helpers/chat-script.js";
import { tempDir } from "./helpers/harness.js";
import { seedsDir } from "./helpers/seeds-dir.js";

/** `/import 路径` and `/check 路径` in the terminal chat, through `fazhi-report chat --script`. */

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const LAST_YEAR = join(tmp.dir, "盘龙2023.txt");
copyFileSync(join(seedsDir(), "panlong-2023.txt"), LAST_YEAR);
// This year's report reports on 三项制度 only.
const THIS_YEAR = join(tmp.dir, "2024.txt");
writeFileSync(
  THIS_YEAR,
  `测试镇关于2024年度法治政府建设情况的报告
一、主要举措和成效
（一）坚持严格规范公正文明执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核“三项制度”，全年组织执法人员培训3次。
二、存在的不足和原因
宣传教育覆盖面仍然不够。
三、下一年度推进法治政府建设的主要安排
加强普法宣传，开展普法活动20场。
`,
);

/** `fazhi-report chat --script` on a SQLite file of its own in this file's temp folder. */
const chatScript = (name: string, lines: string[]) => runScript(tmp.dir, name, lines);

/** What the chat printed after the script line `line` (up to the next echoed line). */
function printedAfter(stdout: string, line: string): string {
  const start = stdout.indexOf(`> ${line}\n`);
  if (start < 0) throw new Error(`no line "${line}" in the output`);
  const rest = stdout.slice(start + line.length + 3);
  const end = rest.indexOf("\n> ");
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

describe("the terminal chat reads files by path", () => {
  it("asks a member what /import's file is, reads last year's report, and /check accounts for its plans", async () => {
    const out = await chatScript("member", [
      "/start",
      "测试镇",
      "镇",
      "测试县",
      "2024",
      `/import ${LAST_YEAR}`,
      "1",
      `/check ${THIS_YEAR}`,
      `/import ${LAST_YEAR} 材料`,
      "/help",
    ]);
    // The command said import: the choice leaves out the check.
    expect(printedAfter(out, `/import ${LAST_YEAR}`)).toBe(
      "收到《盘龙2023.txt》。这是什么文件？\n  [1] 这是去年的年度报告\n  [2] 这是今年的工作材料",
    );
    expect(printedAfter(out, "1")).toMatch(
      /^已读取去年的报告《盘龙2023\.txt》（2023年度）：下一年度安排 3 项/u,
    );
    const checked = printedAfter(out, `/check ${THIS_YEAR}`);
    expect(checked).toMatch(/^检查结果（2024\.txt）/u);
    expect(checked).toContain(
      "去年报告提出的下一年度安排共 3 项，其中 2 项在今年的报告中没有提到：",
    );
    expect(checked).toContain(
      "· 去年报告提出的‘进一步加强社会面法制教育宣传’在今年的报告中没有提到",
    );
    // A word after the path says what it is: candidates at once.
    expect(printedAfter(out, `/import ${LAST_YEAR} 材料`)).toMatch(
      /^从《盘龙2023\.txt》中找到 \d+ 条候选回答/u,
    );
    expect(printedAfter(out, "/help")).toContain("/import 路径 [去年|材料]");
  });

  it("offers someone not yet registered the office /import's report names, and refuses a missing file", async () => {
    const missing = join(tmp.dir, "没有这个文件.docx");
    const out = await chatScript("stranger", [`/import ${LAST_YEAR}`, "1", `/import ${missing}`]);
    expect(printedAfter(out, `/import ${LAST_YEAR}`)).toBe(
      "从《盘龙2023.txt》中读到：盘龙彝族乡（乡），上级：砚山县。\n" +
        "要用这些信息登记本单位、填写2024年度报告吗？登记后会读取这份报告的下一年度安排和存在的不足。\n" +
        "  [1] 采用这些信息\n  [2] 自己填写",
    );
    const registered = printedAfter(out, "1");
    expect(registered).toMatch(
      /^已登记：盘龙彝族乡（乡，上级：砚山县），2024年度法治政府建设报告。/u,
    );
    expect(registered).toContain("已读取去年的报告《盘龙2023.txt》（2023年度）");
    expect(printedAfter(out, `/import ${missing}`)).toContain("找不到文件“没有这个文件.docx”");
  });
});
