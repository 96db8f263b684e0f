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

/** Placeholders a composed sentence may hold; the offline composer fills them from the org. */
export const PLACEHOLDERS = ["self", "name", "year", "superior"] as const;

/** A sentence or phrase of the offline composer, with only the known {placeholders}. */
const composedText = (min: number) =>
  z
    .string()
    .min(min)
    .superRefine((text, ctx) => {
      const known: readonly string[] = PLACEHOLDERS;
      for (const [placeholder, name = ""] of text.matchAll(/\{([^{}]*)\}/g)) {
        if (known.includes(name)) continue;
        const allowed = PLACEHOLDERS.map((p) => `{${p}}`).join(" ");
        ctx.addIssue({
          code: "custom",
          message: `unknown placeholder ${placeholder} (allowed: ${allowed})`,
        });
      }
    });

export const questionSchema = z.strictObject({
  id: idSchema,
  text: z.string().min(4),
  hint: z.string().min(4),
  required: z.boolean(),
  /**
   * Offline composer: a short verb phrase presenting this answer, as "一是{lead}。{answer}"; in
   * the intro it reads before a colon ("{lead}：{answer}"); for a shortcomings cause it is the
   * connector ("原因分析：{answer}").
   */
  lead: composedText(2),
  /**
   * Offline composer: the sentence written for a none answer ("没有", "无", "未制定" …). Absent: a
   * generic sentence; empty: the item is left out.
   */
  none: composedText(0).optional(),
});

export const sectionFileSchema = z.strictObject({
  id: idSchema,
  title: z.string().min(2),
  part: partSchema,
  required: z.boolean(),
  feeds: z.array(idSchema).min(1),
  /** Offline composer: the topic sentence the section starts with ({self} {name} {year} {superior}). */
  opening: composedText(8),
  questions: z.array(questionSchema).min(3).max(8),
  prompt: z.string().min(80),
  /** The section's length target in 字: the prompt states it, the LLM call's max_tokens follows it. */
  length: z
    .strictObject({ min: z.number().int().positive(), max: z.number().int().positive() })
    .optional(),
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
