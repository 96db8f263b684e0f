import { join } from "node:path";
import { DEFAULT_PROMPTS_DIR } from "../paths.js";
import { type ChecklistItem, checklistFileSchema } from "../template/schema.js";
import { readYamlFile } from "../template/yaml-file.js";
import { CheckerRulesError } from "./rules.js";

/**
 * The checklist items (ids, titles, order) from checklist.yaml alone: the checker needs neither
 * the sections nor the interview questions, so it does not load the whole template.
 */

export const DEFAULT_CHECKLIST_FILE = join(DEFAULT_PROMPTS_DIR, "checklist.yaml");

export function loadChecklist(file: string = DEFAULT_CHECKLIST_FILE): ChecklistItem[] {
  return readYamlFile(
    file,
    checklistFileSchema,
    (message, cause) => new CheckerRulesError(message, { cause }),
  ).items;
}
