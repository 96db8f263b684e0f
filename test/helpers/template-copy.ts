import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { DEFAULT_TEMPLATE_DIR } from "../../src/template/load.js";

/** An edit of one file of a template copy: its text in, the new text out. */
export type FileEdit = (text: string) => string;

/**
 * Copies of the shipped template (prompts/township-annual) with one file rewritten, for the
 * tests of what the loader says about a broken file. Call it in a describe block (or at the top
 * of a test file): every copy is removed after each test.
 */
export function templateCopies(): (file: string, edit: FileEdit) => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (file, edit) => {
    const tmp = mkdtempSync(join(tmpdir(), "fazhi-template-"));
    made.push(tmp);
    const dir = join(tmp, "township-annual");
    cpSync(DEFAULT_TEMPLATE_DIR, dir, { recursive: true });
    const path = join(dir, file);
    writeFileSync(path, edit(readFileSync(path, "utf8")));
    return dir;
  };
}
