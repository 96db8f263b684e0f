import { afterAll, describe, expect, it } from "vitest";
import { chatScript as runScript } from "./helpers/chat-script.js";
import { tempDir, template } from "./helpers/harness.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** `fazhi-report chat --script` on a SQLite file of its own in this file's temp folder. */
const chatScript = (name: string, lines: string[]) => runScript(tmp.dir, name, lines);

/** Every question in interview order gets an answer, except those of the `skipped` sections. */
function interviewLines(skipped: string[]): string[] {
  const lines = ["/start", "测试镇", "镇", "测试县", "2025"];
  for (const section of template.sections) {
    section.questions.forEach((_, i) => {
      lines.push(
        skipped.includes(section.id)
          ? "/skip"
          : `${section.title}第${i + 1}题的回答：共开展${i + 3}次。`,
      );
    });
  }
  lines.push("/missing");
  return lines;
}

/** The text printed after the last "> /missing" line. */
function lastMissing(stdout: string): string {
  return stdout.slice(stdout.lastIndexOf("> /missing") + "> /missing".length).trim();
}

describe("fazhi-report chat --script", () => {
  it("registers a town, answers every question, and /missing reports nothing missing", async () => {
    const stdout = await chatScript("full", interviewLines([]));
    expect(stdout).toContain("已登记：测试镇（镇，上级：测试县），2025年度法治政府建设报告。");
    expect(stdout).toContain("所有问题都已过了一遍。必答题已全部完成，可发送 /draft 起草。");
    expect(lastMissing(stdout)).toBe("✅ 必答内容已全部填写，没有缺项。");
  });

  it("names exactly the two skipped sections in /missing", async () => {
    const stdout = await chatScript("skipped", interviewLines(["rules", "shortcomings"]));
    const missing = lastMissing(stdout);
    expect(missing.split("\n")[0]).toBe("还缺 2 个必答章节的内容：");
    const named = missing.split("\n").filter((l) => l.startsWith("▶ "));
    expect(named).toEqual([
      "▶ （三）完善依法行政制度体系（缺 4 题）",
      "▶ 三、存在的不足和原因（缺 4 题）",
    ]);
    expect(missing).toContain("[1] 去填写：（三）完善依法行政制度体系");
    expect(missing).toContain("[2] 去填写：三、存在的不足和原因");
  });

  it('takes a """ block and a line ending in \\ as one message each', async () => {
    const stdout = await chatScript("blocks", [
      ...["/start", "测试镇", "镇", "测试县", "2025"],
      '"""',
      "上级文件一",
      "上级文件二",
      '"""',
      "本级文件一，\\",
      "本级文件二",
      "/status",
    ]);
    expect(stdout).toContain("\n> 上级文件一\n> 上级文件二\n✅ 已保存：");
    expect(stdout).toContain("\n> 本级文件一，\n> 本级文件二\n✅ 已保存：");
    // Two answers, not four.
    expect(stdout).toMatch(/填写进度 2\/\d+/);
  });
});
