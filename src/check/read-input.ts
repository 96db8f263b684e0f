import { readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { DOCX_LIMITS, parseDocxBounded } from "./docx-sandbox.js";

/**
 * Reads a report for checking: .txt / .md (UTF-8, or UTF-16 with a byte-order mark, or GB18030 /
 * GBK when it decodes cleanly into Chinese text) and .docx (text through mammoth). Every refusal
 * is an InputError with a Chinese and an English message.
 *
 * GB18030 fallback: Windows Notepad and WPS still save "ANSI" (GBK) text, which township staff
 * cannot be expected to convert. A file that is not UTF-8 is decoded as GB18030 only if the
 * decoder reports no invalid byte and the result is mostly Chinese; it then carries a notice.
 * Anything else is refused with advice to save as UTF-8.
 */

/** Largest file accepted (a real report is well under 1 MB, even as .docx with a logo). */
export const MAX_INPUT_BYTES = 5 * 1024 * 1024;
/** Largest text checked; a .docx can expand far beyond its size. */
export const MAX_TEXT_CHARS = 300_000;

export type InputErrorCode =
  | "not-found"
  | "unreadable"
  | "too-large"
  | "empty"
  | "unsupported-type"
  | "not-docx"
  | "bad-docx"
  | "not-utf8"
  | "too-long"
  /** A .docx whose contents expand beyond the bounds of docx-sandbox.ts (a zip bomb). */
  | "too-large-inside"
  | "bad-xlsx";

export class InputError extends Error {
  override name = "InputError";
  readonly code: InputErrorCode;
  readonly messageZh: string;
  readonly messageEn: string;

  constructor(
    code: InputErrorCode,
    messageZh: string,
    messageEn: string,
    options?: { cause?: unknown },
  ) {
    super(messageEn, options);
    this.code = code;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
  }
}

export type InputFormat = "txt" | "md" | "docx";

export interface ReportInput {
  text: string;
  fileName: string;
  format: InputFormat;
  /** How the bytes were decoded. */
  encoding: "utf-8" | "utf-16" | "gb18030" | "docx";
  /** Something the user should know about how the file was read (Chinese, English). */
  notice?: { zh: string; en: string };
}

const FORMATS: Record<string, InputFormat> = {
  ".txt": "txt",
  ".text": "txt",
  ".md": "md",
  ".markdown": "md",
  ".docx": "docx",
};

/** Types people will try, with advice on what to send instead. */
const ADVICE: Record<string, { zh: string; en: string }> = {
  ".doc": {
    zh: "旧版 Word（.doc）无法读取，请在 Word 或 WPS 中另存为 .docx 后再发送",
    en: "old Word .doc files cannot be read; save it as .docx in Word or WPS and send that",
  },
  ".wps": {
    zh: "WPS 文字（.wps）无法读取，请另存为 .docx 后再发送",
    en: ".wps files cannot be read; save it as .docx and send that",
  },
  ".pdf": {
    zh: "PDF 无法可靠提取文字，请发送 Word（.docx）或文本（.txt）版本",
    en: "PDF text cannot be extracted reliably; send the .docx or .txt version",
  },
};

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** Share of Han characters among the letters and digits for GB18030 text to be believed. */
const MIN_HAN_SHARE = 0.3;

export async function readReportFile(path: string): Promise<ReportInput> {
  const name = basename(path);
  formatOf(name); // refuse an unsupported type before touching the disk
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new InputError("unreadable", `“${name}”不是文件`, `"${name}" is not a file`);
    }
    size = info.size;
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    throw missingOrUnreadable(name, cause);
  }
  // Refuse a large file before reading it into memory.
  assertSize(name, size);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (cause) {
    throw missingOrUnreadable(name, cause);
  }
  return readReportBuffer(data, name);
}

/** Reads an upload (a Telegram document, a pasted file) given its bytes and file name. */
export async function readReportBuffer(data: Uint8Array, fileName: string): Promise<ReportInput> {
  const format = formatOf(fileName);
  assertSize(fileName, data.byteLength);
  if (data.byteLength === 0) throw emptyFile(fileName);
  const read = format === "docx" ? await readDocx(data, fileName) : decodeText(data, fileName);
  const text = read.text.replace(/^\uFEFF/, "");
  if (text.trim() === "") throw emptyFile(fileName);
  if (text.length > MAX_TEXT_CHARS) throw tooLong(fileName);
  return { ...read, text, fileName, format };
}

/** Refuses an upload by its name and announced size, before anything is downloaded. */
export function assertUploadable(fileName: string, bytes: number | undefined): void {
  formatOf(fileName);
  if (bytes !== undefined) assertSize(fileName, bytes);
}

function formatOf(fileName: string): InputFormat {
  const ext = extname(fileName).toLowerCase();
  const format = FORMATS[ext];
  if (format) return format;
  const advice = ADVICE[ext];
  const shown = ext || "（无扩展名）";
  throw new InputError(
    "unsupported-type",
    `不支持的文件类型“${shown}”：${advice?.zh ?? "请发送 .docx、.txt 或 .md 文件"}`,
    `unsupported file type "${ext || "(none)"}": ${advice?.en ?? "send a .docx, .txt or .md file"}`,
  );
}

function assertSize(fileName: string, bytes: number): void {
  if (bytes <= MAX_INPUT_BYTES) return;
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  throw new InputError(
    "too-large",
    `文件过大：“${fileName}”有 ${mb(bytes)} MB，上限是 ${mb(MAX_INPUT_BYTES)} MB。请删去图片或附件后再发送`,
    `file too large: "${fileName}" is ${mb(bytes)} MB, the limit is ${mb(MAX_INPUT_BYTES)} MB; remove pictures or attachments and send it again`,
  );
}

function tooLong(fileName: string): InputError {
  return new InputError(
    "too-long",
    `“${fileName}”的文字超过 ${MAX_TEXT_CHARS} 字，不像是一份年度报告`,
    `"${fileName}" holds more than ${MAX_TEXT_CHARS} characters, too long for an annual report`,
  );
}

function emptyFile(fileName: string): InputError {
  return new InputError(
    "empty",
    `文件“${fileName}”是空的，没有可检查的文字`,
    `the file "${fileName}" is empty: there is no text to check`,
  );
}

/** A file that is not there or cannot be read, worded for every command that reads one. */
export function missingOrUnreadable(fileName: string, cause: unknown): InputError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") {
    return new InputError("not-found", `找不到文件“${fileName}”`, `file not found: "${fileName}"`, {
      cause,
    });
  }
  return new InputError(
    "unreadable",
    `无法读取文件“${fileName}”（${code ?? "未知错误"}）`,
    `cannot read "${fileName}" (${code ?? (cause as Error).message})`,
    { cause },
  );
}

async function readDocx(
  data: Uint8Array,
  fileName: string,
): Promise<Pick<ReportInput, "text" | "encoding">> {
  if (!ZIP_MAGIC.every((byte, i) => data[i] === byte)) {
    throw new InputError(
      "not-docx",
      `“${fileName}”不是有效的 Word 文件（.docx）。如果是旧版 .doc 或其他文件改了扩展名，请在 Word 或 WPS 中另存为 .docx`,
      `"${fileName}" is not a valid Word (.docx) file; if it is an old .doc or another file renamed, save it as .docx in Word or WPS`,
    );
  }
  const outcome = await parseDocxBounded(data, { ...DOCX_LIMITS, maxTextChars: MAX_TEXT_CHARS });
  switch (outcome.kind) {
    case "text":
      return { text: outcome.text, encoding: "docx" };
    case "too-long":
      throw tooLong(fileName);
    case "too-large":
      throw new InputError(
        "too-large-inside",
        `文件过大或已损坏：“${fileName}”解压后的内容超出上限，无法读取。请删去图片或附件，在 Word 或 WPS 中重新保存后再发送`,
        `file too large or damaged: "${fileName}" expands beyond the limits and cannot be read; remove pictures or attachments, save it again in Word or WPS and resend`,
        { cause: new Error(outcome.reason) },
      );
    case "bad":
      throw new InputError(
        "bad-docx",
        `无法读取 Word 文件“${fileName}”，文件可能已损坏。请在 Word 或 WPS 中重新保存后再发送`,
        `cannot read the Word file "${fileName}"; it may be damaged. Save it again in Word or WPS and resend`,
        { cause: new Error(outcome.reason) },
      );
  }
}

function decodeText(
  data: Uint8Array,
  fileName: string,
): Pick<ReportInput, "text" | "encoding" | "notice"> {
  if (data[0] === 0xff && data[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(data.subarray(2)), encoding: "utf-16" };
  }
  if (data[0] === 0xfe && data[1] === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(data.subarray(2)), encoding: "utf-16" };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(data), encoding: "utf-8" };
  } catch (utf8Error) {
    const gb = decodeGb18030(data);
    if (gb !== null) {
      return {
        text: gb,
        encoding: "gb18030",
        notice: {
          zh: `“${fileName}”不是 UTF-8 编码，已按 GBK（GB18030）读取；如有乱码请另存为 UTF-8`,
          en: `"${fileName}" is not UTF-8; it was read as GBK (GB18030). If the text looks garbled, save it as UTF-8`,
        },
      };
    }
    throw new InputError(
      "not-utf8",
      `“${fileName}”不是 UTF-8 编码的文本，无法读取。请用记事本或 WPS 另存为“UTF-8”编码后再发送`,
      `"${fileName}" is not UTF-8 text and cannot be read; save it with UTF-8 encoding and send it again`,
      { cause: utf8Error },
    );
  }
}

/** GB18030 text when every byte decodes and the result reads as Chinese; otherwise null. */
function decodeGb18030(data: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder("gb18030", { fatal: true }).decode(data);
  } catch {
    return null;
  }
  // Control characters other than tab and line breaks mean binary, not text.
  if (/(?![\t\n\r\f])\p{Cc}/u.test(text)) return null;
  const letters = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  return letters > 0 && han / letters >= MIN_HAN_SHARE ? text : null;
}
