import { beforeAll, describe, expect, it } from "vitest";
import { draftReport } from "../../src/draft/drafter.js";
import { requestFromFile } from "../../src/draft/request.js";
import { signoffIndents, toDocx } from "../../src/export/docx.js";
import {
  charWidth,
  mmToTwips,
  TITLE_LINE_CHARS,
  titleLines,
} from "../../src/export/gongwen-style.js";
import { parseOutline, type ReportOutline } from "../../src/export/outline.js";
import { createLogger } from "../../src/log.js";
import { loadTemplate } from "../../src/template/load.js";
import { Docx, textRuns, withFields } from "./ooxml.js";
import { child, descendants, find, wText, type XmlElement } from "./xml.js";

const FIXTURE = "test/fixtures/answers/panlong-2023.json";
const MARKERS = /【[^【】]*待补充[^【】]*】/g;
const IS_MARKER = /【[^【】]*待补充[^【】]*】/;

/** What each block of the outline reads as in the document. */
function blockTexts(outline: ReportOutline): string[] {
  return outline.blocks.map((b) =>
    b.kind === "paragraph" && b.lead ? b.lead.text + b.text : b.text,
  );
}

let outline: ReportOutline;
let docx: Docx;
let paragraphs: XmlElement[];

beforeAll(async () => {
  const template = loadTemplate();
  const draft = await draftReport(
    { template, logger: createLogger("silent") },
    requestFromFile(template, FIXTURE),
  );
  outline = parseOutline(draft.text);
  docx = new Docx(await toDocx(outline));
  paragraphs = docx.paragraphs();
});

/** The body paragraph whose text is `text`. */
function paragraph(text: string): XmlElement {
  const p = paragraphs.find((x) => wText(x) === text);
  if (!p) throw new Error(`no paragraph reads ${text}`);
  return p;
}

describe("the draft used by these tests", () => {
  it("has every structure the writer formats", () => {
    const kinds = outline.blocks.map((b) =>
      b.kind === "heading" ? `h${b.level}` : b.lead ? `lead${b.lead.level}` : "p",
    );
    expect(outline.title).toBe("盘龙彝族乡关于2023年度法治政府建设情况的报告");
    expect(kinds).toContain("h1");
    expect(kinds).toContain("h2");
    expect(kinds).toContain("lead2");
    expect(kinds).toContain("p");
    expect(outline.blocks.some((b) => IS_MARKER.test(b.text))).toBe(true);
    expect(outline.signoff).toEqual({ unit: "盘龙彝族乡人民政府", date: "2024年3月14日" });
  });
});

describe("page", () => {
  it("is A4 with the GB/T 9704 margins (37/35/28/26 mm)", () => {
    const sect = docx.sectPr();
    const size = child(sect, "w:pgSz")?.attrs;
    const margin = child(sect, "w:pgMar")?.attrs;
    expect(size?.["w:w"]).toBe("11906");
    expect(size?.["w:h"]).toBe("16838");
    expect(size?.["w:orient"] ?? "portrait").toBe("portrait");
    expect(margin?.["w:top"]).toBe("2098");
    expect(margin?.["w:bottom"]).toBe("1984");
    expect(margin?.["w:left"]).toBe("1587");
    expect(margin?.["w:right"]).toBe("1474");
    expect([37, 35, 28, 26].map(mmToTwips)).toEqual([2098, 1984, 1587, 1474]);
  });

  it("fits 22 lines of body text on the 版心", () => {
    const sect = docx.sectPr();
    const height =
      Number(child(sect, "w:pgSz")?.attrs["w:h"]) -
      Number(child(sect, "w:pgMar")?.attrs["w:top"]) -
      Number(child(sect, "w:pgMar")?.attrs["w:bottom"]);
    const line = docx.paragraphFormat(paragraph(blockTexts(outline)[0] as string)).line ?? 0;
    expect(22 * line).toBeLessThanOrEqual(height);
    expect(23 * line).toBeGreaterThan(height);
  });

  it("sets the document properties", () => {
    const core = docx.xml("docProps/core.xml");
    expect(wTextOf(find(core, "dc:title"))).toBe(outline.title);
    expect(wTextOf(find(core, "dc:creator"))).toBe("fazhi-report");
  });
});

function wTextOf(el: XmlElement | undefined): string {
  return el ? el.children.filter((c) => typeof c === "string").join("") : "";
}

describe("title", () => {
  it("is the first paragraph: 方正小标宋简体 二号, centred, not indented, then one empty line", () => {
    const [title, empty, first] = paragraphs as [XmlElement, XmlElement, XmlElement];
    expect(wText(title)).toBe(outline.title);
    const p = docx.paragraphFormat(title);
    expect(p.jc).toBe("center");
    expect(p.firstLine ?? 0).toBe(0);
    expect(p.firstLineChars ?? 0).toBe(0);
    for (const r of textRuns(title)) {
      const f = docx.runFormat(r, title);
      expect(f).toMatchObject({ eastAsia: "方正小标宋简体", ascii: "Times New Roman", size: 44 });
      expect(f.bold).toBe(false);
    }
    expect(wText(empty)).toBe("");
    expect(wText(first)).toBe(blockTexts(outline)[0]);
  });

  it("turns at a word boundary into two balanced lines (GB/T 9704 7.3.3)", () => {
    const title = paragraphs[0] as XmlElement;
    expect(descendants(title, "w:br")).toHaveLength(1);
    const lines = title.children
      .filter((c): c is XmlElement => typeof c !== "string" && c.name === "w:r")
      .reduce<string[]>(
        (acc, r) => {
          if (child(r, "w:br")) acc.push("");
          acc[acc.length - 1] += wText(r);
          return acc;
        },
        [""],
      );
    expect(lines).toEqual(["盘龙彝族乡关于2023年度", "法治政府建设情况的报告"]);
  });
});

describe("body and headings", () => {
  const bodyLike = { firstLine: 640, firstLineChars: 200, line: 579, lineRule: "exact" };

  it("sets body paragraphs in 仿宋_GB2312 三号, justified, indented two characters, 28.95 pt exactly", () => {
    const bodies = outline.blocks.filter((b) => b.kind === "paragraph" && !b.lead);
    expect(bodies.length).toBeGreaterThan(20);
    for (const b of bodies) {
      const p = paragraph(b.text);
      expect(docx.paragraphFormat(p)).toMatchObject({ ...bodyLike, jc: "both" });
      for (const r of textRuns(p).filter((r) => !IS_MARKER.test(wText(r)))) {
        expect(docx.runFormat(r, p)).toMatchObject({
          eastAsia: "仿宋_GB2312",
          ascii: "Times New Roman",
          hAnsi: "Times New Roman",
          size: 32,
          bold: false,
          highlight: undefined,
        });
      }
    }
  });

  const fonts = { 1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312" } as const;

  it("sets 一、 headings in 黑体 and （一） headings in 楷体_GB2312, 三号, indented like the body, not bold", () => {
    const headings = outline.blocks.filter((b) => b.kind === "heading");
    expect(headings.filter((h) => h.level === 1).length).toBeGreaterThanOrEqual(4);
    expect(headings.filter((h) => h.level === 2).length).toBeGreaterThanOrEqual(10);
    for (const h of headings) {
      const p = paragraph(h.text);
      expect(docx.paragraphFormat(p)).toMatchObject({ ...bodyLike, outlineLevel: h.level - 1 });
      for (const r of textRuns(p)) {
        expect(docx.runFormat(r, p)).toMatchObject({
          eastAsia: fonts[h.level],
          ascii: "Times New Roman",
          size: 32,
          bold: false,
        });
      }
    }
  });

  it("writes a run-in heading in its level's font and the rest in the body font", () => {
    const leads = outline.blocks.filter((b) => b.kind === "paragraph" && b.lead !== undefined);
    expect(leads.length).toBeGreaterThanOrEqual(3);
    for (const b of leads) {
      if (b.kind !== "paragraph" || !b.lead) continue;
      const p = paragraph(b.lead.text + b.text);
      expect(docx.paragraphFormat(p)).toMatchObject(bodyLike);
      const [lead, ...rest] = textRuns(p) as [XmlElement, ...XmlElement[]];
      expect(wText(lead)).toBe(b.lead.text);
      expect(docx.runFormat(lead, p)).toMatchObject({ eastAsia: fonts[b.lead.level], size: 32 });
      expect(rest.map(wText).join("")).toBe(b.text);
      for (const r of rest) expect(docx.runFormat(r, p).eastAsia).toBe("仿宋_GB2312");
    }
  });

  it("has every heading and paragraph of the outline, in order, then the 落款", () => {
    const texts = paragraphs.map(wText);
    expect(texts.filter((t) => t !== "")).toEqual([
      outline.title,
      ...blockTexts(outline),
      "盘龙彝族乡人民政府",
      "2024年3月14日",
    ]);
    // One empty line after the title, two before the 落款, none elsewhere.
    expect(texts.indexOf("")).toBe(1);
    expect(texts.slice(-4)).toEqual(["", "", "盘龙彝族乡人民政府", "2024年3月14日"]);
    expect(texts.filter((t) => t === "")).toHaveLength(3);
  });

  it("highlights every 【待补充…】 marker: yellow, bold, red, in a run of its own", () => {
    const expected = blockTexts(outline).flatMap((t) => t.match(MARKERS) ?? []);
    // Each of the three shortcomings asks for its own cause.
    expect(expected).toEqual([
      "【待补充：本部分内容】",
      ...Array(3).fill("【待补充：该不足的主观原因和客观原因】"),
    ]);
    const marked = paragraphs.flatMap((p) =>
      textRuns(p)
        .filter((r) => docx.runFormat(r, p).highlight !== undefined)
        .map((r) => ({ text: wText(r), format: docx.runFormat(r, p) })),
    );
    expect(marked.map((m) => m.text)).toEqual(expected);
    for (const m of marked) {
      expect(m.format).toMatchObject({
        highlight: "yellow",
        bold: true,
        color: "FF0000",
        size: 32,
      });
    }
  });
});

describe("落款", () => {
  it("puts the unit and date right-aligned, the date 右空四字 and the unit centred over it", () => {
    const [unit, date] = paragraphs.slice(-2) as [XmlElement, XmlElement];
    const u = docx.paragraphFormat(unit);
    const d = docx.paragraphFormat(date);
    expect(wText(unit)).toBe("盘龙彝族乡人民政府");
    expect(wText(date)).toBe("2024年3月14日");
    expect(u.jc).toBe("right");
    expect(d.jc).toBe("right");
    expect(u.firstLine ?? 0).toBe(0);
    expect(d.firstLine ?? 0).toBe(0);
    expect(d.right).toBe(1280);
    // 9 characters over 6.5 (3 + 7 half-width digits): the unit's centre is the date's centre.
    expect(u.right).toBe(880);
    expect(1280 + (6.5 * 320) / 2).toBe((u.right ?? 0) + (9 * 320) / 2);
    for (const p of [unit, date]) {
      for (const r of textRuns(p))
        expect(docx.runFormat(r, p)).toMatchObject({ eastAsia: "仿宋_GB2312", size: 32 });
    }
  });

  it("centres the date under a unit too long to centre over the date", () => {
    expect(charWidth("2024年3月10日")).toBe(6.5);
    expect(signoffIndents("盘龙彝族乡人民政府", "2024年3月10日")).toEqual({
      unit: 880,
      date: 1280,
    });
    // 18 characters: 4 + (6.5 − 18) / 2 < 0, so the unit goes flush right and the date centres under it.
    expect(signoffIndents("中共某某县某某镇委员会某某镇人民政府", "2024年3月10日")).toEqual({
      unit: 0,
      date: ((18 - 6.5) / 2) * 320,
    });
  });
});

describe("page numbers", () => {
  it("turns on different odd and even footers in the settings", () => {
    expect(child(docx.settings, "w:evenAndOddHeaders")).toBeDefined();
    const types = descendants(docx.sectPr(), "w:footerReference").map((r) => r.attrs["w:type"]);
    expect(types.sort()).toEqual(["default", "even"]);
  });

  it.each([
    ["default", "right", { right: 280 }],
    ["even", "left", { left: 280 }],
  ] as const)("%s footer: — PAGE —, 宋体 四号, %s, one character in", (type, jc, indent) => {
    const footer = docx.footer(type);
    const ps = descendants(footer, "w:p");
    expect(ps).toHaveLength(1);
    const p = ps[0] as XmlElement;
    expect(withFields(p)).toBe("— {PAGE} —");
    expect(docx.paragraphFormat(p)).toMatchObject({ jc, ...indent });
    const runs = descendants(p, "w:r").filter((r) => child(r, "w:t") || child(r, "w:instrText"));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const r of runs) {
      expect(docx.runFormat(r, p)).toMatchObject({ eastAsia: "宋体", ascii: "宋体", size: 28 });
    }
  });
});

describe("font table", () => {
  it("names each official font with its fallback, GB2312 charset and a family", () => {
    const fonts = new Map(descendants(docx.fontTable, "w:font").map((f) => [f.attrs["w:name"], f]));
    for (const [name, alt, family] of [
      ["方正小标宋简体", "宋体", "roman"],
      ["仿宋_GB2312", "仿宋", "roman"],
      ["楷体_GB2312", "楷体", "roman"],
      ["黑体", "SimHei", "swiss"],
      ["宋体", "SimSun", "roman"],
      ["仿宋", "FangSong", "roman"],
      ["楷体", "KaiTi", "roman"],
    ] as const) {
      const f = fonts.get(name);
      expect(f, name).toBeDefined();
      expect(child(f, "w:altName")?.attrs["w:val"], name).toBe(alt);
      expect(child(f, "w:charset")?.attrs["w:val"], name).toBe("86");
      expect(child(f, "w:family")?.attrs["w:val"], name).toBe(family);
    }
    expect(fonts.has("Times New Roman")).toBe(true);
  });

  it("lists every font a run or style names", () => {
    const listed = new Set(descendants(docx.fontTable, "w:font").map((f) => f.attrs["w:name"]));
    const parts = [docx.document, docx.styles, docx.footer("default"), docx.footer("even")];
    const used = new Set(
      parts.flatMap((x) =>
        descendants(x, "w:rFonts").flatMap((f) =>
          ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"]
            .map((a) => f.attrs[a])
            .filter((v) => v !== undefined),
        ),
      ),
    );
    expect([...used].filter((f) => !listed.has(f))).toEqual([]);
  });
});

describe("title lines", () => {
  it("keeps a title that fits on one line, and cuts one without word breaks into equal lines", () => {
    expect(TITLE_LINE_CHARS).toBe(20);
    expect(titleLines("XX镇2024年度法治政府建设情况报告")).toEqual([
      "XX镇2024年度法治政府建设情况报告",
    ]);
    // Left to Word, 21 characters would wrap leaving one alone on the second line.
    expect(titleLines("某".repeat(21))).toEqual(["某".repeat(11), "某".repeat(10)]);
    expect(titleLines("某".repeat(30))).toEqual(["某".repeat(15), "某".repeat(15)]);
  });

  it("never leaves one character on a line, for short and long names", () => {
    const names = [
      "金山店镇",
      "盘龙彝族乡",
      "洪梅镇",
      "某某县某某镇人民政府",
      "新疆维吾尔自治区某某地区某某县某某乡",
      "中共新疆维吾尔自治区某某地区某某县某某乡委员会某某乡人民政府",
    ];
    for (const name of names) {
      for (const year of [2023, 2024]) {
        const title = `${name}关于${year}年度法治政府建设情况的报告`;
        const lines = titleLines(title);
        expect(lines.join(""), title).toBe(title);
        expect(lines.length, title).toBe(Math.ceil(charWidth(title) / TITLE_LINE_CHARS));
        for (const line of lines) {
          expect(line.length, `${title}: ${line}`).toBeGreaterThan(1);
          expect(charWidth(line), `${title}: ${line}`).toBeLessThanOrEqual(TITLE_LINE_CHARS);
        }
      }
    }
    // 21 wide: the break falls between words, not before the last character.
    expect(titleLines("盘龙彝族乡关于2023年度法治政府建设情况的报告")).toEqual([
      "盘龙彝族乡关于2023年度",
      "法治政府建设情况的报告",
    ]);
    expect(
      titleLines("新疆维吾尔自治区某某地区某某县某某乡关于2024年度法治政府建设情况的报告"),
    ).toEqual(["新疆维吾尔自治区某某地区某某县某某乡", "关于2024年度法治政府建设情况的报告"]);
  });

  it("breaks after 年度 or 关于, whichever balances the lines", () => {
    expect(titleLines("洪梅镇人民政府关于2024年度法治政府建设工作情况的报告")).toEqual([
      "洪梅镇人民政府关于2024年度",
      "法治政府建设工作情况的报告",
    ]);
    expect(titleLines("某某县某某镇人民政府关于法治政府建设情况的报告")).toEqual([
      "某某县某某镇人民政府关于",
      "法治政府建设情况的报告",
    ]);
  });
});

describe("markers, leads and levels in a hand-made outline", () => {
  it("splits a marker out of the middle of a paragraph and formats level 1–4 leads and headings", async () => {
    const text = [
      "某镇关于2024年度法治政府建设情况的报告",
      "一、主要举措",
      "1.学法用法",
      "（1）集中学法",
      "全年学法12次，其中【待补充：专题讲座次数】次为专题讲座，【待补充：覆盖人数】人参加。",
      "一、加强领导。全年召开会议4次。",
      "1.完善制度。修订制度3项。",
      "（1）依法决策。重大决策5项。",
    ].join("\n");
    const o = parseOutline(text);
    const d = new Docx(await toDocx(o));
    const ps = d.paragraphs();
    const by = (t: string): XmlElement => ps.find((p) => wText(p) === t) as XmlElement;

    expect(
      d.runFormat(textRuns(by("1.学法用法"))[0] as XmlElement, by("1.学法用法")).eastAsia,
    ).toBe("仿宋_GB2312");
    expect(d.paragraphFormat(by("（1）集中学法")).outlineLevel).toBe(3);

    const p = by(
      "全年学法12次，其中【待补充：专题讲座次数】次为专题讲座，【待补充：覆盖人数】人参加。",
    );
    const runs = textRuns(p).map((r) => [wText(r), d.runFormat(r, p).highlight ?? null]);
    expect(runs).toEqual([
      ["全年学法12次，其中", null],
      ["【待补充：专题讲座次数】", "yellow"],
      ["次为专题讲座，", null],
      ["【待补充：覆盖人数】", "yellow"],
      ["人参加。", null],
    ]);

    for (const [t, lead, font] of [
      ["一、加强领导。全年召开会议4次。", "一、加强领导。", "黑体"],
      ["1.完善制度。修订制度3项。", "1.完善制度。", "仿宋_GB2312"],
      ["（1）依法决策。重大决策5项。", "（1）依法决策。", "仿宋_GB2312"],
    ] as const) {
      const q = by(t);
      const first = textRuns(q)[0] as XmlElement;
      expect(wText(first)).toBe(lead);
      expect(d.runFormat(first, q).eastAsia).toBe(font);
    }
    // No 落款 in the text: none in the document, and no trailing empty lines.
    expect(o.signoff).toBeNull();
    expect(wText(ps.at(-1) as XmlElement)).toBe("（1）依法决策。重大决策5项。");
  });
});

describe("values without a source", () => {
  it("are marked like 【待补充】 markers when flagged, and only then", async () => {
    const text = [
      "某镇关于2024年度法治政府建设情况的报告",
      "一、主要举措",
      "全年学法12次，按期办结率100%，其中【待补充：专题讲座次数】次为专题讲座。",
    ].join("\n");
    const line = text.split("\n")[2] ?? "";
    const formats = async (flagged?: string[]) => {
      const d = new Docx(await toDocx(parseOutline(text), flagged ? { flagged } : {}));
      const p = d.paragraphs().find((x) => wText(x) === line) as XmlElement;
      return textRuns(p).map((r) => [wText(r), d.runFormat(r, p).highlight ?? null]);
    };
    expect(await formats(["100%", "1.5"])).toEqual([
      ["全年学法12次，按期办结率", null],
      ["100%", "yellow"],
      ["，其中", null],
      ["【待补充：专题讲座次数】", "yellow"],
      ["次为专题讲座。", null],
    ]);
    expect((await formats()).filter(([, h]) => h !== null).map(([t]) => t)).toEqual([
      "【待补充：专题讲座次数】",
    ]);
  });
});
