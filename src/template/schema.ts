import { z } from "zod";

/** Ids are used in Keyv keys and callback data, so keep them short, ASCII and stable. */
const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, "must be lowercase ASCII letters, digits and '-'")
  .max(24);

/** The part of the report a section belongs to; `intro` stands before the numbered parts. */
export const partSchema = z.enum([
  "intro",
  "measures",
  "first-responsible",
  "shortcomings",
  "next-year",
  "other",
]);
export type Part = z.infer<typeof partSchema>;

export const questionSchema = z.strictObject({
  id: idSchema,
  text: z.string().min(4),
  hint: z.string().min(4),
  required: z.boolean(),
});

export const sectionFileSchema = z.strictObject({
  id: idSchema,
  title: z.string().min(2),
  part: partSchema,
  required: z.boolean(),
  feeds: z.array(idSchema).min(1),
  questions: z.array(questionSchema).min(3).max(8),
  prompt: z.string().min(80),
});
export type SectionFile = z.infer<typeof sectionFileSchema>;

export const checklistFileSchema = z.strictObject({
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

export const reportFileSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(2),
  sections: z.array(idSchema).min(1),
  parts: z.strictObject({
    measures: z.string(),
    "first-responsible": z.string(),
    shortcomings: z.string(),
    "next-year": z.string(),
    other: z.string(),
  }),
});
export type ReportFile = z.infer<typeof reportFileSchema>;
