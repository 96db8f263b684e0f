import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { type ChecklistItem, checklistFileSchema } from "../template/schema.js";
import { CheckerRulesError, display } from "./rules.js";

/**
 * The checklist items (ids, titles, order) from checklist.yaml alone: the checker needs neither
 * the sections nor the interview questions, so it does not load the whole template.
 */

export const DEFAULT_CHECKLIST_FILE = fileURLToPath(
  new URL("../../prompts/township-annual/checklist.yaml", import.meta.url),
);

export function loadChecklist(file: string = DEFAULT_CHECKLIST_FILE): ChecklistItem[] {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new CheckerRulesError(`${display(file)}: cannot be read: ${(cause as Error).message}`, {
      cause,
    });
  }
  const result = checklistFileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".").replace(/\.(\d+)/g, "[$1]") : "(root)";
    throw new CheckerRulesError(`${display(file)}: ${field}: ${issue?.message ?? "invalid"}`, {
      cause: result.error,
    });
  }
  return result.data.items;
}
