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
  /** Matching text with office names, other topics' compound terms and cited titles blanked. */
  text: string;
  term: boolean;
  details: number[];
  nil: boolean;
}

function isReportedPart(s: Sentence): boolean {
  return s.part !== "shortcomings" && s.part !== "next-year";
}

/** Work of the year: in a reporting part, not a plan, not a heading with nothing under it. */
function isReported(s: Sentence): boolean {
  return isReportedPart(s) && !s.plan && !s.empty;
}

const blank = (m: string): string => " ".repeat(m.length);

/** Office names blanked once per sentence, not once per topic (the slowest step otherwise). */
const withoutOffices = new WeakMap<Sentence, string>();

/** Other topics' compound terms blanked, once per sentence and set of compounds. */
const compoundsBlanked = new WeakMap<Sentence, Map<string, string>>();

/** The compound terms a topic blanks, and a key naming that set (computed once per topic). */
interface Compounds {
  applied: CheckerRules["compounds"];
  key: string;
}

function compoundsFor(id: string, rules: CheckerRules): Compounds {
  const applied = rules.compounds.filter((c) => c.topic !== id);
  return { applied, key: applied.map((c) => c.pattern.source).join("\u0000") };
}

function withoutCompounds(sentence: Sentence, text: string, { applied, key }: Compounds): string {
  let cache = compoundsBlanked.get(sentence);
  if (!cache) {
    cache = new Map();
    compoundsBlanked.set(sentence, cache);
  }
  let out = cache.get(key);
  if (out === undefined) {
    out = applied.reduce((t, c) => t.replace(c.pattern, blank), text);
    cache.set(key, out);
  }
  return out;
}

function blankIgnored(
  sentence: Sentence,
  compounds: Compounds,
  rule: TopicRule,
  rules: CheckerRules,
): string {
  let out = withoutOffices.get(sentence);
  if (out === undefined) {
    out = sentence.norm;
    for (const span of rules.ignoreSpans) out = out.replace(span, blank);
    withoutOffices.set(sentence, out);
  }
  out = withoutCompounds(sentence, out, compounds);
  if (!rule.ignoreCitedTitles) return out;
  // A cited title is another document, unless it is the work itself (a 决策事项目录 of one's own).
  return out.replace(/《[^《》]*》/gu, (title) =>
    matchesAny(title, rule.titleEvidence) ? title : blank(title),
  );
}

/** Quotes a sentence around the first term or detail of the rule (the words that matched). */
function show(hit: Hit, rule: TopicRule, max: number): string {
  const first = (text: string): number => {
    let at = Number.POSITIVE_INFINITY;
    for (const p of [...rule.nil, ...rule.terms, ...rule.details]) {
      const m = p.exec(text);
      if (m && m.index < at) at = m.index;
    }
    return at;
  };
  // Centre on the sentence's own words rather than on a title it cites.
  const outside = first(hit.text.replace(/《[^《》]*》/gu, blank));
  const at = Number.isFinite(outside) ? outside : first(hit.text);
  return `“${excerptAt(hit.sentence.text, Number.isFinite(at) ? at : 0, max)}”`;
}

function hitOf(
  sentence: Sentence,
  compounds: Compounds,
  rule: TopicRule,
  rules: CheckerRules,
): Hit {
  const text = blankIgnored(sentence, compounds, rule, rules);
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
  id: string,
  rule: TopicRule,
  description: string,
  sentences: Sentence[],
  rules: CheckerRules,
): Verdict {
  const compounds = compoundsFor(id, rules);
  const reported = sentences.filter(isReported).map((s) => hitOf(s, compounds, rule, rules));
  const verdict = rule.mode === "cooccur" ? cooccur(rule, reported) : byDetails(rule, reported);
  if (verdict) return verdict;
  const elsewhere = sentences
    .filter((s) => !isReported(s) && !s.empty)
    .map((s) => hitOf(s, compounds, rule, rules))
    .find((hit) => hit.term || hit.details.length > 0);
  if (elsewhere) {
    return {
      status: "missing",
      evidence: `${whereOnly(elsewhere.sentence)}（${show(elsewhere, rule, 50)}），没有写本年度的情况`,
    };
  }
  return { status: "missing", evidence: `没有找到相关内容（应写：${description}）` };
}

function whereOnly(s: Sentence): string {
  if (s.part === "next-year") return "只在下一年度安排中提到";
  if (s.part === "shortcomings") return "只在存在的不足中提到";
  return "只写了计划或要求";
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
  // The evidence names the topic when it can: a sentence with a term beats one with more details.
  const score = (h: Hit): number => (h.term ? 100 : 0) + h.details.length;
  const best = body.reduce<Hit | undefined>(
    (a, b) => (a && score(a) >= score(b) ? a : b),
    undefined,
  );
  if (best && distinct.size >= rule.minDetails) {
    return { status: "present", evidence: show(best, rule, 80) };
  }
  if (best) {
    // A lone detail without the topic's word may be incidental (便民服务中心 as a place).
    const shown = best.term ? best : (hits.find((h) => h.term && !h.sentence.heading) ?? best);
    return {
      status: "weak",
      evidence: `只涉及${distinct.size}个方面（需要${rule.minDetails}个），内容单薄：${show(shown, rule, 60)}`,
    };
  }
  const mention = hits.find((h) => h.term || h.details.length > 0);
  return mention ? weak(mention, rule) : null;
}

function weak(hit: Hit, rule: TopicRule): Verdict {
  const what = hit.sentence.heading ? "只有标题" : "只有泛泛一提";
  return { status: "weak", evidence: `${what}，没有具体做法或数据：${show(hit, rule, 60)}` };
}
