import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { relative } from "node:path";
import type { z } from "zod";
import { YAML_CACHE_FILE } from "../paths.js";

/**
 * Reading prompts/ costs ~100–250 ms in a fresh process (the `yaml` parser and zod's first
 * validations run cold): most of a `check` run, and the first draft's first check. So the build
 * (scripts/yaml-cache.mjs) loads the shipped prompts/ once through the real loaders and stores
 * each file's validated data, keyed by a hash of its text, in dist/yaml-cache.json. The compiled
 * program takes an unchanged file from there; an edited file, or one of PROMPTS_DIR, is parsed
 * and validated as before. Run from the sources (tsx) the cache is never used: their schemas may
 * be newer than the build's.
 */
const USE_CACHE = import.meta.url.endsWith(".js");

let cache: Map<string, unknown> | undefined;
let record: ((key: string, data: unknown) => void) | undefined;

/** Reads a YAML data file and validates it; errors name the file and the field ("a.b[2].c"). */
export function readYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  fail: (message: string, cause: unknown) => Error,
): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw fail(`${displayPath(file)}: cannot be read: ${(cause as Error).message}`, cause);
  }
  const key = USE_CACHE || record ? yamlCacheKey(text) : "";
  if (USE_CACHE && !record) {
    cache ??= readCache();
    if (cache.has(key)) return structuredClone(cache.get(key)) as z.infer<S>;
  }
  let data: unknown;
  try {
    // Required here, synchronously: a cached file never needs the parser.
    const yaml = createRequire(import.meta.url)("yaml") as typeof import("yaml");
    data = yaml.parse(text);
  } catch (cause) {
    throw fail(`${displayPath(file)}: cannot be read: ${(cause as Error).message}`, cause);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".").replace(/\.(\d+)/g, "[$1]") : "(root)";
    throw fail(`${displayPath(file)}: ${field}: ${issue?.message ?? "invalid"}`, result.error);
  }
  record?.(key, result.data);
  return result.data;
}

/** The build's hook: `onValid` receives every file read and validated from now on. */
export function recordValidatedYaml(onValid: (key: string, data: unknown) => void): void {
  record = onValid;
}

function yamlCacheKey(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

function readCache(): Map<string, unknown> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(YAML_CACHE_FILE, "utf8"))));
  } catch {
    return new Map(); // not built by `npm run build` (dist/ copied without it): parse everything
  }
}

/** A path relative to the working directory when inside it, for messages. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}
