import { mkdirSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES, readReportBuffer, readReportFile } from "../../src/check/read-input.js";
import { checkReport } from "../helpers/checker.js";
import { refusal } from "../helpers/refusal.js";
import { scratchDir } from "../helpers/scratch.js";
import { docxOf } from "./docx.js";
import { encodeGbk } from "./gbk.js";
import { SEED_NAMES, seedText } from "./seeds.js";

const { dir, write } = scratchDir("fazhi-input-");

const EXE = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);

describe("reading reports", () => {
  it("reads UTF-8 text and Markdown, without a byte-order mark", async () => {
    const txt = await readReportFile(
      write("a.txt", "\uFEFF红桥镇2024年法治政府建设情况报告\n正文。"),
    );
    expect(txt).toEqual({
      text: "红桥镇2024年法治政府建设情况报告\n正文。",
      fileName: "a.txt",
      format: "txt",
      encoding: "utf-8",
    });
    expect((await readReportFile(write("b.md", "# 标题\n正文。"))).format).toBe("md");
  });

  it("reads UTF-16 text with a byte-order mark", async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("法治政府建设", "utf16le"),
    ]);
    expect(await readReportBuffer(utf16, "c.txt")).toMatchObject({
      text: "法治政府建设",
      encoding: "utf-16",
    });
  });

  it.each(SEED_NAMES)("%s: the .docx gives the same verdict as the .txt", async (name) => {
    const text = seedText(name);
    const path = write(`${name}.docx`, await docxOf(text));
    const input = await readReportFile(path);
    expect(input).toMatchObject({ fileName: `${name}.docx`, format: "docx", encoding: "docx" });
    expect(checkReport(input.text)).toEqual(checkReport(text));
  });

  it("reads GBK text as GB18030 with a notice, and checks it the same", async () => {
    // The seed has an en space (U+2002), which GBK cannot hold.
    const text = seedText("yanshan-2020").replaceAll("\u2002", " ");
    const input = await readReportFile(write("gbk.txt", encodeGbk(text)));
    expect(input.encoding).toBe("gb18030");
    expect(input.text).toBe(text);
    expect(input.notice).toEqual({
      zh: "“gbk.txt”不是 UTF-8 编码，已按 GBK（GB18030）读取；如有乱码请另存为 UTF-8",
      en: '"gbk.txt" is not UTF-8; it was read as GBK (GB18030). If the text looks garbled, save it as UTF-8',
    });
    expect(checkReport(input.text)).toEqual(checkReport(text));
  });
});

describe("refusing what cannot be read", () => {
  it("a 20 MB upload", async () => {
    const error = await refusal(readReportBuffer(new Uint8Array(20 * 1024 * 1024), "big.docx"));
    expect(error.code).toBe("too-large");
    expect(error.messageZh).toBe(
      "文件过大：“big.docx”有 20.0 MB，上限是 5.0 MB。请删去图片或附件后再发送",
    );
    expect(error.messageEn).toBe(
      'file too large: "big.docx" is 20.0 MB, the limit is 5.0 MB; remove pictures or attachments and send it again',
    );
  });

  it("a 20 MB file, without reading it", async () => {
    const path = write("big.txt", "");
    truncateSync(path, 20 * 1024 * 1024);
    const error = await refusal(readReportFile(path));
    expect(error.code).toBe("too-large");
    expect(error.messageZh).toMatch(/^文件过大：“big\.txt”有 20\.0 MB/);
  });

  it("lets a file of exactly the limit through the size check (its text is then too long)", async () => {
    const data = Buffer.alloc(MAX_INPUT_BYTES, 0x20);
    data.write("法治政府建设", 0, "utf8");
    const error = await refusal(readReportBuffer(data, "limit.txt"));
    expect(error.code).toBe("too-long");
    expect(error.messageZh).toBe("“limit.txt”的文字超过 300000 字，不像是一份年度报告");
  });

  it("a program renamed .docx", async () => {
    const error = await refusal(readReportFile(write("report.docx", EXE)));
    expect(error.code).toBe("not-docx");
    expect(error.messageZh).toBe(
      "“report.docx”不是有效的 Word 文件（.docx）。如果是旧版 .doc 或其他文件改了扩展名，请在 Word 或 WPS 中另存为 .docx",
    );
    expect(error.messageEn).toMatch(/^"report\.docx" is not a valid Word \(\.docx\) file/);
  });

  it("a damaged .docx (a ZIP header and nothing else)", async () => {
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]);
    const error = await refusal(readReportBuffer(broken, "broken.docx"));
    expect(error.code).toBe("bad-docx");
    expect(error.messageZh).toBe(
      "无法读取 Word 文件“broken.docx”，文件可能已损坏。请在 Word 或 WPS 中重新保存后再发送",
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("an empty file, and one holding only spaces", async () => {
    const empty = await refusal(readReportFile(write("empty.txt", "")));
    expect(empty.code).toBe("empty");
    expect(empty.messageZh).toBe("文件“empty.txt”是空的，没有可检查的文字");
    expect(empty.messageEn).toBe('the file "empty.txt" is empty: there is no text to check');
    const blank = await refusal(readReportBuffer(Buffer.from(" \n\u3000\n"), "blank.md"));
    expect(blank.code).toBe("empty");
  });

  it("an empty Word document", async () => {
    const error = await refusal(readReportBuffer(await docxOf(""), "empty.docx"));
    expect(error.code).toBe("empty");
  });

  it("text that is neither UTF-8 nor Chinese GBK", async () => {
    const latin1 = Buffer.from("Caf\xe9 au lait, r\xe9sum\xe9 du rapport annuel", "latin1");
    const error = await refusal(readReportFile(write("latin1.txt", latin1)));
    expect(error.code).toBe("not-utf8");
    expect(error.messageZh).toBe(
      "“latin1.txt”不是 UTF-8 编码的文本，无法读取。请用记事本或 WPS 另存为“UTF-8”编码后再发送",
    );
    expect(error.messageEn).toBe(
      '"latin1.txt" is not UTF-8 text and cannot be read; save it with UTF-8 encoding and send it again',
    );
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("a binary file named .txt", async () => {
    const error = await refusal(
      readReportBuffer(Uint8Array.from([0x81, 0x30, 0x00, 0x01, 0xff]), "x.txt"),
    );
    expect(error.code).toBe("not-utf8");
  });

  it.each([
    [
      "report.pdf",
      "不支持的文件类型“.pdf”：PDF 无法可靠提取文字，请发送 Word（.docx）或文本（.txt）版本",
    ],
    [
      "report.doc",
      "不支持的文件类型“.doc”：旧版 Word（.doc）无法读取，请在 Word 或 WPS 中另存为 .docx 后再发送",
    ],
    ["report.xlsx", "不支持的文件类型“.xlsx”：请发送 .docx、.txt 或 .md 文件"],
    ["report", "不支持的文件类型“（无扩展名）”：请发送 .docx、.txt 或 .md 文件"],
  ])("an unsupported type: %s", async (name, message) => {
    const error = await refusal(readReportBuffer(Buffer.from("法治"), name));
    expect(error.code).toBe("unsupported-type");
    expect(error.messageZh).toBe(message);
  });

  it("a file that does not exist, and a directory", async () => {
    const missing = await refusal(readReportFile(join(dir, "nowhere.txt")));
    expect(missing.code).toBe("not-found");
    expect(missing.messageZh).toBe("找不到文件“nowhere.txt”");
    expect(missing.cause).toBeDefined();
    const folder = join(dir, "folder.txt");
    mkdirSync(folder);
    const error = await refusal(readReportFile(folder));
    expect(error.code).toBe("unreadable");
    expect(error.messageZh).toBe("“folder.txt”不是文件");
  });

  it("text far longer than any report", async () => {
    const error = await refusal(readReportBuffer(Buffer.from("法".repeat(300_001)), "long.txt"));
    expect(error.code).toBe("too-long");
    expect(error.messageEn).toBe(
      '"long.txt" holds more than 300000 characters, too long for an annual report',
    );
  });
});
