import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../src/store/store.js";
import { encodeGbk } from "./check/gbk.js";
import { Harness, tempDir } from "./helpers/harness.js";
import { seedsDir } from "./helpers/seeds-dir.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const SEED = `${seedsDir()}/panlong-2023.txt`;
const USER = 901;
let h: Harness;
let fileNo = 0;

beforeEach(() => {
  h = new Harness(Store.open("memory://"));
});

/** Sends a document the way Telegram delivers one: metadata first, bytes through getFile. */
async function upload(
  name: string,
  bytes: Uint8Array | string,
  announcedSize?: number,
): Promise<string[]> {
  fileNo += 1;
  const path = join(tmp.dir, `${fileNo}-${name}`);
  writeFileSync(path, bytes);
  const size = announcedSize ?? Buffer.byteLength(bytes);
  const fileId = `file-${fileNo}`;
  h.api.addFile(fileId, path, size);
  return h.run(() =>
    h.chat(USER).sendMessage({
      document: { file_id: fileId, file_unique_id: fileId, file_name: name, file_size: size },
    } as never),
  );
}

describe("checking a report in chat", () => {
  it("checks an uploaded .txt report, for anyone, without registering", async () => {
    const replies = await upload("panlong-2023.txt", readFileSync(SEED));
    const verdict = replies.join("\n");
    expect(verdict.split("\n")[0]).toMatch(
      /^检查结果（panlong-2023\.txt）：齐全 \d+ 项，单薄 \d+ 项，缺少 \d+ 项$/,
    );
    expect(verdict).toContain("✓ 主要举措和成效");
    expect(h.since(0).filter((c) => c.method === "getFile")).toHaveLength(1);
    for (const part of replies) expect(part.length).toBeLessThanOrEqual(4096);
  });

  it("checks text pasted after /check, and a reply to the /check prompt", async () => {
    const chat = h.chat(USER);
    const [prompt] = await h.run(() => chat.send("/check"));
    expect(prompt).toBe(
      "请发送要检查的报告文件（.docx、.txt 或 .md），或回复本消息粘贴报告全文；也可以发送“/check 报告全文”。",
    );
    const inline = await h.run(() =>
      chat.send("/check 某镇关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n开展学法2次。"),
    );
    expect(inline[0]).toMatch(/^检查结果（粘贴的文字）/);
    const replied = await h.run(() =>
      chat.send("某镇关于2024年度法治政府建设情况的报告\n三、存在的不足和原因\n执法人员不足。", {
        reply_to_message: {
          message_id: 1,
          date: 0,
          chat: { id: USER, type: "private", first_name: "x" },
          from: h.bot.botInfo,
          text: prompt,
        },
      } as never),
    );
    expect(replied[0]).toMatch(/^检查结果（粘贴的文字）/);
    // Checking needs no membership and stores nothing.
    expect(await h.store.getMember(USER)).toBeUndefined();
  });

  it("refuses a 20 MB upload before downloading it", async () => {
    const replies = await upload("big.docx", "PK", 20 * 1024 * 1024);
    expect(replies).toEqual([
      "文件过大：“big.docx”有 20.0 MB，上限是 5.0 MB。请删去图片或附件后再发送。",
    ]);
    expect(h.since(0).some((c) => c.method === "getFile")).toBe(false);
  });

  it("refuses a file that grows past the cap while downloading", async () => {
    const replies = await upload("grown.txt", "法".repeat(2_000_000), 10);
    expect(replies[0]).toMatch(/^文件过大：“grown\.txt”有 5\.\d MB，上限是 5\.0 MB/);
  });

  it("explains a renamed .exe, an empty file, a non-UTF-8 text and an unsupported type", async () => {
    expect(await upload("report.docx", Buffer.from("MZ\x90\x00\x03binary", "latin1"))).toEqual([
      "“report.docx”不是有效的 Word 文件（.docx）。如果是旧版 .doc 或其他文件改了扩展名，请在 Word 或 WPS 中另存为 .docx。",
    ]);
    expect(await upload("empty.txt", "")).toEqual(["文件“empty.txt”是空的，没有可检查的文字。"]);
    expect(
      await upload("latin1.txt", Buffer.from("Caf\xe9 au lait, r\xe9sum\xe9 du rapport", "latin1")),
    ).toEqual([
      "“latin1.txt”不是 UTF-8 编码的文本，无法读取。请用记事本或 WPS 另存为“UTF-8”编码后再发送。",
    ]);
    expect(await upload("report.pdf", "%PDF-1.4")).toEqual([
      "不支持的文件类型“.pdf”：PDF 无法可靠提取文字，请发送 Word（.docx）或文本（.txt）版本。",
    ]);
    expect(h.errors).toEqual([]);
  });

  it("reads a GBK text with a notice", async () => {
    const replies = await upload(
      "gbk.txt",
      encodeGbk("某镇关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n全年开展学法2次。"),
    );
    expect(replies[0]).toMatch(
      /^（“gbk\.txt”不是 UTF-8 编码，已按 GBK（GB18030）读取；如有乱码请另存为 UTF-8）\n检查结果（gbk\.txt）/,
    );
  });
});
