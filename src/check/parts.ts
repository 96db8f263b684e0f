import type { BodyPart, CheckerRules } from "./rules.js";
import type { Heading, Segmented, Sentence } from "./segment.js";
import { cjkLength, matchesAny, quote, quoteMatch } from "./text.js";
import type { Verdict } from "./types.js";

/** Verdicts on the five parts the regulation requires, and on the causes of the shortcomings. */

const PART_NAMES: Record<BodyPart, string> = {
  measures: "主要举措和成效",
  "first-responsible": "第一责任人职责",
  shortcomings: "存在的不足",
  "next-year": "下一年度安排",
  other: "其他需要报告的情况",
};

function bodyOf(doc: Segmented, part: BodyPart): Sentence[] {
  return doc.sentences.filter((s) => s.part === part && !s.heading);
}

function openingHeading(doc: Segmented, part: BodyPart): Heading | undefined {
  return doc.headings.find((h) => h.opens.includes(part));
}

/** Where a part was found: its heading, or none (the part was opened by a sentence). */
function located(doc: Segmented, part: BodyPart): string {
  const heading = openingHeading(doc, part);
  return heading ? `标题${quote(heading.line, 40)}` : "没有小标题";
}

/** "标题“…”下" when the part has a heading, else nothing. */
function under(doc: Segmented, part: BodyPart): string {
  const heading = openingHeading(doc, part);
  return heading ? `标题${quote(heading.line, 40)}下` : "";
}

/**
 * A part that is there (heading or cue) with enough text; thin when there is little beyond it.
 * A heading proves nothing: a part with only headings, placeholders or staff notes is missing.
 */
function judgeWrittenPart(doc: Segmented, part: BodyPart, rules: CheckerRules): Verdict {
  const body = bodyOf(doc, part);
  const heading = openingHeading(doc, part);
  const chars = cjkLength(body.map((s) => s.norm).join(""));
  const name = PART_NAMES[part];
  if (body.length === 0) {
    return {
      status: "missing",
      evidence: heading
        ? `${under(doc, part)}没有内容（只有标题、待补充标记或备注）`
        : `没有找到“${name}”部分`,
    };
  }
  if (chars < rules.thresholds.partMinChars) {
    return {
      status: "weak",
      evidence: `${under(doc, part)}内容过少（${chars}字），没有具体内容`,
    };
  }
  return {
    status: "present",
    evidence: `${located(doc, part)}：${quote(body[0]?.text ?? "")}`,
  };
}

export function judgeMeasures(doc: Segmented, rules: CheckerRules): Verdict {
  const body = bodyOf(doc, "measures");
  if (body.length === 0) {
    return {
      status: "missing",
      evidence: openingHeading(doc, "measures")
        ? `${under(doc, "measures")}没有内容（只有标题、待补充标记或备注）`
        : "没有找到“主要举措和成效”部分",
    };
  }
  const chars = cjkLength(body.map((s) => s.norm).join(""));
  if (chars < rules.thresholds.measuresMinChars) {
    return {
      status: "weak",
      evidence: `${under(doc, "measures")}只有${chars}字，过于单薄`,
    };
  }
  const plans = body.filter((s) => s.plan).length;
  const done = body.filter((s) => matchesAny(s.norm, rules.sentence.done)).length;
  if (plans >= rules.thresholds.planSentencesMin && plans > done) {
    const example = body.find((s) => s.plan)?.text ?? "";
    return {
      status: "weak",
      evidence: `写的是计划而不是已做的工作：${plans}句是目标或要求（如${quoteMatch(example, rules.sentence.plan, 40)}），只有${done}句写已完成的事`,
    };
  }
  return { status: "present", evidence: `${located(doc, "measures")}，共${body.length}句` };
}

export function judgeShortcomings(doc: Segmented, rules: CheckerRules): Verdict {
  return judgeWrittenPart(doc, "shortcomings", rules);
}

export function judgeNextYear(doc: Segmented, rules: CheckerRules): Verdict {
  // Sub-headings of the arrangements are arrangements too ("（二）推进三项制度全面落实").
  const verdict = judgeWrittenPart(doc, "next-year", rules);
  if (verdict.status === "present") return verdict;
  const subHeadings = doc.sentences.filter((s) => s.part === "next-year" && s.heading && !s.empty);
  return subHeadings.length >= 2
    ? {
        status: "present",
        evidence: `下一年度安排列了${subHeadings.length}条：${quote(subHeadings[1]?.text ?? "")}`,
      }
    : verdict;
}

export function judgeCauses(doc: Segmented, rules: CheckerRules): Verdict {
  const body = bodyOf(doc, "shortcomings");
  if (body.length === 0) {
    return { status: "missing", evidence: "没有写存在的不足，也就没有原因分析" };
  }
  const explicit = body.find((s) => matchesAny(s.norm, rules.causes.explicit));
  if (explicit)
    return { status: "present", evidence: quoteMatch(explicit.text, rules.causes.explicit, 80) };
  const implicit = body.find((s) => matchesAny(s.norm, rules.causes.implicit));
  if (implicit) {
    return {
      status: "weak",
      evidence: `没有专门分析原因，只在问题描述里带出缘由：${quoteMatch(implicit.text, rules.causes.implicit)}`,
    };
  }
  return {
    status: "missing",
    evidence: "只列举了问题，没有分析原因（如“究其原因”“主要是由于”“主观上/客观上”）",
  };
}

/**
 * The township's own leaders named in a sentence, or in a heading it stands under ("（一）主要负责
 * 同志带头履职"); a regulation's title (《党政主要负责人履行……规定》) and a superior's leaders
 * (县委书记 visiting) are blanked first.
 */
function namesLeaders(s: Sentence, rules: CheckerRules): boolean {
  const own = (text: string): boolean => {
    let out = text.replace(/《[^《》]*》/gu, " ");
    for (const superior of rules.firstResponsible.superiors) out = out.replace(superior, " ");
    return matchesAny(out, rules.firstResponsible.leaders);
  };
  return own(s.norm) || own(s.under);
}

/**
 * The duty of the principal leaders: its own part with content, or, inside other parts,
 * sentences that name the leaders with acts of the duty (述法, 研究部署, 带头学法 …).
 */
export function judgeFirstResponsible(doc: Segmented, rules: CheckerRules): Verdict {
  const own = judgeWrittenPart(doc, "first-responsible", rules);
  const body = bodyOf(doc, "first-responsible");
  if (own.status === "present" && body.some((s) => !s.plan)) return own;
  const eligible = doc.sentences.filter(
    (s) => !s.heading && s.part !== "next-year" && s.part !== "shortcomings",
  );
  const naming = eligible.filter((s) => namesLeaders(s, rules));
  const reported = naming.filter((s) => !s.plan);
  const withAct = reported.find((s) => matchesAny(s.norm, rules.firstResponsible.acts));
  if (withAct && reported.length >= rules.firstResponsible.minSentences) {
    return {
      status: "present",
      evidence: `${own.status === "missing" ? "没有单列部分，但" : ""}${reported.length}处写了主要负责人履职：${quoteMatch(withAct.text, rules.firstResponsible.leaders, 70)}`,
    };
  }
  if (own.status === "present") {
    return { status: "weak", evidence: `${own.evidence}——写的是计划或要求，不是履职情况` };
  }
  if (own.status === "weak") return own;
  // Show the sentence closest to the duty: one with an act, even a planned one.
  const any = naming.find((s) => matchesAny(s.norm, rules.firstResponsible.acts)) ?? naming[0];
  if (!any)
    return {
      status: "missing",
      evidence: "没有写党政主要负责人履行推进法治建设第一责任人职责的情况",
    };
  const why = any.plan ? "只是计划或要求" : "只有一句，没有具体履职情况";
  return {
    status: "weak",
    evidence: `${why}：${quoteMatch(any.text, rules.firstResponsible.leaders, 70)}`,
  };
}
