import type { Question, Section, Template } from "../template/load.js";
import { sectionLabel } from "./views.js";

/**
 * What users type to name a section or a question: the names and numbers they can see. A section
 * is a part of its title that only it has ("执法") or its number in the /revise list ("5"); a
 * question is its section and its number in that section ("执法 3", as "第 3/7 题" shows).
 * Internal ids, never shown, are still understood so old habits and links keep working.
 */
export function findSection(template: Template, key: string): Section | undefined {
  const text = key.trim();
  if (text === "") return undefined;
  if (/^\d{1,2}$/.test(text)) return template.sections[Number(text) - 1];
  const byId = template.section(text);
  if (byId) return byId;
  const matches = template.sections.filter(
    (s) => s.title.includes(text) || sectionLabel(template, s).includes(text),
  );
  return matches.length === 1 ? matches[0] : undefined;
}

export function findQuestion(template: Template, ref: string): Question | undefined {
  const text = ref.trim();
  const byId = template.question(text);
  if (byId) return byId;
  // "执法 3", "10 1", "执法3", "执法第3题"; digits alone ("15") name a section, not a question.
  const match = /^\d+$/.test(text) ? null : /^(.+?)\s*(?:第\s*)?(\d{1,2})\s*题?$/.exec(text);
  if (!match) return undefined;
  const section = findSection(template, match[1] ?? "");
  return section?.questions[Number(match[2]) - 1];
}

/**
 * A short name users can type for a section, for examples: the end of its title when only it
 * ends so ("执法" for 坚持严格规范公正文明执法), else the first two or more characters no other
 * title has, else its number in the /revise list.
 */
function sectionKey(template: Template, section: Section): string | undefined {
  const title = section.title.replace(/[^\u4e00-\u9fff]+$/, "");
  for (const size of [2, 3, 4]) {
    const end = title.slice(-size);
    if (end.length === size && findSection(template, end) === section) return end;
  }
  for (const size of [2, 3, 4]) {
    for (let at = 0; at + size <= title.length; at++) {
      const key = title.slice(at, at + size);
      if (/^[\u4e00-\u9fff]+$/.test(key) && findSection(template, key) === section) return key;
    }
  }
  return undefined;
}

/** The example section name for usage texts: a measures section's two-character ending. */
export function exampleKey(template: Template): string {
  const measures = template.sections.filter((s) => s.part === "measures");
  for (const section of measures) {
    const end = section.title.slice(-2);
    if (findSection(template, end) === section) return end;
  }
  const first = measures[0] ?? template.sections[0];
  return (first && sectionKey(template, first)) ?? "1";
}
