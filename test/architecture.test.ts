import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The import rule of docs/architecture.md: a folder of src/ imports only from folders on a lower
 * layer (a file of src/ itself counts as a folder). Read from the sources' own import lines — a
 * few lines of our own instead of a dependency-graph tool for one rule.
 */

const LAYERS: string[][] = [
  ["domain", "text", "paths"],
  ["yaml", "log", "export"],
  ["check", "config"],
  ["template"],
  ["store", "messages"],
  ["team", "net"],
  ["llm"],
  ["interview", "draft", "import"],
  ["app"],
  ["bot"],
  ["terminal"],
  ["cli"],
];

const SRC = fileURLToPath(new URL("../src", import.meta.url));
const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((f) => [f, layer])));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The top folder of src/ a path lies in ("log" for src/log.ts). */
function folderOf(path: string): string {
  const [top = ""] = relative(SRC, path).split("/");
  return top.replace(/\.[jt]s$/, "");
}

/** Relative imports of a file (static, dynamic and re-exports), as absolute paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1]);
  return specifiers.map((s) => resolve(dirname(file), s ?? ""));
}

const files = sources(SRC);

describe("layers of src/", () => {
  it("places every folder on a layer", () => {
    const unplaced = [...new Set(files.map(folderOf))].filter((f) => !layerOf.has(f));
    expect(unplaced).toEqual([]);
  });

  it("has no import from a lower layer to a higher one, nor across one layer", () => {
    const wrong = files.flatMap((file) => {
      const from = folderOf(file);
      return importsOf(file)
        .map(folderOf)
        .filter((to) => to !== from && (layerOf.get(to) ?? 99) >= (layerOf.get(from) ?? -1))
        .map((to) => `${relative(SRC, file)} → ${to}`);
    });
    expect(wrong).toEqual([]);
  });

  it("keeps domain/ free of imports from any other folder", () => {
    const domain = files.filter((f) => folderOf(f) === "domain");
    expect(domain.length).toBeGreaterThan(0);
    for (const file of domain) {
      expect(
        importsOf(file)
          .map(folderOf)
          .filter((to) => to !== "domain"),
      ).toEqual([]);
    }
  });
});
