import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { questionsOf } from "../src/interview/progress.js";
import { Store } from "../src/store/store.js";
import { PASTE_END, PASTE_START } from "../src/terminal/input.js";
import { tempDir, template } from "./helpers/harness.js";
import { seedsDir } from "./helpers/seeds-dir.js";

/**
 * The terminal chat as a person meets it: `fazhi-report chat` on a pseudo-terminal made by
 * `script` (util-linux), keystrokes and pastes written to it, Ctrl+D at the end.
 */

const run = promisify(execFile);
const BIN = resolve("bin/fazhi-report.js");
const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function terminal(typed: string, storeFile: string, cwd = process.cwd()): Promise<string> {
  const child = run("script", ["-qec", `node ${BIN} chat`, "/dev/null"], {
    cwd,
    env: {
      ...process.env,
      STORE_URL: `sqlite://${join(tmp.dir, storeFile)}`,
      TELEGRAM_BOT_TOKEN: "",
    },
  });
  child.child.stdin?.end(`${typed}\x04`);
  return (await child).stdout.replaceAll("\r\n", "\n");
}

const paste = (text: string) => `${PASTE_START}${text}${PASTE_END}\n`;
const lines = (...typed: string[]) => typed.map((l) => `${l}\n`).join("");
const REGISTER = lines("/start", "洪梅镇", "镇", "东莞市", "2025");

async function answersIn(storeFile: string): Promise<Map<string, string>> {
  const store = Store.open(`sqlite://${join(tmp.dir, storeFile)}`);
  try {
    const member = await store.getMember(10_001);
    const org = member && (await store.getOrg(member.orgId));
    if (!org) throw new Error("not registered");
    const answers = await store.answersOf(org, template);
    return new Map([...answers].map(([id, a]) => [id, a.text]));
  } finally {
    await store.close();
  }
}

const REPORT = [
  "洪梅镇2024年法治政府建设情况报告",
  "一、主要举措和成效",
  "（一）加强党的领导",
  "全年学法4次。",
  "（二）依法履职",
  "权责清单已公布。",
  "二、存在的不足",
  "法治队伍力量薄弱。",
  "三、2025年工作安排",
  "加强学习。",
].join("\n");

describe("the terminal chat on a pseudo-terminal", () => {
  it("takes a paste and a block as one answer each, and asks before saving a report", async () => {
    const out = await terminal(
      REGISTER +
        paste("依据文件一\n依据文件二") +
        lines('"""', "本级文件一", "", "本级文件二", '"""') +
        paste(REPORT) +
        lines("3"),
      "paste.sqlite",
    );
    // The program asked the terminal to mark pastes.
    expect(out).toContain("\x1b[?2004h");
    expect(out).toContain("这条消息像是一整份报告，还没有保存。要怎么处理？");
    expect(out).toContain("[1] 检查这份报告");
    expect(out).toContain("没有保存。");
    const answers = await answersIn("paste.sqlite");
    expect(answers.get("intro.basis-superior")).toBe("依据文件一\n依据文件二");
    expect(answers.get("intro.basis-own")).toBe("本级文件一\n\n本级文件二");
    expect([...answers.keys()]).toHaveLength(2);
  });

  it("greets with where the office stands after a restart, and /help shows terminal ways only", async () => {
    await terminal(REGISTER + lines("依据文件", "本级文件"), "restart.sqlite");
    const out = await terminal(lines("/help"), "restart.sqlite");
    const total = questionsOf(template).length;
    expect(out).toContain(`「洪梅镇」2025年度法治政府建设报告：已答 2/${total} 题。`);
    const third = template.sections[0]?.questions[2]?.text.slice(0, 10) ?? "?";
    expect(out).toContain(`下一道必答题：【导语】${third}`);
    expect(out).toContain("常用命令：/next 下一题");
    expect(out).toContain('或用单独一行 """ 开始、再用一行 """ 结束');
    expect(out).toContain("/check 路径 检查一份报告文件");
    expect(out).not.toMatch(/回复（引用）|直接发送 \.docx|点击/);
  });

  it("checks a file with /check 路径 and with a path on the next prompt", async () => {
    const seeds = seedsDir();
    const out = await terminal(
      lines(
        `/check ${join(seeds, "panlong-2023.txt")}`,
        "/check",
        join(seeds, "yanshan-2020.txt"),
        `/check ${join(tmp.dir, "没有这个文件.docx")}`,
      ),
      "check.sqlite",
    );
    expect(out).toContain("检查结果（panlong-2023.txt）：");
    expect(out).toContain("请输入要检查的报告文件路径");
    expect(out).toContain("检查结果（yanshan-2020.txt）：");
    expect(out).toContain("找不到文件“没有这个文件.docx”。");
  });

  it("asks before saving a path as an answer, and checks the file when told", async () => {
    const seed = join(seedsDir(), "panlong-2023.txt");
    const out = await terminal(REGISTER + lines(seed, "1", `'${seed}'`, "2"), "path.sqlite");
    expect(out).toContain("这条消息像是一个文件路径，还没有保存。要怎么处理？");
    expect(out).toContain("检查结果（panlong-2023.txt）：");
    // Told to save it, the path is the answer, as typed (its leading "/" is no command).
    expect((await answersIn("path.sqlite")).get("intro.basis-superior")).toBe(`'${seed}'`);
  });

  it("writes exports to ./exports and prints the path", async () => {
    const out = await terminal(
      REGISTER + lines("依据文件", "/draft", "导出Word"),
      "export.sqlite",
      tmp.dir,
    );
    const path = join(tmp.dir, "exports", "洪梅镇2025年度法治政府建设情况报告.docx");
    expect(out).toContain(`已保存文件：${path}`);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(".gitignore", "utf8").split("\n")).toContain("exports/");
  });
});
