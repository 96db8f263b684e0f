import type { OrgKind } from "../domain/types.js";
import type { Candidate } from "./candidates.js";
import type { FoundOrg } from "./org.js";

/**
 * The answers file of design.md (what `draft --answers` reads) from candidates: each question's
 * candidate texts in file order. What the materials do not say about the office is a visible
 * placeholder (××), which the checker then flags in the draft, and is listed for the user.
 */

export interface AnswersFile {
  org: { name: string; kind: OrgKind; superior: string; year: number };
  answers: Record<string, string>;
}

export interface BuiltAnswers {
  file: AnswersFile;
  /** Org fields the materials did not give (Chinese names), to be filled in by hand. */
  missing: string[];
}

export function answersFileOf(
  candidates: readonly Candidate[],
  org: FoundOrg,
  fallbackYear: number,
): BuiltAnswers {
  const answers: Record<string, string> = {};
  for (const c of candidates) {
    const previous = answers[c.questionId];
    if (previous?.includes(c.text)) continue;
    answers[c.questionId] = previous ? `${previous}\n${c.text}` : c.text;
  }
  const missing: string[] = [];
  const or = <T>(value: T | null, placeholder: T, field: string): T => {
    if (value !== null) return value;
    missing.push(field);
    return placeholder;
  };
  const kind = or(org.kind, "镇", "单位类型");
  return {
    file: {
      org: {
        name: or(org.name, `××${kind}`, "单位名称"),
        kind,
        superior: or(org.superior, "××县", "上级名称"),
        year: or(org.year, fallbackYear, "年度"),
      },
      answers,
    },
    missing,
  };
}
