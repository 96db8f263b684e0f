import { z } from "zod";
import { idSchema } from "../yaml/fields.js";
import { readYamlFile } from "../yaml/read.js";
import { CheckerRulesError } from "./rules.js";

/** The checklist of a report type (checklist.yaml): the items a report must cover, in order. */

const checklistFileSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        id: idSchema,
        title: z.string().min(2),
        description: z.string().min(2),
      }),
    )
    .min(1),
});
export type ChecklistItem = z.infer<typeof checklistFileSchema>["items"][number];

/** Reads checklist.yaml; throws CheckerRulesError naming the file and the field. */
export function loadChecklist(file: string): ChecklistItem[] {
  return readYamlFile(
    file,
    checklistFileSchema,
    (message, cause) => new CheckerRulesError(message, { cause }),
  ).items;
}
