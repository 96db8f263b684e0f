import type { OrgBasics } from "../domain/types.js";
import { toMarkdown } from "../export/markdown.js";
import { parseOutline } from "../export/outline.js";
import type { Template } from "../template/load.js";
import type { Part } from "../template/schema.js";
import { chineseNumeral } from "../text/numerals.js";
import type { DraftedSection } from "./types.js";

export interface Assembled {
  title: string;
  /** Plain text as submitted (公文 numbering, no markup). */
  text: string;
  markdown: string;
}

const PART_ORDER: Exclude<Part, "intro">[] = [
  "measures",
  "first-responsible",
  "shortcomings",
  "next-year",
  "other",
];

export function reportTitle(org: OrgBasics): string {
  return `${org.name}关于${org.year}年度法治政府建设情况的报告`;
}

/** The issuing unit of the 落款: a 乡/镇 government or a 街道 office. */
export function issuingUnit(org: OrgBasics): string {
  return org.kind === "街道" ? `${org.name}办事处` : `${org.name}人民政府`;
}

export function chineseDate(date: Date): string {
  const beijing = new Date(date.getTime() + 8 * 3600_000);
  return `${beijing.getUTCFullYear()}年${beijing.getUTCMonth() + 1}月${beijing.getUTCDate()}日`;
}

/** Puts drafted sections into the genre's outline: title, 导语, parts 一…五 with （一）…, 落款. */
export function assemble(
  template: Template,
  org: OrgBasics,
  drafted: DraftedSection[],
  date: Date,
): Assembled {
  const byId = new Map(drafted.filter((d) => d.text.trim() !== "").map((d) => [d.id, d]));
  const title = reportTitle(org);
  const lines: string[] = [title, ""];
  const paragraphsOf = (id: string) => paragraphs(byId.get(id)?.text ?? "");
  for (const s of template.sections.filter((s) => s.part === "intro" && byId.has(s.id))) {
    lines.push(...paragraphsOf(s.id));
  }
  let partNo = 0;
  for (const part of PART_ORDER) {
    const sections = template.sections.filter((s) => s.part === part && byId.has(s.id));
    if (sections.length === 0) continue;
    partNo += 1;
    lines.push(
      `${chineseNumeral(partNo)}、${template.parts[part].replace(/^[一二三四五六七八九十]+、/, "")}`,
    );
    for (const [i, s] of sections.entries()) {
      if (part === "measures") lines.push(`（${chineseNumeral(i + 1)}）${s.title}`);
      lines.push(...paragraphsOf(s.id));
    }
  }
  lines.push("", issuingUnit(org), chineseDate(date));
  const text = `${lines.join("\n").trim()}\n`;
  return { title, text, markdown: toMarkdown(parseOutline(text)) };
}

function paragraphs(body: string): string[] {
  return body
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
}
