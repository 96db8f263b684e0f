import { z } from "zod";
import { BODY_PARTS, PARTS } from "../domain/parts.js";
import { ORG_KINDS } from "../domain/types.js";
import { idSchema } from "../yaml/fields.js";

/** The part of the report a section belongs to; `intro` stands before the numbered parts. */
const partSchema = z.enum(PARTS);

/**
 * Placeholders a composed sentence may hold; the offline composer fills them from the org
 * ({next} is the year after the report year, the year the plans are for).
 */
export const PLACEHOLDERS = ["self", "name", "year", "next", "superior"] as const;

/** A figure slot of a `compose` sentence: "{times}" in "开展培训{times}场". */
const SLOT = /^[a-z][a-z0-9]*$/;

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

const questionSchema = z.strictObject({
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
  /**
   * Offline composer: the answer rewritten as a sentence, with figure slots pulled from it
   * ("全年开展执法人员业务培训{times}场、{people}人次"); each slot stands before its unit. Used
   * only when every figure of the answer fills exactly one slot, else the answer itself is used.
   */
  compose: z
    .string()
    .min(4)
    .superRefine((text, ctx) => {
      const known: readonly string[] = PLACEHOLDERS;
      const slots = [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? "");
      for (const name of slots) {
        if (known.includes(name) || SLOT.test(name)) continue;
        ctx.addIssue({ code: "custom", message: `bad slot {${name}} (a-z, 0-9)` });
      }
      const figures = slots.filter((name) => !known.includes(name));
      if (figures.length === 0) ctx.addIssue({ code: "custom", message: "has no figure slot" });
      if (new Set(figures).size !== figures.length) {
        ctx.addIssue({ code: "custom", message: "a slot appears twice" });
      }
    })
    .optional(),
});

export const sectionFileSchema = z.strictObject({
  id: idSchema,
  title: z.string().min(2),
  part: partSchema,
  required: z.boolean(),
  feeds: z.array(idSchema).min(1),
  /** Offline composer: the topic sentence the section starts with ({self} {name} {year} {superior}). */
  opening: composedText(8),
  questions: z.array(questionSchema).min(3).max(10),
  /** The 字数 target of the section's body: the prompt states it, the LLM call's max_tokens follows it. */
  length: z.strictObject({ min: z.number().int().positive(), max: z.number().int().positive() }),
  prompt: z.string().min(80),
});
export type SectionFile = z.infer<typeof sectionFileSchema>;

export const reportFileSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(2),
  /** What replies call the report after "{year}年度": "法治政府建设报告". */
  shortName: z.string().min(2),
  /** The report's title line ({name} {year} {superior} {self}). */
  title: composedText(4),
  /** The name of an exported file, without its extension. */
  fileName: composedText(2).refine((name) => !/[\\/:*?"<>|]/.test(name), {
    message: 'must not contain \\ / : * ? " < > |',
  }),
  /** The issuing unit of the 落款, per kind of office. */
  issuer: z.record(z.enum(ORG_KINDS), composedText(2)),
  sections: z.array(idSchema).min(1),
  /** Headings of the five body parts, in draft order. */
  parts: z.record(z.enum(BODY_PARTS), z.string()),
});
export type ReportFile = z.infer<typeof reportFileSchema>;
