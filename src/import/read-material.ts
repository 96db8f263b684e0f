import { readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import type ExcelJS from "exceljs";
import {
  InputError,
  MAX_INPUT_BYTES,
  MAX_TEXT_CHARS,
  missingOrUnreadable,
  readReportBuffer,
  readReportFile,
} from "../check/read-input.js";
import type { Material } from "./candidates.js";

/**
 * Reads an office's material: .txt / .md / .docx exactly as `check` reads a report, and .xlsx (a
 * 台账 or statistics table) through exceljs: the first sheet, each row as "列名：值，列名：值。".
 * Refusals are the check command's InputError, in Chinese and English.
 */

const XLSX = ".xlsx";
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** "参加人数（人次）": the unit a bare number in that column is counted in. */
const HEADER_UNIT = /[（(]([\p{Script=Han}%％]{1,3})[)）]$/u;

export async function readMaterialFile(path: string): Promise<Material> {
  const name = basename(path);
  if (!isXlsx(name)) return asMaterial(await readOtherType(path));
  let data: Buffer;
  try {
    const info = await stat(path);
    assertSize(name, info.size);
    data = await readFile(path);
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    throw missingOrUnreadable(name, cause);
  }
  return readXlsx(data, name);
}

/** Reads an upload given its bytes and file name. */
export async function readMaterialBuffer(data: Uint8Array, fileName: string): Promise<Material> {
  if (!isXlsx(fileName)) return asMaterial(await readReportBuffer(data, fileName));
  assertSize(fileName, data.byteLength);
  return readXlsx(data, fileName);
}

function isXlsx(fileName: string): boolean {
  return extname(fileName).toLowerCase() === XLSX;
}

function asMaterial(input: { text: string; fileName: string }): Material {
  return { text: input.text, source: input.fileName };
}

/** The report reader, with a refusal of the type that also offers .xlsx. */
async function readOtherType(path: string) {
  try {
    return await readReportFile(path);
  } catch (error) {
    if (error instanceof InputError && error.code === "unsupported-type") {
      throw new InputError(
        error.code,
        error.messageZh.replace(
          "请发送 .docx、.txt 或 .md 文件",
          "请发送 .docx、.xlsx、.txt 或 .md 文件",
        ),
        error.messageEn.replace(
          "send a .docx, .txt or .md file",
          "send a .docx, .xlsx, .txt or .md file",
        ),
        { cause: error },
      );
    }
    throw error;
  }
}

function assertSize(fileName: string, bytes: number): void {
  if (bytes === 0) {
    throw new InputError("empty", `文件“${fileName}”是空的`, `the file "${fileName}" is empty`);
  }
  if (bytes <= MAX_INPUT_BYTES) return;
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  throw new InputError(
    "too-large",
    `文件过大：“${fileName}”有 ${mb(bytes)} MB，上限是 ${mb(MAX_INPUT_BYTES)} MB`,
    `file too large: "${fileName}" is ${mb(bytes)} MB, the limit is ${mb(MAX_INPUT_BYTES)} MB`,
  );
}

async function readXlsx(data: Uint8Array, fileName: string): Promise<Material> {
  if (!ZIP_MAGIC.every((byte, i) => data[i] === byte)) throw badXlsx(fileName);
  // Loaded on first use: exceljs is large, and the bot and the other commands never need it.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  try {
    // exceljs types its argument as the older Buffer; the bytes are the same.
    await workbook.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
  } catch (cause) {
    throw badXlsx(fileName, cause);
  }
  const sheet = workbook.worksheets[0];
  const text = sheet ? rowsOf(sheet).join("\n") : "";
  if (text.trim() === "") {
    throw new InputError(
      "empty",
      `表格“${fileName}”的第一个工作表没有内容`,
      `the first sheet of "${fileName}" is empty`,
    );
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new InputError(
      "too-long",
      `表格“${fileName}”的文字超过 ${MAX_TEXT_CHARS} 字，请只发送本年度的台账`,
      `"${fileName}" holds more than ${MAX_TEXT_CHARS} characters; send only this year's records`,
    );
  }
  return { text, source: fileName };
}

/** Each row after the header as "列名：值，列名：值。"; a bare number takes its column's unit. */
function rowsOf(sheet: ExcelJS.Worksheet): string[] {
  const header: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    header[col] = cell.text.trim();
  });
  const rows: string[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const cells: string[] = [];
    row.eachCell((cell, col) => {
      const value = cell.text.trim();
      if (value === "") return;
      const name = header[col] || `第${col}列`;
      const unit = /^\d+(?:\.\d+)?$/u.test(value) ? (HEADER_UNIT.exec(name)?.[1] ?? "") : "";
      cells.push(`${name}：${value}${unit}`);
    });
    if (cells.length > 0) rows.push(`${cells.join("，")}。`);
  });
  return rows;
}

function badXlsx(fileName: string, cause?: unknown): InputError {
  return new InputError(
    "bad-xlsx",
    `无法读取 Excel 文件“${fileName}”，文件可能已损坏或不是 .xlsx。请在 Excel 或 WPS 中另存为 .xlsx 后再发送`,
    `cannot read the Excel file "${fileName}"; it may be damaged or not an .xlsx. Save it as .xlsx in Excel or WPS and resend`,
    { cause },
  );
}
