import type { Answer, Cursor } from "../domain/types.js";
import { HELP_TEXT } from "../messages/commands.js";
import { INTERVIEW, TEXT } from "../messages/zh.js";
import type { Question } from "../template/load.js";
import { isAnswered } from "../template/progress.js";
import { cleanText } from "../text/sanitize.js";
import { BUTTONS } from "./callbacks.js";
import { ask, cursorOf, merge, orgIdOf, resume } from "./flow.js";
import {
  entryQuestion,
  factAnswers,
  isNoteOnly,
  isRequired,
  nextByPriority,
  nextUnanswered,
  ownSections,
  previousQuestion,
} from "./progress.js";
import { findQuestion, findSection } from "./refs.js";
import { continueRegistration, startRegistration } from "./registration.js";
import type { Input, InterviewContext, JoinLookup, Outcome, Reply } from "./types.js";
import {
  ackReply,
  historyReply,
  missingReply,
  pendingReply,
  questionReply,
  questionsMenu,
  sectionsMenu,
  statusReply,
} from "./views.js";

/** Longest answer taken in one message: Telegram's own message limit. */
export const MAX_ANSWER_CHARS = 4096;

/**
 * The interview: (context, input) → effects to persist, then replies to send. No I/O. The
 * context's template is the one filled for the office's kind (see messages/wording).
 */
export function respond(ctx: InterviewContext, raw: Input): Outcome {
  // Typed text enters here: stored without forbidden characters, and "" when nothing shows.
  const input = raw.kind === "text" ? { ...raw, text: cleanText(raw.text) } : raw;
  if (input.kind === "command") {
    const early = respondToGeneralCommand(ctx, input.name);
    if (early) return early;
  }
  if (input.kind === "join") return join(ctx, input.code, input.lookup);
  const value = ctx.registration ? registrationValue(input) : undefined;
  if (ctx.registration && value !== undefined) {
    return continueRegistration(ctx, ctx.registration, value);
  }
  if (!ctx.member || !ctx.org)
    return say(input.kind === "button" ? TEXT.staleButton : TEXT.notMember);
  switch (input.kind) {
    case "text":
      return answer(ctx, input.text, input.replyTo);
    case "button":
      return press(ctx, input.data);
    case "command":
      return command(ctx, input.name, input.arg);
  }
}

function respondToGeneralCommand(ctx: InterviewContext, name: string): Outcome | undefined {
  switch (name) {
    case "help":
      return say(HELP_TEXT);
    case "cancel":
      return cancel(ctx);
    case "start":
      if (!ctx.member) return startRegistration();
      return merge(
        say(INTERVIEW.welcomeBack(ctx.org?.name ?? "", ctx.org?.year ?? 0)),
        current(ctx),
      );
    default:
      return undefined;
  }
}

function join(ctx: InterviewContext, code: string, lookup: JoinLookup): Outcome {
  if (ctx.member) return say(INTERVIEW.alreadyMember(ctx.org?.name ?? ""));
  if ("problem" in lookup) return say(TEXT.joinRefused(code, lookup.problem));
  const { org } = lookup;
  const member = {
    userId: ctx.user.id,
    orgId: org.id,
    role: "member" as const,
    displayName: ctx.user.name,
    joinedAt: ctx.now.toISOString(),
  };
  const joined = { ...ctx, member, org };
  return merge(
    {
      effects: [
        { kind: "useInvite", code },
        { kind: "addMember", member },
        { kind: "setRegistration", registration: null },
      ],
      replies: [{ text: INTERVIEW.joined(org.name, org.year) }],
    },
    resume(joined, null),
  );
}

function cancel(ctx: InterviewContext): Outcome {
  if (ctx.registration) {
    return {
      effects: [{ kind: "setRegistration", registration: null }],
      replies: [{ text: INTERVIEW.registrationCancelled }],
    };
  }
  const cursor = ctx.member ? cursorOf(ctx) : undefined;
  if (!cursor?.pending) return say(TEXT.nothingToCancel);
  return merge(
    {
      effects: [{ kind: "setCursor", orgId: orgIdOf(ctx), cursor: { ...cursor, pending: null } }],
      replies: [{ text: TEXT.cancelled }],
    },
    current(ctx),
  );
}

function answer(ctx: InterviewContext, raw: string, replyTo: string | undefined): Outcome {
  const text = raw.trim();
  if (text === "") return say(TEXT.emptyText);
  const length = Array.from(text).length;
  if (length > MAX_ANSWER_CHARS) return say(TEXT.tooLong(length, MAX_ANSWER_CHARS));
  const cursor = cursorOf(ctx);
  const quoted = replyTo ? ctx.template.question(replyTo) : undefined;
  if (quoted)
    return editAnswer(ctx, cursor, quoted, text, "append", TEXT.replyAppended(quoted.text));
  if (cursor.pending) {
    const target = ctx.template.question(cursor.pending.questionId);
    if (target) return editAnswer(ctx, cursor, target, text, cursor.pending.mode);
  }
  const question = cursor.questionId ? ctx.template.question(cursor.questionId) : undefined;
  if (!question) return say(TEXT.finishedNoSave);
  const mode = isAnswered(ctx.answers, question.id) ? "replace" : "new";
  const after = withAnswer(ctx, question, text);
  return merge(
    {
      effects: [{ kind: "saveAnswer", questionId: question.id, text, mode: "replace" }],
      replies: [withNoteAck(ctx, text, ackReply(question, mode))],
    },
    resume(after, question.id),
  );
}

/** Appends to or replaces an answer other than the current question's, then asks the current one. */
function editAnswer(
  ctx: InterviewContext,
  cursor: Cursor,
  question: Question,
  text: string,
  mode: "append" | "replace",
  note?: string,
): Outcome {
  const had = isAnswered(ctx.answers, question.id);
  const ack = withNoteAck(ctx, text, ackReply(question, had ? mode : "new"));
  const replies: Reply[] = [note ? { ...ack, text: `${ack.text}\n${note}` } : ack];
  if (!had && mode === "append") replies.push({ text: TEXT.noAnswerToAppend(question.text) });
  const after = withAnswer(ctx, question, text);
  const next = cursor.questionId ? after.template.question(cursor.questionId) : undefined;
  return merge(
    {
      effects: [
        { kind: "saveAnswer", questionId: question.id, text, mode: had ? mode : "replace" },
        { kind: "setCursor", orgId: orgIdOf(ctx), cursor: { ...cursor, pending: null } },
      ],
      replies,
    },
    next
      ? { effects: [], replies: [questionReply(ctx.template, next, after.answers)] }
      : { effects: [], replies: [] },
  );
}

function press(ctx: InterviewContext, data: string): Outcome {
  const [appendTo] = BUTTONS.append.unpack(data) ?? [];
  if (appendTo) return pending(ctx, appendTo, "append", false);
  const [replaceOf] = BUTTONS.replace.unpack(data) ?? [];
  if (replaceOf) return pending(ctx, replaceOf, "replace", false);
  const [edited] = BUTTONS.edit.unpack(data) ?? [];
  if (edited) return pending(ctx, edited, "replace", true);
  const [sectionId] = BUTTONS.section.unpack(data) ?? [];
  const section = sectionId ? ctx.template.section(sectionId) : undefined;
  if (section) return ask(ctx, entryQuestion(section, ctx.answers));
  const [editSectionId] = BUTTONS.editSection.unpack(data) ?? [];
  const toEdit = editSectionId ? ctx.template.section(editSectionId) : undefined;
  if (toEdit) return say(questionsMenu(ctx.template, toEdit, ctx.answers));
  return say(TEXT.staleButton);
}

/** The next free text appends to or replaces `questionId`'s answer (shown first for an edit). */
function pending(
  ctx: InterviewContext,
  questionId: string,
  mode: "append" | "replace",
  showCurrent: boolean,
): Outcome {
  const question = ctx.template.question(questionId);
  if (!question) return say(TEXT.staleButton);
  const shown = showCurrent ? ctx.answers.get(questionId)?.text : undefined;
  return {
    effects: [
      {
        kind: "setCursor",
        orgId: orgIdOf(ctx),
        cursor: { ...cursorOf(ctx), pending: { mode, questionId } },
      },
    ],
    replies: [pendingReply(question, mode, shown)],
  };
}

function command(ctx: InterviewContext, name: string, arg: string): Outcome {
  const cursor = cursorOf(ctx);
  const org = ctx.org;
  switch (name) {
    case "next":
      return nextOpen(ctx, cursor.questionId);
    case "skip":
      return skip(ctx, cursor);
    case "back": {
      const previous = previousQuestion(ctx.template, cursor.questionId);
      return previous ? ask(ctx, previous) : say(TEXT.noPrevious);
    }
    case "sections":
      return say(sectionsMenu(ctx.template, factAnswers(ctx.template, ctx.answers), false));
    case "edit":
      return edit(ctx, arg.trim());
    case "status": {
      if (!org) return say(TEXT.notMember);
      const team = ctx.members ? { members: ctx.members, assignments: ctx.assignments } : undefined;
      return say(statusReply(ctx.template, org, factAnswers(ctx.template, ctx.answers), team));
    }
    case "history": {
      const question =
        arg.trim() !== ""
          ? findQuestion(ctx.template, arg)
          : cursor.questionId
            ? ctx.template.question(cursor.questionId)
            : undefined;
      return say(question ? historyReply(question, ctx.answers) : TEXT.historyUsage);
    }
    case "missing":
      return say(
        missingReply(ctx.template, factAnswers(ctx.template, ctx.answers), ctx.draftCheck),
      );
    default:
      return say(TEXT.unknownCommand(name));
  }
}

/**
 * /next: the first open question from `questionId` on (inclusive, wrapping), required ones first;
 * once no required one is open, it says so before any optional one. A staff note is no answer.
 */
function nextOpen(ctx: InterviewContext, questionId: string | null): Outcome {
  const previous = questionId ? previousQuestion(ctx.template, questionId) : undefined;
  const facts = factAnswers(ctx.template, ctx.answers);
  const next = nextByPriority(ctx.template, facts, previous?.id ?? null, own(ctx));
  if (next && isRequired(ctx.template, next)) return ask(ctx, next);
  if (next) return merge(say(INTERVIEW.requiredDone), ask(ctx, next));
  return {
    effects: [
      { kind: "setCursor", orgId: orgIdOf(ctx), cursor: { questionId: null, pending: null } },
    ],
    replies: [{ text: `${TEXT.allAnswered}\n${INTERVIEW.requiredDone}` }],
  };
}

/** Saving a staff note ("待查") as an answer: the user learns it is a gap, not a fact. */
function withNoteAck(ctx: InterviewContext, text: string, ack: Reply): Reply {
  if (!isNoteOnly(text, ctx.template.staffNotes)) return ack;
  return { ...ack, text: `${ack.text}\n${INTERVIEW.noteSaved}` };
}

function skip(ctx: InterviewContext, cursor: Cursor): Outcome {
  const question = cursor.questionId ? ctx.template.question(cursor.questionId) : undefined;
  if (!question) return say(TEXT.allAnswered);
  const next = nextUnanswered(ctx.template, ctx.answers, question.id, true, own(ctx));
  return merge(
    say(TEXT.skipped(question.text)),
    ask(ctx, next?.id === question.id ? undefined : next),
  );
}

function edit(ctx: InterviewContext, arg: string): Outcome {
  if (arg === "")
    return say(sectionsMenu(ctx.template, factAnswers(ctx.template, ctx.answers), true));
  const question = findQuestion(ctx.template, arg);
  if (question) return pending(ctx, question.id, "replace", true);
  const section = findSection(ctx.template, arg);
  if (section) return say(questionsMenu(ctx.template, section, ctx.answers));
  return say(INTERVIEW.notFound(arg));
}

/** Re-asks the current question (or says all are done). */
function current(ctx: InterviewContext): Outcome {
  const cursor = cursorOf(ctx);
  const question = cursor.questionId ? ctx.template.question(cursor.questionId) : undefined;
  return ask(ctx, question);
}

/** During registration: free text, or a kind or year button's value. */
function registrationValue(input: Input): string | undefined {
  if (input.kind === "text") return input.text;
  if (input.kind !== "button") return undefined;
  const [kind] = BUTTONS.kind.unpack(input.data) ?? [];
  const [year] = BUTTONS.year.unpack(input.data) ?? [];
  return kind ?? (year === undefined ? undefined : String(year));
}

function withAnswer(ctx: InterviewContext, question: Question, text: string): InterviewContext {
  const answers = new Map(ctx.answers);
  const answer: Answer = {
    questionId: question.id,
    text,
    author: ctx.user.id,
    authorName: ctx.user.name,
    at: ctx.now.toISOString(),
  };
  answers.set(question.id, answer);
  return { ...ctx, answers };
}

function own(ctx: InterviewContext): Set<string> {
  return ownSections(ctx.assignments, ctx.user.id);
}

function say(reply: Reply | string): Outcome {
  return { effects: [], replies: [typeof reply === "string" ? { text: reply } : reply] };
}
