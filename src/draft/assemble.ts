import { beijingDate } from "../domain/beijing-time.js";
import { BODY_PARTS } from "../domain/parts.js";
import type { OrgBasics } from "../domain/types.js";
import { toMarkdown } from "../export/markdown.js";
import { parseOutline } from "../export/outline.js";
import type { Template } from "../template/load.js";
import { chineseNumeral } from "../text/numerals.js";
import { issuingUnit, reportTitle } from "./genre.js";
import { signoffDate } from "./signoff.js";
import type { DraftedSection } from "./types.js";

export interface Assembled {
  title: string;
  /** Plain text as submitted (公文 numbering, no markup). */
  text: string;
  markdown: string;
}

/**
 * Puts drafted sections into the genre's outline: title, 导语, parts 一…五 with （一）…, 落款 (the
 * report's own date, signoff.ts).
 */
export function assemble(template: Template, org: OrgBasics, drafted: DraftedSection[]): Assembled {
  const byId = new Map(drafted.filter((d) => d.text.trim() !== "").map((d) => [d.id, d]));
  const title = reportTitle(template.genre, org);
  const lines: string[] = [title, ""];
  const paragraphsOf = (id: string) => paragraphs(byId.get(id)?.text ?? "");
  for (const s of template.sections.filter((s) => s.part === "intro" && byId.has(s.id))) {
    lines.push(...paragraphsOf(s.id));
  }
  let partNo = 0;
  for (const part of BODY_PARTS) {
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
  lines.push("", issuingUnit(template.genre, org), beijingDate(signoffDate(org)));
  const text = `${lines.join("\n").trim()}\n`;
  return { title, text, markdown: toMarkdown(parseOutline(text)) };
}

function paragraphs(body: string): string[] {
  return body
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
}
