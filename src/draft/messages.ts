import type { OrgBasics } from "../domain/types.js";
import type { Messages } from "../llm/client.js";
import { DATA_END, DATA_START } from "../template/drafting.js";
import type { Template } from "../template/load.js";
import { fillPlaceholders } from "./formal.js";
import type { SectionFacts } from "./types.js";

/** What a section's call may see besides its own facts (design: no call waits for another). */
export interface Extras {
  /** next-year: the shortcomings answers, so each arrangement can answer a named problem. */
  shortcomings?: SectionFacts;
  /** intro: one short line per section with the year's key facts. */
  keyFacts?: string[];
  /** /revise: the current text of the section and the user's instruction. */
  revise?: { previous: string; instruction: string };
}

export { DATA_END, DATA_START } from "../template/drafting.js";

/**
 * The messages of one section's call. The template's shared rules come first and byte-identical
 * in every call (a provider's prefix cache bills them once); the section's own prompt and its
 * data come last. Everything the org typed — answers, its name and superior, the 全年要点 drawn from
 * answers, a draft being revised — is data: JSON-quoted, its markers neutralised.
 */
export function buildMessages(
  template: Template,
  org: OrgBasics,
  facts: SectionFacts,
  extras: Extras = {},
): Messages {
  const { section } = facts;
  const data: Record<string, unknown> = {
    单位: { 名称: quote(org.name), 类型: org.kind, 上级: quote(org.superior), 报告年度: org.year },
    本节: fillPlaceholders(section.title, org),
    本节材料: factList(template, org, facts),
  };
  const missing = [...unansweredRequired(facts), ...(facts.gaps ?? []).map((g) => g.label)].map(
    (text) => fillPlaceholders(text, org),
  );
  if (missing.length > 0) data.待补充的事实 = missing;
  if (extras.shortcomings) data.存在的不足及原因 = factList(template, org, extras.shortcomings);
  if (extras.keyFacts) data.全年要点 = extras.keyFacts.map(quote);
  if (extras.revise) data.现有稿件 = quote(extras.revise.previous);
  const task = extras.revise
    ? `请按以下修改要求重写本部分，仍须遵守全部规则：${quote(extras.revise.instruction)}`
    : "请根据材料撰写本部分正文。";
  return [
    { role: "system", content: template.draftingRules },
    {
      role: "user",
      content: `${section.prompt.trim()}\n\n${DATA_START}\n${JSON.stringify(data)}\n${DATA_END}\n\n${task}`,
    },
  ];
}

/**
 * Answers shorter than this (in characters) are sent with their question: “没有” or “2次” say
 * nothing alone. A longer answer names its own subject and gets the question's short topic
 * (its composer lead) instead: the full question beside every answer was a tenth of a draft's
 * prompt tokens (docs/benchmarks.md, issue 17).
 */
export const SELF_EXPLAINING_ANSWER = 30;

type FactItem = { 问题: string; 回答: string } | { 事项: string; 回答: string } | { 回答: string };

function factList(template: Template, org: OrgBasics, facts: SectionFacts): FactItem[] {
  return facts.facts.map((fact) => {
    const answer = quote(fact.text);
    const question = fact.questionId ? template.question(fact.questionId) : undefined;
    if (!question) return { 回答: answer };
    if ([...fact.text].length < SELF_EXPLAINING_ANSWER)
      return { 问题: fillPlaceholders(question.text, org), 回答: answer };
    return { 事项: fillPlaceholders(question.lead, org).replace(/[：:，,]$/u, ""), 回答: answer };
  });
}

/** Required questions without an answer: the model marks them 【待补充】 instead of guessing. */
function unansweredRequired(facts: SectionFacts): string[] {
  const noted = new Set(facts.gaps?.map((g) => g.questionId));
  // Free text (an answers file) does not say which questions it covers.
  if (facts.facts.some((f) => !f.questionId)) return [];
  const answered = new Set(facts.facts.map((f) => f.questionId));
  return facts.section.questions
    .filter((q) => q.required && !answered.has(q.id) && !noted.has(q.id))
    .map((q) => q.text);
}

/** Data may not contain the markers that close the data block. */
export function quote(text: string): string {
  return text.replaceAll(DATA_START, "〔材料开始〕").replaceAll(DATA_END, "〔材料结束〕");
}
