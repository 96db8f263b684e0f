import type { CheckerRules, TopicRule } from "./rules.js";
import type { Sentence } from "./segment.js";
import { excerptAt, matchesAny } from "./text.js";
import type { Verdict } from "./types.js";

/**
 * Topic items (学习习近平法治思想, 规范性文件, 执法 …) judged from the rules of checker.yaml:
 * what the report says about the year, not what the shortcomings or the next year's plans say.
 */

interface Hit {
  sentence: Sentence;
  /** Text with office names blanked. */
  text: string;
  term: boolean;
  details: number[];
  nil: boolean;
}

function isReportedPart(s: Sentence): boolean {
  return s.part !== "shortcomings" && s.part !== "next-year";
}

const blank = (m: string): string => " ".repeat(m.length);

/** Office names blanked once per sentence, not once per topic (the slowest step otherwise). */
const withoutOffices = new WeakMap<Sentence, string>();

function blankIgnored(sentence: Sentence, rule: TopicRule, rules: CheckerRules): string {
  let out = withoutOffices.get(sentence);
  if (out === undefined) {
    out = sentence.text;
    for (const span of rules.ignoreSpans) out = out.replace(span, blank);
    withoutOffices.set(sentence, out);
  }
  return rule.ignoreCitedTitles ? out.replace(/《[^《》]*》/gu, blank) : out;
}

/** Quotes a sentence around the first term or detail of the rule. */
function show(hit: Hit, rule: TopicRule, max: number): string {
  let at = Number.POSITIVE_INFINITY;
  for (const p of [...rule.nil, ...rule.terms, ...rule.details]) {
    const m = p.exec(hit.text);
    if (m && m.index < at) at = m.index;
  }
  return `“${excerptAt(hit.sentence.text, Number.isFinite(at) ? at : 0, max)}”`;
}

function hitOf(sentence: Sentence, rule: TopicRule, rules: CheckerRules): Hit {
  const text = blankIgnored(sentence, rule, rules);
  const details: number[] = [];
  rule.details.forEach((p, i) => {
    if (p.test(text)) details.push(i);
  });
  return {
    sentence,
    text,
    term: matchesAny(text, rule.terms),
    details,
    nil: matchesAny(text, rule.nil),
  };
}

export function judgeTopic(
  rule: TopicRule,
  description: string,
  sentences: Sentence[],
  rules: CheckerRules,
): Verdict {
  const reported = sentences.filter(isReportedPart).map((s) => hitOf(s, rule, rules));
  const verdict = rule.mode === "cooccur" ? cooccur(rule, reported) : byDetails(rule, reported);
  if (verdict) return verdict;
  const elsewhere = sentences
    .filter((s) => !isReportedPart(s))
    .map((s) => hitOf(s, rule, rules))
    .find((hit) => hit.term || hit.details.length > 0);
  if (elsewhere) {
    const where = elsewhere.sentence.part === "next-year" ? "下一年度安排" : "存在的不足";
    return {
      status: "missing",
      evidence: `只在${where}中提到（${show(elsewhere, rule, 50)}），没有写本年度的情况`,
    };
  }
  return { status: "missing", evidence: `没有找到相关内容（应写：${description}）` };
}

/** Present: one body sentence with a term and a detail, or a "nothing to report" statement. */
function cooccur(rule: TopicRule, hits: Hit[]): Verdict | null {
  const body = hits.filter((h) => !h.sentence.heading);
  const strong = body.find((h) => h.nil || (h.term && h.details.length >= rule.minDetails));
  if (strong) return { status: "present", evidence: show(strong, rule, 80) };
  const mention = hits.find((h) => h.term);
  return mention ? weak(mention, rule) : null;
}

/** Present: enough distinct details across the body sentences. */
function byDetails(rule: TopicRule, hits: Hit[]): Verdict | null {
  const body = hits.filter((h) => h.details.length > 0 && !h.sentence.heading);
  const distinct = new Set(body.flatMap((h) => h.details));
  const best = body.reduce<Hit | undefined>(
    (a, b) => (a && a.details.length >= b.details.length ? a : b),
    undefined,
  );
  if (best && distinct.size >= rule.minDetails) {
    return { status: "present", evidence: show(best, rule, 80) };
  }
  if (best) {
    return {
      status: "weak",
      evidence: `只涉及${distinct.size}个方面（需要${rule.minDetails}个），内容单薄：${show(best, rule, 60)}`,
    };
  }
  const mention = hits.find((h) => h.term || h.details.length > 0);
  return mention ? weak(mention, rule) : null;
}

function weak(hit: Hit, rule: TopicRule): Verdict {
  const what = hit.sentence.heading ? "只有标题" : "只有泛泛一提";
  return { status: "weak", evidence: `${what}，没有具体做法或数据：${show(hit, rule, 60)}` };
}
