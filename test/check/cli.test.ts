import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCommand } from "../../src/cli/check.js";
import { capturedIo } from "../helpers/command-io.js";
import { scratchDir } from "../helpers/scratch.js";
import { docxOf } from "./docx.js";
import { encodeGbk } from "./gbk.js";
import { fixturePath, SEED_NAMES, seedText } from "./seeds.js";

/** `fazhi-report check FILE [--json] [--year N] [--last-year FILE]` through checkCommand. */

const { dir, write } = scratchDir("fazhi-cli-");

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, out } = capturedIo();
  return { code: await checkCommand(args, io), ...out };
}

describe("check FILE", () => {
  it("prints a readable Chinese verdict and exits 0", async () => {
    const { code, stdout, stderr } = await run(write("panlong-2023.txt", seedText("panlong-2023")));
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("检查结果（panlong-2023.txt）：齐全 16 项，单薄 3 项，缺少 3 项");
    expect(lines).toContain("✓ 标题：“盘龙彝族乡2023年法治政府建设工作报告”");
    expect(lines).toContain(
      "✗ 不足的原因：只列举了问题，没有分析原因（如“究其原因”“主要是由于”“主观上/客观上”）",
    );
    expect(lines).toContain("需要注意（3）：");
    expect(lines).toContain(
      "! [过时提法] “法制教育”是旧提法，应写“法治教育”——(三)进一步加强社会面法制教育宣传。依托“八五”普法及普法强基补短板专项行动工作…",
    );
    expect(lines[1]).toBe("✓ 齐全　△ 单薄　✗ 缺少");
    expect(lines.slice(3).filter((l) => /^[✓△✗] /u.test(l))).toHaveLength(22);
  });

  it("prints the JSON of the design doc with --json", async () => {
    const { code, stdout } = await run(write("yanshan.txt", seedText("yanshan-2020")), "--json");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(["items", "missing", "weak", "warnings"]);
    expect(json.items).toHaveLength(22);
    expect(Object.keys(json.items[0])).toEqual(["id", "title", "status", "evidence"]);
    expect(json.missing).toEqual(["shu-fa", "legal-advisor", "digital", "signoff"]);
    expect(json.warnings.map((w: { kind: string }) => w.kind)).toEqual(["stale-term"]);
  });

  it("takes the report year from --year N or --year=N", async () => {
    const file = fixturePath("check/hongqiao-2024.txt");
    for (const args of [["--year", "2025"], ["--year=2025"]]) {
      const { code, stdout } = await run(file, "--json", ...args);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).warnings[0]).toEqual({
        kind: "year",
        text: "报告标题写的是2024年，报告年度是2025年",
        evidence: "红桥镇关于2024年度法治政府建设情况的报告",
      });
    }
  });

  it.each(SEED_NAMES)("%s: .txt and .docx give the same JSON", async (name) => {
    const text = seedText(name);
    const asText = await run(write(`${name}.txt`, text), "--json");
    const asWord = await run(write(`${name}.docx`, await docxOf(text)), "--json");
    expect(asWord.code).toBe(0);
    expect(asWord.stdout).toBe(asText.stdout);
  });

  it("reads a GBK file, saying so on stderr", async () => {
    const text = seedText("panlong-2023").replaceAll("\u00a0", " ");
    const { code, stdout, stderr } = await run(write("gbk.txt", encodeGbk(text)));
    expect(code).toBe(0);
    expect(stderr).toBe(
      "提示：“gbk.txt”不是 UTF-8 编码，已按 GBK（GB18030）读取；如有乱码请另存为 UTF-8\n" +
        'Note: "gbk.txt" is not UTF-8; it was read as GBK (GB18030). If the text looks garbled, save it as UTF-8\n',
    );
    expect(stdout).toMatch(/^检查结果（gbk\.txt）：齐全 16 项/);
  });

  it("prints help and exits 0", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^用法：fazhi-report check 文件 \[--json\] \[--year 年份\] \[--last-year 去年报告\]\nusage: /,
    );
  });
});

describe("check FILE: input it cannot read exits 2 with Chinese and English on stderr", () => {
  const twentyMb = (): string => {
    const path = write("big.docx", "");
    writeFileSync(path, Buffer.alloc(20 * 1024 * 1024));
    return path;
  };

  it.each([
    [
      "a 20 MB file",
      twentyMb,
      "错误：文件过大：“big.docx”有 20.0 MB，上限是 5.0 MB。请删去图片或附件后再发送\n" +
        'Error: file too large: "big.docx" is 20.0 MB, the limit is 5.0 MB; remove pictures or attachments and send it again\n',
    ],
    [
      "a program renamed .docx",
      () => write("setup.docx", Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03])),
      "错误：“setup.docx”不是有效的 Word 文件（.docx）。如果是旧版 .doc 或其他文件改了扩展名，请在 Word 或 WPS 中另存为 .docx\n" +
        'Error: "setup.docx" is not a valid Word (.docx) file; if it is an old .doc or another file renamed, save it as .docx in Word or WPS\n',
    ],
    [
      "an empty file",
      () => write("empty.txt", ""),
      "错误：文件“empty.txt”是空的，没有可检查的文字\n" +
        'Error: the file "empty.txt" is empty: there is no text to check\n',
    ],
    [
      "a text file that is not UTF-8",
      () => write("latin1.txt", Buffer.from("r\xe9sum\xe9 du rapport", "latin1")),
      "错误：“latin1.txt”不是 UTF-8 编码的文本，无法读取。请用记事本或 WPS 另存为“UTF-8”编码后再发送\n" +
        'Error: "latin1.txt" is not UTF-8 text and cannot be read; save it with UTF-8 encoding and send it again\n',
    ],
    [
      "a missing file",
      () => join(dir, "missing.txt"),
      '错误：找不到文件“missing.txt”\nError: file not found: "missing.txt"\n',
    ],
  ])("%s", async (_label, make, message) => {
    const { code, stdout, stderr } = await run(make());
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(message);
  });
});

describe("check: bad usage exits 2", () => {
  const usage =
    "用法：fazhi-report check 文件 [--json] [--year 年份] [--last-year 去年报告]\nusage: fazhi-report check FILE [--json] [--year N] [--last-year FILE]\n";

  it.each([
    [[], "错误：缺少要检查的文件\nError: missing the file to check\n"],
    [["a.txt", "b.txt"], "错误：一次只能检查一个文件\nError: check one file at a time\n"],
    [["a.txt", "--verbose"], '错误：未知选项“--verbose”\nError: unknown option "--verbose"\n'],
    [
      ["a.txt", "--year"],
      "错误：--year 需要一个四位年份，例如 --year 2024（收到：无）\nError: --year needs a four-digit year such as --year 2024 (got: nothing)\n",
    ],
    [
      ["a.txt", "--year=24"],
      "错误：--year 需要一个四位年份，例如 --year 2024（收到：24）\nError: --year needs a four-digit year such as --year 2024 (got: 24)\n",
    ],
  ])("%j", async (args, message) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`${message}${usage}`);
  });
});
