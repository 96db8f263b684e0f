import type { Answer, Cursor } from "../domain/types.js";
import type { Question } from "../template/load.js";
import { ask, cursorOf, merge, orgIdOf, resume } from "./flow.js";
import {
  entryQuestion,
  isAnswered,
  nextUnanswered,
  ownSections,
  previousQuestion,
} from "./progress.js";
import { continueRegistration, startRegistration } from "./registration.js";
import type { Input, InterviewContext, JoinLookup, Outcome, Reply } from "./types.js";
import {
  ackReply,
  HELP_TEXT,
  historyReply,
  missingReply,
  pendingReply,
  questionReply,
  questionsMenu,
  sectionsMenu,
  statusReply,
  TEXT,
} from "./views.js";

/** Longest answer taken in one message: Telegram's own message limit. */
export const MAX_ANSWER_CHARS = 4096;

/** The interview: (context, input) → effects to persist, then replies to send. No I/O. */
export function respond(ctx: InterviewContext, input: Input): Outcome {
  if (input.kind === "command") {
    const early = respondToGeneralCommand(ctx, input.name);
    if (early) return early;
  }
  if (input.kind === "join") return join(ctx, input.code, input.lookup);
  if (ctx.registration && (input.kind === "text" || isRegistrationButton(input))) {
    const value =
      input.kind === "text" ? input.text : input.data.slice(input.data.indexOf(":") + 1);
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
        say(`您已加入「${ctx.org?.name ?? ""}」，继续填写${ctx.org?.year ?? ""}年度报告。`),
        current(ctx),
      );
    default:
      return undefined;
  }
}

function join(ctx: InterviewContext, code: string, lookup: JoinLookup): Outcome {
  if (ctx.member) return say(`您已是「${ctx.org?.name ?? ""}」的成员，无需再次加入。`);
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
      replies: [{ text: `已加入「${org.name}」${org.year}年度法治政府建设报告的填写。` }],
    },
    resume(joined, null),
  );
}

function cancel(ctx: InterviewContext): Outcome {
  if (ctx.registration) {
    return {
      effects: [{ kind: "setRegistration", registration: null }],
      replies: [{ text: "已取消登记。需要时再发送 /start。" }],
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
  if (quoted) return editAnswer(ctx, cursor, quoted, text, "append", TEXT.replyAppended(quoted));
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
      replies: [ackReply(question, mode)],
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
  const ack = ackReply(question, had ? mode : "new");
  const replies: Reply[] = [note ? { ...ack, text: `${ack.text}\n${note}` } : ack];
  if (!had && mode === "append") replies.push({ text: TEXT.noAnswerToAppend(question) });
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
  const colon = data.indexOf(":");
  const action = colon < 0 ? data : data.slice(0, colon);
  const id = colon < 0 ? "" : data.slice(colon + 1);
  const cursor = cursorOf(ctx);
  switch (action) {
    case "ap":
    case "re":
    case "ed": {
      const question = ctx.template.question(id);
      if (!question) return say(TEXT.staleButton);
      const mode = action === "ap" ? "append" : "replace";
      const shown = action === "ed" ? ctx.answers.get(id)?.text : undefined;
      return {
        effects: [
          {
            kind: "setCursor",
            orgId: orgIdOf(ctx),
            cursor: { ...cursor, pending: { mode, questionId: id } },
          },
        ],
        replies: [pendingReply(question, mode, shown)],
      };
    }
    case "sec": {
      const section = ctx.template.section(id);
      return section ? ask(ctx, entryQuestion(section, ctx.answers)) : say(TEXT.staleButton);
    }
    case "edsec": {
      const section = ctx.template.section(id);
      return section
        ? say(questionsMenu(ctx.template, section, ctx.answers))
        : say(TEXT.staleButton);
    }
    default:
      return say(TEXT.staleButton);
  }
}

function command(ctx: InterviewContext, name: string, arg: string): Outcome {
  const cursor = cursorOf(ctx);
  const org = ctx.org;
  switch (name) {
    case "next":
      return resumeFrom(ctx, cursor.questionId);
    case "skip":
      return skip(ctx, cursor);
    case "back": {
      const previous = previousQuestion(ctx.template, cursor.questionId);
      return previous ? ask(ctx, previous) : say(TEXT.noPrevious);
    }
    case "sections":
      return say(sectionsMenu(ctx.template, ctx.answers, "sec"));
    case "edit":
      return edit(ctx, arg.trim());
    case "status": {
      if (!org) return say(TEXT.notMember);
      const team = ctx.members ? { members: ctx.members, assignments: ctx.assignments } : undefined;
      return say(statusReply(ctx.template, org, ctx.answers, team));
    }
    case "history": {
      const id = arg.trim() || cursor.questionId;
      const question = id ? ctx.template.question(id) : undefined;
      return say(question ? historyReply(question, ctx.answers) : TEXT.historyUsage);
    }
    case "missing":
      return say(missingReply(ctx.template, ctx.answers, ctx.draftCheck));
    default:
      return say(TEXT.unknownCommand(name));
  }
}

/** The first unanswered question from `questionId` on (inclusive), wrapping to the start. */
function resumeFrom(ctx: InterviewContext, questionId: string | null): Outcome {
  const previous = questionId ? previousQuestion(ctx.template, questionId) : undefined;
  const next = nextUnanswered(ctx.template, ctx.answers, previous?.id ?? null, true, own(ctx));
  return next ? ask(ctx, next) : merge(say(TEXT.allAnswered), ask(ctx, undefined));
}

function skip(ctx: InterviewContext, cursor: Cursor): Outcome {
  const question = cursor.questionId ? ctx.template.question(cursor.questionId) : undefined;
  if (!question) return say(TEXT.allAnswered);
  const next = nextUnanswered(ctx.template, ctx.answers, question.id, true, own(ctx));
  return merge(say(TEXT.skipped(question)), ask(ctx, next?.id === question.id ? undefined : next));
}

function edit(ctx: InterviewContext, arg: string): Outcome {
  if (arg === "") return say(sectionsMenu(ctx.template, ctx.answers, "edsec"));
  const section = ctx.template.section(arg);
  if (section) return say(questionsMenu(ctx.template, section, ctx.answers));
  if (ctx.template.question(arg)) return press(ctx, `ed:${arg}`);
  return say(`没有找到“${arg}”。发送 /edit 从章节列表中选择要修改的问题。`);
}

/** Re-asks the current question (or says all are done). */
function current(ctx: InterviewContext): Outcome {
  const cursor = cursorOf(ctx);
  const question = cursor.questionId ? ctx.template.question(cursor.questionId) : undefined;
  return ask(ctx, question);
}

function isRegistrationButton(input: Input): input is { kind: "button"; data: string } {
  return input.kind === "button" && /^(kind|year):/.test(input.data);
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
