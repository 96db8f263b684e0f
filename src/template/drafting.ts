import { join } from "node:path";
import { z } from "zod";
import { readYamlFile } from "../yaml/read.js";

/** The rules every section's drafting call starts with (prompts/<report-type>/drafting.yaml). */

export class DraftingRulesError extends Error {
  override name = "DraftingRulesError";
}

/** The markers the program puts the data between; the rules must name both. */
export const DATA_START = "【材料开始】";
export const DATA_END = "【材料结束】";

const draftingFileSchema = z.strictObject({
  rules: z
    .string()
    .trim()
    .min(40)
    .refine((rules) => rules.includes(DATA_START) && rules.includes(DATA_END), {
      error: `the rules must name the data markers ${DATA_START} and ${DATA_END}`,
    }),
});

/** The shared drafting rules of a report-type folder, validated and trimmed. */
export function loadDraftingRules(templateDir: string): string {
  return readYamlFile(
    join(templateDir, "drafting.yaml"),
    draftingFileSchema,
    (message, cause) => new DraftingRulesError(message, { cause }),
  ).rules;
}
