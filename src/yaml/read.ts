import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";

/** Reads a YAML data file and validates it; errors name the file and the field ("a.b[2].c"). */
export function readYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  fail: (message: string, cause: unknown) => Error,
): z.infer<S> {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, "utf8"));
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

/** A path relative to the working directory when inside it, for messages. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}
