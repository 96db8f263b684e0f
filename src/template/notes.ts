import { join } from "node:path";
import { z } from "zod";
import { readYamlFile } from "../yaml/read.js";

/**
 * Staff notes ("待查", "不清楚", "没有统计" …): what staff type when a fact is not at hand yet. The
 * list is data (prompts/<report-type>/notes.yaml); a note is never a fact of the report.
 */

export class StaffNotesError extends Error {
  override name = "StaffNotesError";
}

const notesFileSchema = z.strictObject({
  notes: z
    .array(z.string().trim().min(2, { error: "a note has at least 2 characters" }))
    .min(1)
    .refine((notes) => new Set(notes).size === notes.length, { error: "duplicate note" }),
});

/** The staff-note words of a report-type folder (notes.yaml), validated. */
export function loadStaffNotes(templateDir: string): readonly string[] {
  const file = join(templateDir, "notes.yaml");
  return readYamlFile(
    file,
    notesFileSchema,
    (message, cause) => new StaffNotesError(message, { cause }),
  ).notes;
}

/**
 * The staff notes written in `text`, each as written, in order of appearance. At each place the
 * longest note wins ("印发日期待查", not "待查"); text inside 【…】 markers (【待补充：…】, which the
 * program writes) is not a note. A negation is content, not a note, when it is part of a longer
 * word ("记录不详细") or judges someone's grasp of something ("部分干部对权责清单不清楚").
 */
export function findStaffNotes(text: string, notes: readonly string[]): string[] {
  const longestFirst = [...notes].sort((a, b) => b.length - a.length);
  const found: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; ) {
    const ch = text[i];
    if (ch === "【") depth++;
    else if (ch === "】" && depth > 0) depth--;
    const note =
      depth === 0
        ? longestFirst.find((n) => text.startsWith(n, i) && !isContent(text, i, n))
        : undefined;
    if (note) {
      found.push(note);
      i += note.length;
    } else i++;
  }
  return found;
}

const HAN = /\p{Script=Han}/u;
const CLAUSE_START = /[，,；;。！？!?\n]/;

function isContent(text: string, at: number, note: string): boolean {
  if (!note.startsWith("不")) return false;
  if (HAN.test(text[at + note.length] ?? "")) return true;
  let start = at;
  while (start > 0 && !CLAUSE_START.test(text[start - 1] ?? "")) start--;
  return text.slice(start, at).includes("对");
}
