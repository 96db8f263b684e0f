import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { relative } from "node:path";
import type { z } from "zod";
import { YAML_CACHE_FILE } from "../paths.js";

/** Reads a YAML data file and validates it; errors name the file and the field ("a.b[2].c"). */
export function readYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  fail: (message: string, cause: unknown) => Error,
): z.infer<S> {
  let data: unknown;
  try {
    data = parseYamlText(readFileSync(file, "utf8"));
  } catch (cause) {
    throw fail(`${displayPath(file)}: cannot be read: ${(cause as Error).message}`, cause);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".").replace(/\.(\d+)/g, "[$1]") : "(root)";
    throw fail(`${displayPath(file)}: ${field}: ${issue?.message ?? "invalid"}`, result.error);
  }
  return result.data;
}

/** The key of a YAML text in the build's cache. */
export function yamlCacheKey(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

let cache: Map<string, unknown> | undefined;

/**
 * The data of a YAML text. Parsing prompts/ with the `yaml` package costs ~100 ms in a fresh
 * process (most of a `check` run), so the build stores the parsed data of every file of
 * prompts/ keyed by a hash of its text (scripts/yaml-cache.mjs): an unchanged file is read from
 * there, an edited one (or one of PROMPTS_DIR) is parsed as before. Validation still runs.
 */
function parseYamlText(text: string): unknown {
  cache ??= readCache();
  const key = yamlCacheKey(text);
  if (cache.has(key)) return structuredClone(cache.get(key));
  // Required here, synchronously, only when a file is not in the cache.
  const yaml = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yaml.parse(text);
}

function readCache(): Map<string, unknown> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(YAML_CACHE_FILE, "utf8"))));
  } catch {
    return new Map(); // no build (tsx from a fresh checkout): every file is parsed
  }
}

/** A path relative to the working directory when inside it, for messages. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}
