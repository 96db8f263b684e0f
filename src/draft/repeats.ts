import { withoutNumbering } from "./formal.js";
import type { DraftRequest, Fact, SectionFacts } from "./types.js";

/**
 * A fact asked twice goes where it fits best. Staff often give the same fact to two questions
 * ("排查矛盾纠纷1471宗" under 矛盾纠纷 and again under 基层治理); a report states it once. A clause
 * (a line, or a part ending in 。；) is the same fact as another when both hold the same figures and
 * most of the same words (or, without figures, the same words). Of such clauses only the one whose
 * question (or section) shares most words with it is kept; the others leave their answers. An
 * answer left with nothing is listed as `elsewhere`, so that its question is not marked missing.
 */

/** Clauses shorter than this (in letters and digits) are too generic to be one fact: kept. */
const MIN_CLAUSE = 8;
/** Share of character pairs two clauses with the same figures must have in common. */
const SAME_FACT = 0.6;

interface Clause {
  section: number;
  fact: number;
  segment: number;
  norm: string;
  figures: string;
  fit: number;
}

export function placeRepeatedFacts(request: DraftRequest): DraftRequest {
  const segments = request.sections.map((s) => s.facts.map((f) => segmentsOf(f.text)));
  const clauses = clausesOf(request.sections, segments);
  const dropped = new Set<string>();
  for (const group of repeatGroups(clauses)) {
    const best = group.reduce((a, b) => (b.fit > a.fit ? b : a));
    for (const c of group) if (c !== best) dropped.add(key(c.section, c.fact, c.segment));
  }
  if (dropped.size === 0) return request;
  return {
    ...request,
    sections: request.sections.map((s, si) => without(s, si, segments[si] ?? [], dropped)),
  };
}

function key(section: number, fact: number, segment: number): string {
  return `${section}/${fact}/${segment}`;
}

/** The text in pieces that join back to it: clauses with their end mark, and line breaks. */
function segmentsOf(text: string): string[] {
  return text.match(/[^。；;\n]+[。；;]?|\n/g) ?? [];
}

function normal(text: string): string {
  return withoutNumbering(text.trim()).replace(/[^\p{Script=Han}\p{L}\d]/gu, "");
}

function clausesOf(sections: SectionFacts[], segments: string[][][]): Clause[] {
  const out: Clause[] = [];
  sections.forEach((s, si) => {
    s.facts.forEach((fact, fi) => {
      const context = contextOf(s, fact);
      (segments[si]?.[fi] ?? []).forEach((text, gi) => {
        const norm = normal(text);
        if (norm.length < MIN_CLAUSE) return;
        const figures = (norm.match(/\d+(?:\.\d+)?/g) ?? []).sort().join(" ");
        out.push({ section: si, fact: fi, segment: gi, norm, figures, fit: share(norm, context) });
      });
    });
  });
  return out;
}

/** What a fact answers: its question, or for free text the section's title and leads. */
function contextOf(s: SectionFacts, fact: Fact): Set<string> {
  const q = s.section.questions.find((question) => question.id === fact.questionId);
  const text = q
    ? `${q.text}${q.lead}${s.section.title}`
    : `${s.section.title}${s.section.questions.map((x) => x.lead).join("")}`;
  return pairs(normal(text));
}

function pairs(text: string): Set<string> {
  const out = new Set<string>();
  const chars = [...text];
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/** Share of the character pairs of `text` found in `other`. */
function share(text: string, other: Set<string>): number {
  const own = pairs(text);
  if (own.size === 0) return 0;
  let common = 0;
  for (const p of own) if (other.has(p)) common++;
  return common / own.size;
}

function sameFact(a: Clause, b: Clause): boolean {
  if (a.section === b.section && a.fact === b.fact) return false;
  if (a.norm === b.norm) return true;
  if (a.figures === "" || a.figures !== b.figures) return false;
  const pa = pairs(a.norm);
  const pb = pairs(b.norm);
  let common = 0;
  for (const p of pa) if (pb.has(p)) common++;
  return (2 * common) / (pa.size + pb.size) >= SAME_FACT;
}

/** Clauses stating the same fact, grouped (each group has two or more). */
function repeatGroups(clauses: Clause[]): Clause[][] {
  const groupOf = new Map<Clause, Clause[]>();
  for (let i = 0; i < clauses.length; i++) {
    for (let j = i + 1; j < clauses.length; j++) {
      const a = clauses[i] as Clause;
      const b = clauses[j] as Clause;
      if (!sameFact(a, b)) continue;
      const ga = groupOf.get(a);
      const gb = groupOf.get(b);
      if (ga && gb && ga !== gb) {
        ga.push(...gb);
        for (const c of gb) groupOf.set(c, ga);
      } else if (ga && !gb) {
        ga.push(b);
        groupOf.set(b, ga);
      } else if (!ga && gb) {
        gb.push(a);
        groupOf.set(a, gb);
      } else if (!ga && !gb) {
        const group = [a, b];
        groupOf.set(a, group);
        groupOf.set(b, group);
      }
    }
  }
  return [...new Set(groupOf.values())];
}

function without(
  s: SectionFacts,
  si: number,
  segments: string[][],
  dropped: Set<string>,
): SectionFacts {
  const elsewhere: string[] = [];
  const facts: Fact[] = [];
  s.facts.forEach((fact, fi) => {
    const kept = (segments[fi] ?? []).filter((_, gi) => !dropped.has(key(si, fi, gi)));
    const text = kept
      .join("")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^[，,、；;。\s]+/gm, "")
      .trim();
    if (text !== "") facts.push({ ...fact, text });
    else if (fact.questionId) elsewhere.push(fact.questionId);
  });
  if (facts.length === s.facts.length && facts.every((f, i) => f === s.facts[i])) return s;
  return { ...s, facts, ...(elsewhere.length > 0 ? { elsewhere } : {}) };
}
