/**
 * The page, type and font-table figures of GB/T 9704-2012《党政机关公文格式》 as Word measures them:
 * lengths in twips (1/1440 inch, 1/20 pt), font sizes in half-points.
 */

/** mm → twips, rounded: 37 mm → 2098. */
export function mmToTwips(mm: number): number {
  return Math.round((mm / 25.4) * 1440);
}

/** A4, 210 × 297 mm. */
export const PAGE = { width: 11906, height: 16838 } as const;

/** 天头 37 mm, 下白边 35 mm, 订口 28 mm, 切口 26 mm: a 156 × 225 mm 版心. */
export const MARGIN = {
  top: mmToTwips(37),
  bottom: mmToTwips(35),
  left: mmToTwips(28),
  right: mmToTwips(26),
} as const;

/** 字号 in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt. */
export const SIZE = { erhao: 44, sanhao: 32, sihao: 28 } as const;

/** One character of 三号 body text, the unit of 空一字 / 空二字 indents. */
export const BODY_CHAR = SIZE.sanhao * 10;
/** One character of 四号, the page number's 空一字. */
export const FOOTER_CHAR = SIZE.sihao * 10;

/**
 * Fixed ("exactly") line pitch: 579 twips = 28.95 pt. GB/T 9704 sets 22 lines on the 225 mm 版心,
 * 225 mm / 22 = 10.23 mm ≈ 29 pt a line. 29 pt itself (580) does not fit: the margins in whole
 * twips leave a 版心 of 16838 − 2098 − 1984 = 12756 twips, 4 short of 22 × 580 = 12760, so Word and
 * LibreOffice set only 21 lines a page (measured with bench/render-docx). 28.95 pt, the pitch
 * 公文 templates use, fits 22 (12738). 28 pt (560) would give 22 lines with 0.8 lines to spare.
 * "Exactly" keeps the grid even when a run falls back to a face with taller ascenders.
 */
export const LINE = 579;

/** The 版心 width: 156 mm, 27 characters of 三号 (the standard's 28 need Word's character grid). */
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

/** Latin letters and digits: 公文 sets Arabic numerals in a Roman face. */
export const LATIN_FONT = "Times New Roman";

/** The official face and the one Windows and WPS ship, which Word substitutes when it is missing. */
export interface GongwenFont {
  name: string;
  fallback: string;
  /** The fallback's English name, which Word also matches on non-Chinese systems. */
  fallbackLatin: string;
  family: "roman" | "swiss";
}

export const FONT = {
  /** 标题: 方正小标宋简体. */
  title: { name: "方正小标宋简体", fallback: "宋体", fallbackLatin: "SimSun", family: "roman" },
  /** 正文, 三级、四级标题. */
  body: { name: "仿宋_GB2312", fallback: "仿宋", fallbackLatin: "FangSong", family: "roman" },
  /** 一级标题（一、）. */
  heading1: { name: "黑体", fallback: "黑体", fallbackLatin: "SimHei", family: "swiss" },
  /** 二级标题（（一））. */
  heading2: { name: "楷体_GB2312", fallback: "楷体", fallbackLatin: "KaiTi", family: "roman" },
  /** 页码. */
  pageNumber: { name: "宋体", fallback: "宋体", fallbackLatin: "SimSun", family: "roman" },
} as const satisfies Record<string, GongwenFont>;

/** The font of a heading of each level, and of the run-in heading (`lead`) of that level. */
export const HEADING_FONT: Record<1 | 2 | 3 | 4, GongwenFont> = {
  1: FONT.heading1,
  2: FONT.heading2,
  3: FONT.body,
  4: FONT.body,
};

/** GB2312 (Simplified Chinese) in the w:charset codes of the font table. */
const CHARSET_GB2312 = "86";

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
}

function fontEntry(name: string, altName: string, charset: string, family: string): string {
  return (
    `<w:font w:name="${escapeXml(name)}"><w:altName w:val="${escapeXml(altName)}"/>` +
    `<w:charset w:val="${charset}"/><w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`
  );
}

/**
 * word/fontTable.xml naming every face the document uses. Each official font carries its fallback
 * as w:altName (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体), which Word uses when the
 * font is not installed; the fallbacks carry their English names for systems in other languages.
 */
export function fontTableXml(): string {
  const entries = new Map<string, string>();
  for (const f of Object.values(FONT)) {
    if (f.name !== f.fallback) {
      entries.set(f.name, fontEntry(f.name, f.fallback, CHARSET_GB2312, f.family));
    }
    entries.set(f.fallback, fontEntry(f.fallback, f.fallbackLatin, CHARSET_GB2312, f.family));
  }
  entries.set(
    LATIN_FONT,
    `<w:font w:name="${LATIN_FONT}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>`,
  );
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    [...entries.values()].join("") +
    "</w:fonts>"
  );
}

/** Width in 三号 characters: CJK and full-width forms count 1, ASCII (digits of a date) ½. */
export function charWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) < 0x80 ? 0.5 : 1;
  return width;
}

/** Characters of 二号 a title line holds: 20. */
export const TITLE_LINE_CHARS = Math.floor(TEXT_WIDTH / (SIZE.erhao * 10));

/**
 * Where a 公文 title may turn, between words: after 关于 / 年度 / 人民政府 / 办事处, before 关于 /
 * 法治政府 / 情况的报告 / 的报告.
 */
const TITLE_BREAKS = [
  /(?<=关于)/g,
  /(?<=年度)/g,
  /(?<=人民政府|办事处)/g,
  /(?=关于)/g,
  /(?=法治政府)/g,
  /(?=(?:工作)?情况的报告$)/g,
  /(?=的(?:情况)?报告$)/g,
];
/** No title line is shorter than this: a one-character line ("告") is the classic fault. */
const TITLE_MIN_LINE = 2;

/**
 * A title too long for one line, split where GB/T 9704 7.3.3 would have it turn: "词意完整，排列对称"
 * — at word boundaries that leave the lines most nearly equal, each within the line and none a
 * lone character; two lines when possible, else three. A title with no such boundary is cut into
 * equal lines, so that Word never wraps it leaving one character alone.
 */
export function titleLines(title: string): string[] {
  if (charWidth(title) <= TITLE_LINE_CHARS) return [title];
  const cuts = [
    ...new Set(TITLE_BREAKS.flatMap((pattern) => [...title.matchAll(pattern)].map((m) => m.index))),
  ].sort((a, b) => a - b);
  return balanced(title, cuts, 1) ?? balanced(title, cuts, 2) ?? evenLines(title);
}

/** The best split of `title` at `count` of the `cuts`, or undefined when none fits. */
function balanced(title: string, cuts: number[], count: number): string[] | undefined {
  let best: { lines: string[]; spread: number } | undefined;
  const visit = (from: number, chosen: number[]) => {
    if (chosen.length === count) {
      const lines = [0, ...chosen].map((at, i) => title.slice(at, chosen[i] ?? title.length));
      const widths = lines.map(charWidth);
      if (widths.some((w) => w > TITLE_LINE_CHARS || w < TITLE_MIN_LINE)) return;
      const spread = Math.max(...widths) - Math.min(...widths);
      if (!best || spread < best.spread) best = { lines, spread };
      return;
    }
    for (let i = from; i < cuts.length; i++) visit(i + 1, [...chosen, cuts[i] as number]);
  };
  visit(0, []);
  return best?.lines;
}

/** Equal lines (by character) within the line width: the fallback without a word boundary. */
function evenLines(title: string): string[] {
  const chars = [...title];
  const count = Math.ceil(charWidth(title) / TITLE_LINE_CHARS);
  const size = Math.ceil(chars.length / count);
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i += size) lines.push(chars.slice(i, i + size).join(""));
  return lines;
}

/** 【待补充：…】 and any other 【…】 that asks for something to be filled in. */
export const TO_FILL = /【[^【】]*待补充[^【】]*】/g;
