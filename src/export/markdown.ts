import { stripForbiddenDeep } from "../text/sanitize.js";
import type { ReportOutline } from "./outline.js";

/** The report as Markdown: # title, ## 一、, ### （一）, bold run-in headings, the 落款 last. */
export function toMarkdown(stored: ReportOutline): string {
  const outline = stripForbiddenDeep(stored);
  const out = [`# ${outline.title}`, ""];
  for (const block of outline.blocks) {
    if (block.kind === "heading" && block.level <= 2)
      out.push(`${"#".repeat(block.level + 1)} ${block.text}`, "");
    else if (block.kind === "heading") out.push(`**${block.text}**`, "");
    else out.push(block.lead ? `**${block.lead.text}**${block.text}` : block.text, "");
  }
  if (outline.signoff) out.push(outline.signoff.unit, "", outline.signoff.date, "");
  return out.join("\n");
}
