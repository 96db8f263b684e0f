import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outputOf, type Run } from "../helpers/child.js";
import { documentXml, docxAround, TINY_PARAGRAPH } from "../helpers/zip-bomb.js";

/** `fazhi-report check` as a process, on hostile files: bombs and terminal escape sequences. */
const dir = mkdtempSync(join(tmpdir(), "fazhi-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ["bin/fazhi-report.js", "check", ...args], {
    cwd: process.cwd(),
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return outputOf(child);
}

const ESC = "\u001b";
/** Sets the terminal title, clears the screen, then rings the bell. */
const HOSTILE = `${ESC}]0;pwned\u0007${ESC}[2J`;

describe("check on hostile files", () => {
  it("refuses a 100 MB zip bomb with exit 2, in Chinese and English", async () => {
    const bomb = docxAround(documentXml(Math.ceil((100 * 1024 * 1024) / TINY_PARAGRAPH.length)));
    const file = join(dir, "bomb.docx");
    writeFileSync(file, bomb);
    const run = await check(file);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "错误：文件过大或已损坏：“bomb.docx”解压后的内容超出上限，无法读取。请删去图片或附件，在 Word 或 WPS 中重新保存后再发送\n" +
        'Error: file too large or damaged: "bomb.docx" expands beyond the limits and cannot be read; remove pictures or attachments, save it again in Word or WPS and resend\n',
    );
  });

  it("prints escape sequences of a file name and its text escaped", async () => {
    const file = join(dir, `${HOSTILE}报告.txt`);
    writeFileSync(
      file,
      `某镇2024年法治政府建设情况报告${HOSTILE}\n一、主要举措和成效\n开展学法2次。`,
    );
    const run = await check(file);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).not.toContain("\u0007");
    expect(run.stdout.split("\n")[0]).toMatch(
      /^检查结果（\\u001b\]0;pwned\\u0007\\u001b\[2J报告\.txt）：/,
    );
    expect(run.stdout).toContain("\\u001b[2J");
  });

  it("keeps --json valid while escaping what JSON leaves raw (C1 controls)", async () => {
    const file = join(dir, "c1.txt");
    writeFileSync(
      file,
      "某镇2024年法治政府建设情况报告\u009b2J\n一、主要举措和成效\n开展学法2次。",
    );
    const run = await check(file, "--json");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("\u009b");
    expect(run.stdout).toContain("\\u009b");
    // The escape is JSON's own: the parsed text keeps the character.
    expect(JSON.stringify(JSON.parse(run.stdout))).toContain("\u009b");
  });

  it("names an unreadable file with its escape sequences shown", async () => {
    const run = await check(join(dir, `${HOSTILE}.pdf`));
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain(ESC);
  });
});
