import type { Section } from "../template/load.js";

/**
 * What makes an LLM reply usable as a section (pure): Chinese prose without Markdown, not opening
 * with the section's own heading, not absurdly short for the facts it was given, no English
 * sentences. Light Markdown (a bold phrase, list bullets) is stripped; anything that still looks
 * like markup after that is a rejection, as is everything else here: the section then goes to the
 * offline composer and the user is told why.
 */

/** Why a section fell back to the offline composer, as the user reads it. */
export const FAILURE_REASONS = {
  timeout: "超时",
  truncated: "截断",
  notChinese: "非中文",
  format: "格式",
  short: "过短",
  call: "调用失败",
} as const;
export type FailureReason = (typeof FAILURE_REASONS)[keyof typeof FAILURE_REASONS];

export type ReplyVerdict =
  | { ok: true; text: string }
  | { ok: false; reason: FailureReason; detail: string };

/** Share of Han characters among the letters (Han + Latin) a section must have at least. */
const MIN_HAN_SHARE = 0.7;
/** A reply shorter than this share of its facts' Han characters dropped content... */
const MIN_SHARE_OF_FACTS = 0.3;
/** ...but a long answer need not be echoed in full: above this a reply is never "too short". */
const SHORT_CAP = 150;
/** Five Latin words in a row make an English sentence (APP, 5G, 12345 are fine). */
const ENGLISH_SENTENCE = /[A-Za-z]{2,}(?:[ \t,;:'’-]+[A-Za-z]+){4,}/;
const LEFTOVER_MARKUP = /[#*`|]|^\s*>|^\s*[-=_]{3,}\s*$|\]\(/m;

const han = (text: string) => (text.match(/\p{Script=Han}/gu) ?? []).length;
const latin = (text: string) => (text.match(/[A-Za-z]/g) ?? []).length;

/** The reply as a section body, or why it is not one. `factText`: the facts it was drafted from. */
export function checkReply(reply: string, section: Section, factText: string): ReplyVerdict {
  const text = stripMarkdown(reply);
  const fail = (reason: FailureReason, detail: string): ReplyVerdict => ({
    ok: false,
    reason,
    detail,
  });
  const h = han(text);
  const l = latin(text);
  if (h === 0 || h / (h + l) < MIN_HAN_SHARE) {
    return fail(FAILURE_REASONS.notChinese, `${h} Han of ${h + l} letters`);
  }
  const english = text.match(ENGLISH_SENTENCE);
  if (english) return fail(FAILURE_REASONS.notChinese, `English: "${english[0].slice(0, 60)}"`);
  const junk = text.match(LEFTOVER_MARKUP);
  if (junk) return fail(FAILURE_REASONS.format, `markup left: "${junk[0]}"`);
  if (startsWithHeading(text, section.title)) {
    return fail(FAILURE_REASONS.format, "starts by repeating the section heading");
  }
  const wanted = Math.min(Math.floor(han(factText) * MIN_SHARE_OF_FACTS), SHORT_CAP);
  if (h < wanted) return fail(FAILURE_REASONS.short, `${h} Han characters, expected ≥ ${wanted}`);
  return { ok: true, text };
}

/** `# 标题` → 标题, `**要点**` → 要点, list bullets dropped; lines trimmed, empty ones removed. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) =>
      line
        .replace(/^\s*#{1,6}\s*/, "")
        .replace(/^\s*(?:[-*+•●▪◦]\s+)/, "")
        .replace(/\*\*(.+?)\*\*|__(.+?)__/g, "$1$2")
        .trim(),
    )
    .filter(Boolean)
    .join("\n");
}

/** Words of a heading compared loosely: no numbering, punctuation or spaces. */
function headingWords(text: string): string {
  return text
    .replace(/^[（(]?[一二三四五六七八九十]+[）)、.．]?\s*/u, "")
    .replace(/[\s\p{P}]/gu, "");
}

function startsWithHeading(text: string, title: string): boolean {
  const first = headingWords(text.split("\n")[0] ?? "");
  const heading = headingWords(title);
  if (heading === "") return false;
  return first.startsWith(heading) || (first.length >= 4 && heading.startsWith(first));
}

/** Without a length target, a section may use this many tokens. */
const DEFAULT_MAX_TOKENS = 2048;
/** Tokens per 字 of the target's maximum: tokenizers spend 1–2 tokens on a Han character. */
const TOKENS_PER_CHAR = 2;
/** Room for the model to finish its last sentence. */
const MAX_TOKENS_MARGIN = 256;

/** max_tokens of a section's call: LLM_MAX_TOKENS if set, else from the length target. */
export function maxTokensFor(section: Section, override?: number): number {
  if (override !== undefined) return override;
  if (!section.length) return DEFAULT_MAX_TOKENS;
  return section.length.max * TOKENS_PER_CHAR + MAX_TOKENS_MARGIN;
}
