import { describe, expect, it } from "vitest";
import { DOCX_LIMITS, parseDocxBounded } from "../../src/check/docx-sandbox.js";
import { readReportBuffer } from "../../src/check/read-input.js";
import { readZipDirectory } from "../../src/check/zip-directory.js";
import { refusal } from "../helpers/refusal.js";
import { documentXml, docxAround, TINY_PARAGRAPH, zip } from "../helpers/zip-bomb.js";

/**
 * Zip bombs and oversized documents: refused from the declared sizes, or stopped in the worker
 * (inflated bytes, paragraphs, text, heap, time), each with "文件过大或已损坏" and bounded memory.
 */
const MB = 1024 * 1024;
/** 100 MB of tiny paragraphs; deflated it is a few hundred KB, as in the issue. */
const BOMB_PARAGRAPHS = Math.ceil((100 * MB) / TINY_PARAGRAPH.length);

function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

describe("zip bombs", () => {
  const bombXml = documentXml(BOMB_PARAGRAPHS);
  const honest = docxAround(bombXml);
  const lying = docxAround(bombXml, 4096);

  it("the generated bomb is small on disk and declares about 100 MB", () => {
    expect(honest.byteLength).toBeLessThan(1 * MB);
    const entries = readZipDirectory(honest);
    expect(entries.map((e) => e.name)).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "word/document.xml",
    ]);
    expect(entries[2]?.uncompressedSize).toBeGreaterThanOrEqual(100 * MB);
  });

  it("refuses a document.xml declared at 100 MB without inflating it", async () => {
    const before = rssMb();
    const error = await refusal(readReportBuffer(honest, "bomb.docx"));
    expect(error.code).toBe("too-large-inside");
    expect(error.messageZh).toBe(
      "文件过大或已损坏：“bomb.docx”解压后的内容超出上限，无法读取。请删去图片或附件，在 Word 或 WPS 中重新保存后再发送",
    );
    expect((error.cause as Error).message).toMatch(/bytes declared for word\/document\.xml/);
    // Nothing was inflated: the process did not grow by anything near the 100 MB.
    expect(rssMb() - before).toBeLessThan(50);
  });

  it("refuses one entry declared at 1 GB, and a sum of entries past the total limit", async () => {
    const gigabyte = zip([
      { name: "word/media/image1.png", content: Buffer.alloc(1000), declaredSize: 1024 * MB },
    ]);
    const big = await refusal(readReportBuffer(gigabyte, "gb.docx"));
    expect(big.code).toBe("too-large-inside");
    expect((big.cause as Error).message).toBe(`${1024 * MB} bytes declared in all`);
    const many = zip(
      Array.from({ length: 6 }, (_, i) => ({
        name: `word/media/image${i}.png`,
        content: Buffer.alloc(10),
        declaredSize: 10 * MB,
      })),
    );
    expect((await refusal(readReportBuffer(many, "many.docx"))).code).toBe("too-large-inside");
  });

  it("refuses an absurd number of entries", async () => {
    const entries = Array.from({ length: DOCX_LIMITS.maxEntries + 1 }, (_, i) => ({
      name: `x/${i}.xml`,
      content: Buffer.from("a"),
    }));
    const error = await refusal(readReportBuffer(zip(entries), "entries.docx"));
    expect(error.code).toBe("too-large-inside");
    expect((error.cause as Error).message).toBe(`${DOCX_LIMITS.maxEntries + 1} entries`);
  });

  it("stops a bomb that lies about its size while inflating, in the worker", async () => {
    expect(readZipDirectory(lying)[2]?.uncompressedSize).toBe(4096);
    const before = rssMb();
    const error = await refusal(readReportBuffer(lying, "liar.docx"));
    expect(error.code).toBe("too-large-inside");
    expect((error.cause as Error).message).toBe("bytes limit while inflating");
    // The inflate stopped at the 20 MB cap, in the worker: the issue saw 4.3 GB.
    expect(rssMb() - before).toBeLessThan(DOCX_LIMITS.heapMb);
  });
});

describe("damaged zip directories", () => {
  it("refuses a zip cut before its directory, and one whose directory points outside", async () => {
    const docx = docxAround(documentXml(3));
    const cut = await refusal(readReportBuffer(docx.subarray(0, docx.byteLength - 30), "cut.docx"));
    expect(cut.code).toBe("bad-docx");
    expect((cut.cause as Error).message).toBe("no end of central directory record");
    const outside = Buffer.from(docx);
    outside.writeUInt32LE(docx.byteLength, docx.byteLength - 6); // directory offset
    const error = await refusal(readReportBuffer(outside, "outside.docx"));
    expect(error.code).toBe("bad-docx");
    expect((error.cause as Error).message).toBe("central directory out of bounds");
  });

  it("refuses ZIP64 sizes, which no report needs", async () => {
    const docx = zip([
      { name: "word/document.xml", content: Buffer.from("x"), declaredSize: 0xffffffff },
    ]);
    const error = await refusal(readReportBuffer(docx, "zip64.docx"));
    expect((error.cause as Error).message).toBe("ZIP64 entries are not accepted");
  });
});

describe("limits while converting", () => {
  it("stops on the paragraph count before mammoth builds its tree", async () => {
    const xml = documentXml(DOCX_LIMITS.maxParagraphs + 1);
    expect(xml.byteLength).toBeLessThan(DOCX_LIMITS.maxXmlBytes);
    const error = await refusal(readReportBuffer(docxAround(xml), "paragraphs.docx"));
    expect(error.code).toBe("too-large-inside");
    expect((error.cause as Error).message).toBe("paragraphs limit while inflating");
  });

  it("stops on the text length", async () => {
    const xml = documentXml(1, `<w:p><w:r><w:t>${"法".repeat(300_001)}</w:t></w:r></w:p>`);
    const error = await refusal(readReportBuffer(docxAround(xml), "long.docx"));
    expect(error.code).toBe("too-long");
  });

  it("kills a worker that passes its heap limit, and the main thread keeps running", async () => {
    // 200 000 paragraphs are within the document limits turned off here, not within 16 MB of heap.
    const docx = docxAround(documentXml(200_000));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const outcome = await parseDocxBounded(docx, {
      ...DOCX_LIMITS,
      maxParagraphs: Number.POSITIVE_INFINITY,
      maxTextChars: Number.POSITIVE_INFINITY,
      heapMb: 16,
    });
    clearInterval(timer);
    expect(outcome).toEqual({ kind: "too-large", reason: "heap limit of 16 MB reached" });
    // Timers fired while the worker parsed: the parse never held the main thread.
    expect(ticks).toBeGreaterThan(0);
  });

  it("gives up on a parse past the wall-clock limit", async () => {
    const outcome = await parseDocxBounded(docxAround(documentXml(50_000)), {
      ...DOCX_LIMITS,
      timeoutMs: 1,
    });
    expect(outcome).toEqual({ kind: "too-large", reason: "no result within 1 ms" });
  });

  it("reads a document within every limit as before", async () => {
    const outcome = await parseDocxBounded(docxAround(documentXml(3)));
    expect(outcome).toEqual({ kind: "text", text: "法\n\n法\n\n法\n\n" });
  });
});
