import { z } from "zod";
import type { CompleteOptions, Completion, Messages } from "../llm/client.js";
import type { Section } from "../template/load.js";
import { type Candidate, findCandidates, type Material } from "./candidates.js";
import type { ImportContext } from "./context.js";

/**
 * Candidate answers with an LLM: one structured call per section whose reply is validated with
 * zod against that section's question ids. A candidate whose quote is not literally in the file
 * is dropped; a section whose call fails or whose reply is not valid falls back to the offline
 * finder, so a flaky endpoint never loses what the rules would have found.
 */

/** What extraction needs of the LLM client (LlmClient satisfies it). */
export interface Completer {
  complete(messages: Messages, options: CompleteOptions): Promise<Completion>;
}

/** Room for a section's candidates (each a short answer and one quoted sentence). */
const MAX_TOKENS = 2_000;

export interface LlmExtraction {
  candidates: Candidate[];
  /** Sections answered offline, with why (the call failed, the reply was not valid JSON …). */
  fallbacks: { section: string; reason: string }[];
}

export async function extractWithLlm(
  material: Material,
  ctx: ImportContext,
  llm: Completer,
): Promise<LlmExtraction> {
  const offline = findCandidates(material, ctx);
  const candidates: Candidate[] = [];
  const fallbacks: LlmExtraction["fallbacks"] = [];
  for (const section of ctx.template.sections) {
    try {
      candidates.push(...(await sectionCandidates(section, material, ctx, llm)));
    } catch (error) {
      fallbacks.push({ section: section.id, reason: (error as Error).message });
      const ids = new Set(section.questions.map((q) => q.id));
      candidates.push(...offline.filter((c) => ids.has(c.questionId)));
    }
  }
  return { candidates, fallbacks };
}

function replySchema(section: Section) {
  const ids = section.questions.map((q) => q.id) as [string, ...string[]];
  return z.object({
    candidates: z.array(
      z.object({ questionId: z.enum(ids), text: z.string().min(1), quote: z.string().min(1) }),
    ),
  });
}

async function sectionCandidates(
  section: Section,
  material: Material,
  ctx: ImportContext,
  llm: Completer,
): Promise<Candidate[]> {
  const prompt = ctx.rules.llmPrompt
    .replace("{section}", section.title)
    .replace("{questions}", section.questions.map((q) => `${q.id}：${q.text}`).join("\n"))
    .replace("{material}", material.text);
  const reply = await llm.complete([{ role: "user", content: prompt }], { maxTokens: MAX_TOKENS });
  const parsed = replySchema(section).safeParse(parseJson(reply.text));
  if (!parsed.success) {
    throw new Error(`invalid reply: ${parsed.error.issues[0]?.message ?? "not the schema"}`);
  }
  return parsed.data.candidates
    .map((c) => ({ ...c, quote: c.quote.trim(), text: c.text.trim(), source: material.source }))
    .filter((c) => isSentenceOf(c.quote, material.text));
}

/** The JSON of a reply, with a Markdown code fence around it allowed. */
function parseJson(text: string): unknown {
  const body = text
    .trim()
    .replace(/^```(?:json)?\s*/u, "")
    .replace(/\s*```$/u, "");
  try {
    return JSON.parse(body);
  } catch (cause) {
    throw new Error("reply is not JSON", { cause });
  }
}

/** Literally in the file and long enough to be a sentence rather than a word. */
function isSentenceOf(quote: string, text: string): boolean {
  return /\p{Script=Han}{4}/u.test(quote) && text.includes(quote);
}
