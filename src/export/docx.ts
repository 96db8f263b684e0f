/**
 * The draft as a Word document laid out as GB/T 9704-2012 lays out a 公文: A4 with the standard
 * margins, title in 方正小标宋简体 二号, body in 仿宋_GB2312 三号 on a fixed 28.95 pt line (22 lines
 * a page), 一级标题 in 黑体, 二级标题 in 楷体_GB2312, "— 1 —" page numbers alternating outside, the
 * 落款 at the end, and every 【待补充…】 marker highlighted. Fonts missing on the reader's machine
 * fall back through the font table (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体).
 *
 * Paragraph kinds are named styles (公文正文, 公文一级标题 …, with outline levels so Word's navigation
 * pane lists the headings), so staff who restyle the document change a style, not every paragraph;
 * run-level exceptions (a run-in heading, a marker) are direct formatting.
 */
import {
  AlignmentType,
  Document,
  Footer,
  type IFontAttributesProperties,
  type IParagraphStyleOptions,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
} from "docx";
import { stripForbiddenDeep } from "../text/sanitize.js";
import {
  BODY_CHAR,
  charWidth,
  FONT,
  FOOTER_CHAR,
  fontTableXml,
  type GongwenFont,
  HEADING_FONT,
  LATIN_FONT,
  LINE,
  MARGIN,
  mmToTwips,
  PAGE,
  SIZE,
  TO_FILL,
  titleLines,
} from "./gongwen-style.js";
import type { HeadingLevel, ReportOutline } from "./outline.js";

/** Paragraph style ids; the names are what Word shows in its style gallery. */
const STYLE = {
  body: "GongwenBody",
  title: "GongwenTitle",
  heading: {
    1: "GongwenHeading1",
    2: "GongwenHeading2",
    3: "GongwenHeading3",
    4: "GongwenHeading4",
  },
  signoff: "GongwenSignoff",
  pageNumber: "GongwenPageNumber",
} as const;

/** 落款: the date 右空四字. */
const SIGNOFF_DATE_RIGHT_CHARS = 4;
/** Empty lines between the last paragraph and the 落款, room for the seal pressed over it. */
const LINES_BEFORE_SIGNOFF = 2;
/**
 * The 页码 line, exactly 16 pt for 14 pt type; the footer distance below puts its top 7 mm under
 * the 版心, where GB/T 9704 7.5 puts the page number's 一字线.
 */
const FOOTER_LINE = SIZE.sihao * 10 + 40;

/** East Asian text in `f`, Latin letters and digits in Times New Roman. */
function fontOf(f: GongwenFont): IFontAttributesProperties {
  // hint eastAsia: quotation marks and dashes, shared by both scripts, take the Chinese face.
  return {
    eastAsia: f.name,
    ascii: LATIN_FONT,
    hAnsi: LATIN_FONT,
    cs: LATIN_FONT,
    hint: "eastAsia",
  };
}

function paragraphStyles(): IParagraphStyleOptions[] {
  const exactLine = { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
  const twoChars = { firstLine: 2 * BODY_CHAR, firstLineChars: 200 };
  const heading = (level: HeadingLevel, name: string): IParagraphStyleOptions => ({
    id: STYLE.heading[level],
    name,
    basedOn: STYLE.body,
    next: STYLE.body,
    quickFormat: true,
    // No bold: 黑体 and 楷体 carry the weight; a synthetic bold would smear them.
    run: { font: fontOf(HEADING_FONT[level]) },
    paragraph: { outlineLevel: level - 1, keepNext: true, keepLines: true },
  });
  return [
    {
      id: STYLE.body,
      name: "公文正文",
      quickFormat: true,
      run: { font: fontOf(FONT.body), size: SIZE.sanhao },
      paragraph: {
        alignment: AlignmentType.JUSTIFIED,
        spacing: exactLine,
        indent: twoChars,
      },
    },
    {
      id: STYLE.title,
      name: "公文标题",
      basedOn: STYLE.body,
      next: STYLE.body,
      quickFormat: true,
      run: { font: fontOf(FONT.title), size: SIZE.erhao },
      paragraph: {
        alignment: AlignmentType.CENTER,
        indent: { firstLine: 0, firstLineChars: 0 },
        keepNext: true,
      },
    },
    heading(1, "公文一级标题"),
    heading(2, "公文二级标题"),
    heading(3, "公文三级标题"),
    heading(4, "公文四级标题"),
    {
      id: STYLE.signoff,
      name: "公文落款",
      basedOn: STYLE.body,
      quickFormat: true,
      paragraph: {
        alignment: AlignmentType.RIGHT,
        indent: { firstLine: 0, firstLineChars: 0 },
        keepNext: true,
      },
    },
    {
      id: STYLE.pageNumber,
      name: "公文页码",
      run: {
        font: {
          eastAsia: FONT.pageNumber.name,
          ascii: FONT.pageNumber.name,
          hAnsi: FONT.pageNumber.name,
        },
        size: SIZE.sihao,
      },
      paragraph: {
        spacing: { line: FOOTER_LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
      },
    },
  ];
}

export interface DocxOptions {
  /** Values to mark like 【待补充】 until the user checks them: the draft's ungrounded values. */
  flagged?: readonly string[];
}

/** What `runs` highlights: 【…待补充…】 markers and, when given, the flagged values. */
function highlighted(flagged: readonly string[]): RegExp {
  const values = [...new Set(flagged)]
    .filter((v) => v !== "")
    .sort((a, b) => b.length - a.length)
    .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (values.length === 0) return TO_FILL;
  return new RegExp(`${TO_FILL.source}|${values.join("|")}`, "gu");
}

/** `text` as runs, every 【…待补充…】 marker (and flagged value) in yellow, bold and red. */
function runs(text: string, font?: GongwenFont, marks: RegExp = TO_FILL): TextRun[] {
  const base = font ? { font: fontOf(font) } : {};
  const out: TextRun[] = [];
  let at = 0;
  for (const m of text.matchAll(marks)) {
    if (m.index > at) out.push(new TextRun({ ...base, text: text.slice(at, m.index) }));
    out.push(
      new TextRun({ ...base, text: m[0], highlight: "yellow", bold: true, color: "FF0000" }),
    );
    at = m.index + m[0].length;
  }
  if (at < text.length || out.length === 0)
    out.push(new TextRun({ ...base, text: text.slice(at) }));
  return out;
}

function emptyLine(): Paragraph {
  return new Paragraph({ style: STYLE.body });
}

/**
 * 落款 of a document under seal (GB/T 9704 7.3.5.1): the date 右空四字, the unit centred over the
 * date. A unit much longer than the date goes flush right and the date centres under it instead.
 */
export function signoffIndents(unit: string, date: string): { unit: number; date: number } {
  const u = charWidth(unit);
  const d = charWidth(date);
  let dateRight = SIGNOFF_DATE_RIGHT_CHARS;
  let unitRight = dateRight + (d - u) / 2;
  if (unitRight < 0) {
    unitRight = 0;
    dateRight = (u - d) / 2;
  }
  return { unit: Math.round(unitRight * BODY_CHAR), date: Math.round(dateRight * BODY_CHAR) };
}

function signoff(unit: string, date: string): Paragraph[] {
  const right = signoffIndents(unit, date);
  return [
    ...Array.from({ length: LINES_BEFORE_SIGNOFF }, emptyLine),
    new Paragraph({ style: STYLE.signoff, indent: { right: right.unit }, children: runs(unit) }),
    new Paragraph({ style: STYLE.signoff, indent: { right: right.date }, children: runs(date) }),
  ];
}

function body(outline: ReportOutline, marks: RegExp): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({
      style: STYLE.title,
      children: titleLines(outline.title).flatMap((line, i) => [
        ...(i > 0 ? [new TextRun({ break: 1 })] : []),
        ...runs(line),
      ]),
    }),
    emptyLine(),
  ];
  for (const block of outline.blocks) {
    if (block.kind === "heading") {
      out.push(new Paragraph({ style: STYLE.heading[block.level], children: runs(block.text) }));
    } else {
      const lead = block.lead ? runs(block.lead.text, HEADING_FONT[block.lead.level]) : [];
      const children = [...lead, ...runs(block.text, undefined, marks)];
      out.push(new Paragraph({ style: STYLE.body, children }));
    }
  }
  if (outline.signoff) out.push(...signoff(outline.signoff.unit, outline.signoff.date));
  return out;
}

/** "— 1 —", 四号 宋体; odd pages 右空一字, even pages 左空一字 (GB/T 9704 7.5). */
function pageNumberFooter(side: "odd" | "even"): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: STYLE.pageNumber,
        alignment: side === "odd" ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === "odd" ? { right: FOOTER_CHAR } : { left: FOOTER_CHAR },
        children: [new TextRun({ children: ["— ", PageNumber.CURRENT, " —"] })],
      }),
    ],
  });
}

export async function toDocx(stored: ReportOutline, options: DocxOptions = {}): Promise<Buffer> {
  // A stored U+FFFE (or any character XML forbids) must not make document.xml ill-formed.
  const outline = stripForbiddenDeep(stored);
  const doc = new Document({
    title: outline.title,
    creator: "fazhi-report",
    lastModifiedBy: "fazhi-report",
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: {
            font: fontOf(FONT.body),
            size: SIZE.sanhao,
            language: { value: "en-US", eastAsia: "zh-CN" },
          },
        },
      },
      paragraphStyles: paragraphStyles(),
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: {
              ...MARGIN,
              // The number line's top 7 mm below the 版心.
              footer: MARGIN.bottom - mmToTwips(7) - FOOTER_LINE,
              header: mmToTwips(15),
              gutter: 0,
            },
          },
          grid: { linePitch: LINE },
        },
        footers: { default: pageNumberFooter("odd"), even: pageNumberFooter("even") },
        children: body(outline, highlighted(options.flagged ?? [])),
      },
    ],
  });
  return Packer.toBuffer(doc, false, [{ path: "word/fontTable.xml", data: fontTableXml() }]);
}
