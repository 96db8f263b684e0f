import { readFileSync } from "node:fs";
import { z } from "zod";
import { type Answer, ORG_KINDS, type OrgBasics } from "../domain/types.js";
import { IMPORTING } from "../messages/zh.js";
import { type LastYearItems, withLastYearItems } from "../template/last-year.js";
import type { Template } from "../template/load.js";
import { isAnswered } from "../template/progress.js";
import { isIsoDate } from "./signoff.js";
import type { DraftRequest, SectionFacts } from "./types.js";

const itemText = z.string({ error: "应为文字" }).min(2, { error: "至少2个字" });
const itemAnswer = z.string({ error: "每条回答应为文字" }).optional();

/**
 * Last year's report in an answers file: what `import --json` prints (its `org` is ignored), each
 * item with an optional `answer` — how it was carried out this year, or whether the shortcoming
 * was fixed. The items become the questions the chat would ask (template/last-year.ts).
 */
const lastYearBlockSchema = z.object(
  {
    org: z.unknown().optional(),
    plans: z.array(
      z.strictObject(
        { text: itemText, section: z.string({ error: "应为章节编号" }), answer: itemAnswer },
        { error: "应为含 text、section（可另有 answer）的对象" },
      ),
    ),
    shortcomings: z.array(
      z.strictObject(
        { text: itemText, answer: itemAnswer },
        { error: "应为含 text（可另有 answer）的对象" },
      ),
    ),
  },
  { error: "应为含 plans 和 shortcomings 的对象（即 import --json 的输出）" },
);
type LastYearBlock = z.infer<typeof lastYearBlockSchema>;

/** The answers file of design.md; a key may also be a question id ("rules.issued"). */
const answersFileSchema = z.strictObject(
  {
    org: z.strictObject(
      {
        name: z.string({ error: "应为单位名称" }).min(2, { error: "单位名称至少2个字" }),
        kind: z.enum(ORG_KINDS, { error: "应为“乡”“镇”或“街道”" }),
        superior: z.string({ error: "应为上级名称" }).min(2, { error: "上级名称至少2个字" }),
        year: z
          .number({ error: "应为年份数字" })
          .int({ error: "应为年份数字" })
          .min(2000, { error: "年份应在2000至2100之间" })
          .max(2100, { error: "年份应在2000至2100之间" }),
        signoff: z
          .string({ error: "应为落款日期，如 2025-03-10" })
          .refine(isIsoDate, { error: "应为落款日期，如 2025-03-10" })
          .optional(),
      },
      { error: "应为含 name、kind、superior、year（可另有 signoff）的对象" },
    ),
    answers: z.record(z.string(), z.string({ error: "每条回答应为文字" }), {
      error: "应为“章节编号: 文字”的对象",
    }),
    lastYear: lastYearBlockSchema.optional(),
  },
  { error: "应为含 org 和 answers 的对象" },
);

export class AnswersFileError extends Error {
  override name = "AnswersFileError";
}

/** What a section is drafted from, built from the answers stored in chat. */
export function requestFromAnswers(
  template: Template,
  org: OrgBasics,
  answers: ReadonlyMap<string, Answer>,
): DraftRequest {
  const sections: SectionFacts[] = template.sections.map((section) => ({
    section,
    facts: section.questions
      .filter((q) => isAnswered(answers, q.id))
      .map((q) => ({ questionId: q.id, text: answers.get(q.id)?.text.trim() ?? "" })),
  }));
  return { org: basicsOf(org), sections };
}

/** Reads and validates an answers file; errors name the file and the field, in both languages. */
export function requestFromFile(template: Template, file: string): DraftRequest {
  return readAnswersFile(template, file).request;
}

/** An answers file as drafted: the template with its last year's questions, and the request. */
export interface AnswersFile {
  template: Template;
  request: DraftRequest;
  /** The file's `lastYear` block, when it has one. */
  lastYear?: LastYearItems;
}

/**
 * Reads an answers file; a `lastYear` block adds last year's questions to the template (as the
 * chat asks them) and its items' answers to theirs, so the draft reports on last year's plans.
 */
export function readAnswersFile(base: Template, file: string): AnswersFile {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new AnswersFileError(`无法读取回答文件 / cannot read answers file ${file}: ${code}`, {
      cause,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (cause) {
    throw new AnswersFileError(
      `回答文件不是有效的 JSON / answers file ${file} is not valid JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
  const parsed = answersFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AnswersFileError(
      `回答文件格式有误 / invalid answers file ${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
    );
  }
  const block = parsed.data.lastYear;
  const template = block ? withLastYearItems(base, block, IMPORTING) : base;
  const answers = { ...parsed.data.answers, ...(block ? lastYearAnswers(template, block) : {}) };
  const { signoff, ...rest } = parsed.data.org;
  const org: OrgBasics = { ...rest, ...(signoff === undefined ? {} : { signoff }) };
  for (const key of Object.keys(answers)) {
    if (!template.section(key) && !template.question(key)) {
      throw new AnswersFileError(
        `回答文件中的“${key}”不是章节或问题编号 / invalid answers file ${file}: answers.${key}: unknown section or question id`,
      );
    }
  }
  const sections = template.sections.map((section) => ({
    section,
    facts: Object.entries(answers)
      .filter(
        ([key, text]) =>
          text.trim() !== "" &&
          (key === section.id || template.question(key)?.sectionId === section.id),
      )
      .map(([key, text]) => ({
        ...(key === section.id ? {} : { questionId: key }),
        text: text.trim(),
      })),
  }));
  return {
    template,
    request: { org, sections },
    ...(block ? { lastYear: { plans: block.plans, shortcomings: block.shortcomings } } : {}),
  };
}

/** The answers of a lastYear block, under the ids of the questions its items became. */
function lastYearAnswers(template: Template, block: LastYearBlock): Record<string, string> {
  const out: Record<string, string> = {};
  const items = [
    ...block.plans.map((p) => ({ kind: "plan", ...p })),
    ...block.shortcomings.map((s) => ({ kind: "shortcoming", ...s })),
  ];
  const questions = template.sections.flatMap((s) => s.questions);
  for (const { kind, text, answer } of items) {
    const q = questions.find((x) => x.lastYear?.kind === kind && x.lastYear.item === text);
    if (q && answer !== undefined) out[q.id] = answer;
  }
  return out;
}

/** The org as a draft needs it: its names and year, and what dates the 落款 (signoff.ts). */
function basicsOf(org: OrgBasics): OrgBasics {
  const { name, kind, superior, year, signoff, deadline } = org;
  return {
    name,
    kind,
    superior,
    year,
    ...(signoff === undefined ? {} : { signoff }),
    ...(deadline === undefined ? {} : { deadline }),
  };
}
