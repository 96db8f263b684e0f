import { beijingMinute } from "../domain/beijing-time.js";
import type { LastYearPlan, Member, Org } from "../domain/types.js";
import { IMPORTING, INTERVIEW } from "../messages/zh.js";
import type { Question, Section, Template } from "../template/load.js";
import {
  type Answers,
  isAnswered,
  progressOf,
  type SectionProgress,
} from "../template/progress.js";
import { chineseNumeral } from "../text/numerals.js";
import { shorten } from "../text/shorten.js";
import { BUTTONS } from "./callbacks.js";
import { factAnswers, isRequired, questionsOf } from "./progress.js";
import type { Button, DraftCheck, Reply } from "./types.js";

/**
 * The interview's replies: layout, buttons and progress marks. The wording comes from
 * ../messages; the template passed in is already filled for the office's kind.
 */

const PREVIEW_CHARS = 300;

export function sectionLabel(template: Template, section: Section): string {
  if (section.part === "intro") return section.title;
  if (section.part === "measures") {
    const measures = template.sections.filter((s) => s.part === "measures");
    return `（${chineseNumeral(measures.indexOf(section) + 1)}）${section.title}`;
  }
  return template.parts[section.part];
}

export function questionReply(template: Template, question: Question, answers: Answers): Reply {
  const section = template.section(question.sectionId) as Section;
  const index = section.questions.indexOf(question) + 1;
  const lines = [
    `【${sectionLabel(template, section)}】`,
    INTERVIEW.questionHead(index, section.questions.length, question.required),
    "",
    question.text,
    INTERVIEW.hint(question.hint),
  ];
  const current = answers.get(question.id);
  if (current && isAnswered(answers, question.id)) {
    lines.push("", INTERVIEW.currentAnswer(preview(current.text)), INTERVIEW.replaceNote);
  }
  return { text: lines.join("\n") };
}

export function ackReply(question: Question, mode: "replace" | "append" | "new"): Reply {
  return {
    text: INTERVIEW.ack(mode, question.text),
    buttons: [
      [
        { label: INTERVIEW.appendLabel, data: BUTTONS.append.pack(question.id) },
        { label: INTERVIEW.replaceLabel, data: BUTTONS.replace.pack(question.id) },
      ],
    ],
  };
}

export function pendingReply(
  question: Question,
  mode: "append" | "replace",
  current?: string,
): Reply {
  const tail = current ? `\n\n${INTERVIEW.currentAnswer(current)}` : "";
  return { text: `${INTERVIEW.pending(mode, question.text)}${tail}\n${INTERVIEW.cancelHint}` };
}

export function finishedReply(template: Template, answers: Answers): Reply {
  const facts = factAnswers(template, answers);
  const missing = progressOf(template, facts)
    .filter((p) => p.section.required)
    .reduce((n, p) => n + p.missing.length, 0);
  return { text: INTERVIEW.finished(missing) };
}

/** Progress per section; with the team known, who owns each section and who answered what. */
export function statusReply(
  template: Template,
  org: Org,
  answers: Answers,
  team?: { members: readonly Member[]; assignments: Readonly<Record<string, number>> },
): Reply {
  const rows = progressOf(template, answers);
  const done = rows.reduce((n, p) => n + p.answered, 0);
  const total = rows.reduce((n, p) => n + p.total, 0);
  const names = new Map(team?.members.map((m) => [m.userId, m.displayName]));
  const lines = [INTERVIEW.statusHead(org.name, org.superior, org.year, done, total), ""];
  for (const p of rows) {
    lines.push(
      `${mark(p)} ${bar(p.answered, p.total)} ${p.answered}/${p.total} ${shortLabel(template, p.section)}`,
    );
    if (!team) continue;
    const owner = team.assignments[p.section.id];
    const who = authorsOf(p.section, answers, names);
    const parts = [
      owner !== undefined ? INTERVIEW.owner(names.get(owner)) : "",
      who ? INTERVIEW.answeredBy(who) : "",
    ];
    if (parts.some(Boolean)) lines.push(`    ${parts.filter(Boolean).join(" · ")}`);
  }
  lines.push("", INTERVIEW.statusLegend);
  return { text: lines.join("\n") };
}

/** "小王 3、老李 1": who gave the current answers of a section, by count. */
function authorsOf(section: Section, answers: Answers, names: ReadonlyMap<number, string>): string {
  const counts = new Map<string, number>();
  for (const q of section.questions) {
    const answer = answers.get(q.id);
    if (!answer || !isAnswered(answers, q.id)) continue;
    const name = names.get(answer.author) ?? answer.authorName;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => `${name} ${n}`).join("、");
}

/** Every version of one answer, oldest first, with author and Beijing time. */
export function historyReply(question: Question, answers: Answers): Reply {
  const answer = answers.get(question.id);
  if (!answer) return { text: INTERVIEW.noAnswerYet(question.text) };
  const versions = [...(answer.history ?? []), answer];
  const lines = [INTERVIEW.versions(question.text, versions.length)];
  versions.forEach((v, i) => {
    const label = INTERVIEW.versionLabel(i, i === versions.length - 1);
    lines.push(
      "",
      `${label} · ${INTERVIEW.beijingTime(beijingMinute(new Date(v.at)))} · ${v.authorName}`,
      preview(v.text),
      ...(v.source ? [IMPORTING.source(v.source.file, v.source.quote)] : []),
    );
  });
  return { text: lines.join("\n") };
}

/**
 * Required questions still unanswered, then the optional ones left open (skipped or not reached)
 * and, when a draft exists, the items it lacks. `answers` are the fact answers (no staff notes).
 */
export function missingReply(template: Template, answers: Answers, draft?: DraftCheck): Reply {
  const gaps = progressOf(template, answers).filter(
    (p) => p.section.required && p.missing.length > 0,
  );
  const lines: string[] = [];
  if (gaps.length === 0) lines.push(INTERVIEW.nothingMissing);
  else lines.push(INTERVIEW.sectionsMissing(gaps.length));
  for (const p of gaps) {
    lines.push("", INTERVIEW.sectionMissing(sectionLabel(template, p.section), p.missing.length));
    for (const q of p.missing) lines.push(`  · ${shorten(q.text, 60)}`);
  }
  const optional = questionsOf(template).filter(
    (q) => !isRequired(template, q) && !isAnswered(answers, q.id),
  );
  if (optional.length > 0) {
    lines.push("", INTERVIEW.optionalOpen(optional.length));
    for (const q of optional) {
      const section = template.section(q.sectionId) as Section;
      lines.push(`  · ${shortLabel(template, section)}：${shorten(q.text, 40)}`);
    }
  }
  const targets = gaps.map((p) => p.section);
  if (draft) {
    const items = draftGaps(template, draft);
    lines.push(
      "",
      items.length === 0 ? INTERVIEW.draftComplete(draft.n) : INTERVIEW.draftItems(draft.n),
    );
    for (const item of items) {
      const where = item.sections.map((s) => sectionLabel(template, s)).join("、");
      lines.push(INTERVIEW.draftItem(item.status, item.title, where));
      for (const s of item.sections) if (!targets.includes(s)) targets.push(s);
    }
    const plans = plansLines(draft.lastYearPlans);
    if (plans.length > 0) lines.push("", ...plans);
    for (const plan of draft.lastYearPlans ?? []) {
      const section = plan.mentioned ? undefined : template.section(plan.section);
      if (section && !targets.includes(section)) targets.push(section);
    }
  }
  const text = lines.join("\n");
  if (targets.length === 0) return { text };
  const buttons = targets.map((s) => [
    { label: INTERVIEW.goTo(shortLabel(template, s)), data: BUTTONS.section.pack(s.id) },
  ]);
  return { text, buttons };
}

/**
 * Last year's plans accounted for (a check, a draft's summary, /missing): each plan item the
 * report never mentions, or that it mentions them all; nothing when there are none.
 */
export function plansLines(plans: readonly LastYearPlan[] | undefined): string[] {
  if (!plans || plans.length === 0) return [];
  const missed = plans.filter((p) => !p.mentioned);
  if (missed.length === 0) return [IMPORTING.plansAllMentioned(plans.length)];
  return [
    IMPORTING.plansHead(missed.length, plans.length),
    ...missed.map((p) => IMPORTING.planNotMentioned(p.text)),
  ];
}

/** The draft's missing and weak items, each with the sections whose answers feed it. */
function draftGaps(
  template: Template,
  draft: DraftCheck,
): { title: string; status: "missing" | "weak"; sections: Section[] }[] {
  return template.checklist.flatMap((item) => {
    const status = draft.missing.includes(item.id)
      ? "missing"
      : draft.weak.includes(item.id)
        ? "weak"
        : undefined;
    if (!status) return [];
    const sections = template.sections.filter((s) => s.feeds.includes(item.id));
    return [{ title: item.title, status, sections }];
  });
}

export function sectionsMenu(template: Template, answers: Answers, forEdit: boolean): Reply {
  const target = forEdit ? BUTTONS.editSection : BUTTONS.section;
  const buttons = progressOf(template, answers).map((p) => [
    {
      label: `${mark(p)} ${shortLabel(template, p.section)} ${p.answered}/${p.total}`,
      data: target.pack(p.section.id),
    },
  ]);
  return { text: INTERVIEW.pickSection(forEdit), buttons };
}

export function questionsMenu(template: Template, section: Section, answers: Answers): Reply {
  const buttons: Button[][] = section.questions.map((q, i) => [
    {
      label: `${isAnswered(answers, q.id) ? "✓" : "…"} ${i + 1}. ${shorten(q.text, 24)}`,
      data: BUTTONS.edit.pack(q.id),
    },
  ]);
  return { text: INTERVIEW.pickQuestion(sectionLabel(template, section)), buttons };
}

function mark(p: SectionProgress): string {
  if (!p.section.required) return "○";
  return p.missing.length === 0 ? "✓" : "…";
}

function bar(done: number, total: number): string {
  const width = 8;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return "▰".repeat(filled) + "▱".repeat(width - filled);
}

function shortLabel(template: Template, section: Section): string {
  return shorten(sectionLabel(template, section), 18);
}

function preview(text: string): string {
  return shorten(text, PREVIEW_CHARS);
}
