import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";

/** The text of one file inside a .docx (a zip), from a path or the bytes. */
export function docxPart(docx: string | Uint8Array, part: string): string {
  const bytes = typeof docx === "string" ? readFileSync(docx) : docx;
  const file = unzipSync(bytes, { filter: (f) => f.name === part })[part];
  if (!file) throw new Error(`${part} is not in the .docx`);
  return strFromU8(file);
}
