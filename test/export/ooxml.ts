/**
 * Opens a .docx and answers what Word would show: a paragraph's or run's effective formatting,
 * following pStyle → basedOn → document defaults as Word resolves it, attribute by attribute.
 */

import { unzipSync } from "fflate";
import { child, descendants, elements, find, parseXml, type XmlElement } from "./xml.js";

export interface ParagraphFormat {
  style: string | undefined;
  jc: string | undefined;
  firstLine: number | undefined;
  firstLineChars: number | undefined;
  left: number | undefined;
  right: number | undefined;
  line: number | undefined;
  lineRule: string | undefined;
  outlineLevel: number | undefined;
}

export interface RunFormat {
  eastAsia: string | undefined;
  ascii: string | undefined;
  hAnsi: string | undefined;
  /** Half-points. */
  size: number | undefined;
  bold: boolean;
  highlight: string | undefined;
  color: string | undefined;
}

export class Docx {
  readonly files: Map<string, Buffer>;
  readonly document: XmlElement;
  readonly styles: XmlElement;
  readonly settings: XmlElement;
  readonly fontTable: XmlElement;
  private readonly styleById: Map<string, XmlElement>;

  constructor(buffer: Buffer) {
    this.files = new Map(
      Object.entries(unzipSync(buffer)).map(([name, data]) => [name, Buffer.from(data)]),
    );
    this.document = this.xml("word/document.xml");
    this.styles = this.xml("word/styles.xml");
    this.settings = this.xml("word/settings.xml");
    this.fontTable = this.xml("word/fontTable.xml");
    this.styleById = new Map(
      descendants(this.styles, "w:style").map((s) => [s.attrs["w:styleId"] ?? "", s]),
    );
  }

  xml(path: string): XmlElement {
    const data = this.files.get(path);
    if (!data)
      throw new Error(`${path} is not in the package: ${[...this.files.keys()].join(", ")}`);
    return parseXml(data.toString("utf8"));
  }

  /** The body's paragraphs in order. */
  paragraphs(): XmlElement[] {
    return elements(child(this.document, "w:body") as XmlElement).filter((e) => e.name === "w:p");
  }

  sectPr(): XmlElement {
    const s = find(this.document, "w:sectPr");
    if (!s) throw new Error("no w:sectPr");
    return s;
  }

  /** The footer part a section's footerReference of `type` ("default", "even") points to. */
  footer(type: string): XmlElement {
    const ref = descendants(this.sectPr(), "w:footerReference").find(
      (r) => r.attrs["w:type"] === type,
    );
    if (!ref) throw new Error(`no ${type} footer`);
    const rels = this.xml("word/_rels/document.xml.rels");
    const rel = descendants(rels, "Relationship").find((r) => r.attrs.Id === ref.attrs["r:id"]);
    if (!rel) throw new Error(`no relationship ${ref.attrs["r:id"]}`);
    return this.xml(`word/${rel.attrs.Target}`);
  }

  /** The style chain of a paragraph, nearest first. */
  private chain(styleId: string | undefined): XmlElement[] {
    const out: XmlElement[] = [];
    let id = styleId;
    while (id) {
      const style = this.styleById.get(id);
      if (!style || out.includes(style)) break;
      out.push(style);
      id = child(style, "w:basedOn")?.attrs["w:val"];
    }
    return out;
  }

  private defaults(kind: "w:pPrDefault" | "w:rPrDefault"): XmlElement | undefined {
    const d = find(this.styles, kind);
    return d ? child(d, kind === "w:pPrDefault" ? "w:pPr" : "w:rPr") : undefined;
  }

  private paragraphStyleId(p: XmlElement): string | undefined {
    return child(child(p, "w:pPr"), "w:pStyle")?.attrs["w:val"];
  }

  paragraphFormat(p: XmlElement): ParagraphFormat {
    const style = this.paragraphStyleId(p);
    const sources = [
      child(p, "w:pPr"),
      ...this.chain(style).map((s) => child(s, "w:pPr")),
      this.defaults("w:pPrDefault"),
    ].filter((s): s is XmlElement => s !== undefined);
    const pick = (el: string, attr: string) => firstAttr(sources, el, attr);
    const num = (v: string | undefined): number | undefined =>
      v === undefined ? undefined : Number(v);
    return {
      style,
      jc: pick("w:jc", "w:val"),
      firstLine: num(pick("w:ind", "w:firstLine")),
      firstLineChars: num(pick("w:ind", "w:firstLineChars")),
      left: num(pick("w:ind", "w:left") ?? pick("w:ind", "w:start")),
      right: num(pick("w:ind", "w:right") ?? pick("w:ind", "w:end")),
      line: num(pick("w:spacing", "w:line")),
      lineRule: pick("w:spacing", "w:lineRule"),
      outlineLevel: num(pick("w:outlineLvl", "w:val")),
    };
  }

  /** `run` inside paragraph `p` (of the body or of a footer). */
  runFormat(run: XmlElement, p: XmlElement): RunFormat {
    const runStyle = child(child(run, "w:rPr"), "w:rStyle")?.attrs["w:val"];
    const sources = [
      child(run, "w:rPr"),
      ...this.chain(runStyle).map((s) => child(s, "w:rPr")),
      ...this.chain(this.paragraphStyleId(p)).map((s) => child(s, "w:rPr")),
      this.defaults("w:rPrDefault"),
    ].filter((s): s is XmlElement => s !== undefined);
    const pick = (el: string, attr: string) => firstAttr(sources, el, attr);
    const on = (el: string): boolean => {
      for (const s of sources) {
        const e = child(s, el);
        if (e) return !["false", "0", "off"].includes(e.attrs["w:val"] ?? "true");
      }
      return false;
    };
    const size = pick("w:sz", "w:val");
    return {
      eastAsia: pick("w:rFonts", "w:eastAsia"),
      ascii: pick("w:rFonts", "w:ascii"),
      hAnsi: pick("w:rFonts", "w:hAnsi"),
      size: size === undefined ? undefined : Number(size),
      bold: on("w:b"),
      highlight: pick("w:highlight", "w:val"),
      color: pick("w:color", "w:val"),
    };
  }
}

/** `attr` of the first `el` among `sources` (direct formatting, then styles, then defaults). */
function firstAttr(sources: XmlElement[], el: string, attr: string): string | undefined {
  for (const s of sources) {
    const v = child(s, el)?.attrs[attr];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The runs of a paragraph that show text. */
export function textRuns(p: XmlElement): XmlElement[] {
  return descendants(p, "w:r").filter((r) => child(r, "w:t") !== undefined);
}

/**
 * A paragraph's content in reading order with fields as {INSTRUCTION}: "— {PAGE} —". Only the
 * field's instruction is kept, not its cached result.
 */
export function withFields(p: XmlElement): string {
  let out = "";
  let inResult = false;
  for (const r of descendants(p, "w:r")) {
    for (const e of elements(r)) {
      if (e.name === "w:fldChar") {
        const type = e.attrs["w:fldCharType"];
        if (type === "separate") inResult = true;
        if (type === "end") inResult = false;
      } else if (e.name === "w:instrText") {
        out += `{${e.children.join("").trim()}}`;
      } else if (e.name === "w:t" && !inResult) {
        out += e.children.join("");
      }
    }
  }
  return out;
}
