import { matchingText } from "../check/text.js";
import type { ImportContext } from "./context.js";

/** Which section of the template a piece of text is about, by the words of each section's topic. */

/** Own words of a section weigh more than the checker's topic terms of its checklist items. */
const OWN_WEIGHT = 2;

const hits = (text: string, patterns: readonly RegExp[]): number =>
  patterns.filter((p) => p.test(text)).length;

/** Matching text with cited titles blanked: a law named is not the subject of the sentence. */
export function topicText(text: string): string {
  return matchingText(text).replace(/《[^《》]*》/gu, (t) => " ".repeat(t.length));
}

/** The best-scoring section, the earlier in the template on a tie; null when no topic is named. */
export function sectionOf(text: string, ctx: ImportContext): string | null {
  const subject = topicText(text);
  let best: { id: string; score: number } | null = null;
  for (const section of ctx.template.sections) {
    const own = hits(subject, ctx.rules.sections.get(section.id) ?? []);
    const terms = section.feeds.reduce(
      (n, feed) => n + hits(subject, ctx.checker.topics.get(feed)?.terms ?? []),
      0,
    );
    const score = own * OWN_WEIGHT + terms;
    if (score > 0 && (!best || score > best.score)) best = { id: section.id, score };
  }
  return best?.id ?? null;
}

/** The sections whose topic the text names at all (their own words or their checker terms). */
export function sectionsMentioned(text: string, ctx: ImportContext): Set<string> {
  const subject = topicText(text);
  const named = (id: string, feeds: readonly string[]): boolean =>
    hits(subject, ctx.rules.sections.get(id) ?? []) > 0 ||
    feeds.some((feed) => hits(subject, ctx.checker.topics.get(feed)?.terms ?? []) > 0);
  return new Set(ctx.template.sections.filter((s) => named(s.id, s.feeds)).map((s) => s.id));
}
