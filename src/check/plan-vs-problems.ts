import { type CheckerRules, cuesFor } from "./rules.js";
import { type Segmented, withoutFillers } from "./segment.js";
import { cjkLength, excerpt, matchesAny, splitSentences } from "./text.js";
import type { Verdict } from "./types.js";

/**
 * Whether the next year's arrangements answer the shortcomings named: each shortcoming's subject
 * (its first clause) is reduced to concepts of checker.yaml (人才, 执法队伍, 宣传 …); it is answered
 * when the arrangements name one of them.
 */

export interface Shortcoming {
  text: string;
  concepts: string[];
  answered: boolean;
}

const ENUMERATOR =
  /^(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.、．])/u;
const SPLIT =
  /(?=[一二三四五六七八九十]是)|(?=[（(][一二三四五六七八九十\d]{1,2}[)）])|(?<![\d.])(?=\d{1,2}[.、．](?!\d))|[。；;:：\n]/u;
const CAUSE_OPENING = /^(?:究其原因|原因|主要原因|由于|一方面|另一方面|主观上|客观上)/u;
const MIN_SHORTCOMING_CHARS = 6;
const MIN_HEAD_CHARS = 4;
const MIN_SHARED_PAIRS = 2;

/** The shortcomings named in the shortcomings part, each one piece of text. */
export function listShortcomings(doc: Segmented, rules: CheckerRules): string[] {
  let text = doc.paragraphs
    .filter((p) => p.part === "shortcomings")
    .map((p) => withoutFillers(p.text, rules))
    .join("\n");
  const leadIn = rules.planVsProblems.leadIn
    .map((p) => p.exec(text))
    .find((m): m is RegExpExecArray => m !== null);
  if (leadIn) {
    text = text.slice(leadIn.index + leadIn[0].length);
  } else {
    const first = splitSentences(text)[0] ?? "";
    if (matchesAny(first, cuesFor(rules.parts.shortcomings, null))) text = text.slice(first.length);
  }
  return text
    .split(SPLIT)
    .map((piece) =>
      piece
        .trim()
        .replace(ENUMERATOR, "")
        .replace(/^[，,、\s]+|[，,、。\s]+$/gu, ""),
    )
    .filter((piece) => cjkLength(piece) >= MIN_SHORTCOMING_CHARS && !CAUSE_OPENING.test(piece));
}

function conceptsIn(text: string, rules: CheckerRules): string[] {
  return rules.planVsProblems.concepts
    .filter((c) => matchesAny(text, c.patterns))
    .map((c) => c.name);
}

/** Pairs of Chinese characters that say something (not 工作, 建设 …). */
function pairsOf(text: string, stop: Set<string>): Set<string> {
  const pairs = new Set<string>();
  const han = text.match(/\p{Script=Han}+/gu) ?? [];
  for (const run of han) {
    for (let i = 0; i + 2 <= run.length; i++) {
      const pair = run.slice(i, i + 2);
      if (!stop.has(pair)) pairs.add(pair);
    }
  }
  return pairs;
}

function subjectOf(shortcoming: string): string {
  const comma = shortcoming.search(/[，,]/u);
  const head = comma > 0 ? shortcoming.slice(0, comma) : shortcoming;
  return cjkLength(head) >= MIN_HEAD_CHARS ? head : shortcoming;
}

function matchShortcomings(doc: Segmented, rules: CheckerRules): Shortcoming[] {
  const plan = doc.sentences
    .filter((s) => s.part === "next-year")
    .map((s) => s.norm)
    .join("。");
  return listShortcomings(doc, rules).map((text) => {
    const subject = subjectOf(text);
    const concepts = conceptsIn(subject, rules);
    const used = concepts.length > 0 ? concepts : conceptsIn(text, rules);
    if (used.length > 0) {
      const answered = rules.planVsProblems.concepts
        .filter((c) => used.includes(c.name))
        .some((c) => matchesAny(plan, c.patterns));
      return { text, concepts: used, answered };
    }
    const shared = [...pairsOf(subject, rules.planVsProblems.stopPairs)].filter((p) =>
      plan.includes(p),
    );
    return { text, concepts: [], answered: shared.length >= MIN_SHARED_PAIRS };
  });
}

export function judgePlanAnswersProblems(doc: Segmented, rules: CheckerRules): Verdict {
  // Placeholders and notes are not shortcomings or arrangements (hollow sentences are left out).
  const hasShortcomings = doc.sentences.some((s) => s.part === "shortcomings" && !s.heading);
  const hasPlan = doc.sentences.some((s) => s.part === "next-year" && !s.empty);
  if (!hasShortcomings && !hasPlan) {
    return { status: "missing", evidence: "既没有存在的不足，也没有下一年度安排" };
  }
  if (!hasShortcomings)
    return { status: "missing", evidence: "没有写存在的不足，无从对照下一年度安排" };
  if (!hasPlan) return { status: "missing", evidence: "没有下一年度安排，所列不足没有回应" };
  const items = matchShortcomings(doc, rules);
  if (items.length === 0) {
    return { status: "weak", evidence: "不足部分没有列出具体问题，无法逐条对照下一年度安排" };
  }
  const unanswered = items.filter((i) => !i.answered);
  const list = unanswered.map((i) => `“${excerpt(i.text, 30)}”`).join("；");
  if (unanswered.length === 0) {
    return { status: "present", evidence: `所列${items.length}条不足在下一年度安排中都有对应措施` };
  }
  if (unanswered.length === items.length) {
    return {
      status: "missing",
      evidence: `下一年度安排没有回应所列的${items.length}条不足：${list}`,
    };
  }
  return {
    status: "weak",
    evidence: `所列${items.length}条不足中${items.length - unanswered.length}条有对应安排；没有回应：${list}`,
  };
}
