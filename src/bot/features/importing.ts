import { randomBytes } from "node:crypto";
import { extname } from "node:path";
import { Composer } from "grammy";
import { plansOfMember, verdictWithPlans } from "../../app/checking.js";
import {
  adoptCandidate,
  type ImportDeps,
  importLastYear,
  officeOf,
  proposeCandidates,
  type ReadFile,
  registerFromLastYear,
} from "../../app/import.js";
import { runInterview, type User } from "../../app/interview.js";
import type { Checker } from "../../check/checker.js";
import { assertUploadable, InputError, readReportBuffer } from "../../check/read-input.js";
import type { Candidate } from "../../import/candidates.js";
import { readMaterialBuffer } from "../../import/read-material.js";
import { BUTTONS, type CandidateAction, type UploadKind } from "../../interview/callbacks.js";
import { errorData } from "../../log.js";
import { templateForKind } from "../../messages/wording.js";
import { CHECKING, IMPORTING, REGISTRATION, TEXT } from "../../messages/zh.js";
import type { Seat } from "../../store/store.js";
import { INVITE_DAYS } from "../../team/invites.js";
import type { Template } from "../../template/load.js";
import { showControls } from "../../text/controls.js";
import { cleanText } from "../../text/sanitize.js";
import type { BotContext } from "../context.js";
import { replyLong } from "../render.js";
import { download } from "./checking.js";

/**
 * A member's upload can be several things: a report to check, last year's report, or one of this
 * year's materials. The caption may say which; otherwise buttons ask. The file's text waits for
 * the answer in memory only (never in the store), under a random id carried by the buttons, and
 * is forgotten after HOLD_MS. A material's candidates wait the same way for a member's tap:
 * nothing is adopted without one. Non-members (and groups) only check, in features/checking.ts.
 */

/** How long an upload's text waits for the member's choice and taps. */
export const HOLD_MS = 30 * 60_000;
/** Uploads held at once; the oldest is forgotten first (bounds the memory a busy bot uses). */
const MAX_HELD = 200;
/** Candidates offered per material: a chat is not the place for a long list. */
export const MAX_OFFERED = 20;

interface Held {
  userId: number;
  file: ReadFile;
  /** The reader's note (e.g. read as GBK), shown with a check. */
  notice: string;
  expiresAt: number;
  candidates: Candidate[];
  /** Candidates already adopted or skipped. */
  handled: Set<number>;
}

/** Held uploads, and the member whose next text message edits a candidate. */
class Uploads {
  private readonly held = new Map<string, Held>();
  private readonly editing = new Map<number, { id: string; index: number }>();

  constructor(private readonly now: () => Date) {}

  put(userId: number, file: ReadFile, notice: string): string {
    const now = this.now().getTime();
    for (const [id, h] of this.held) if (h.expiresAt <= now) this.held.delete(id);
    while (this.held.size >= MAX_HELD) this.held.delete(this.held.keys().next().value ?? "");
    const id = randomBytes(9).toString("base64url");
    this.held.set(id, {
      userId,
      file,
      notice,
      expiresAt: now + HOLD_MS,
      candidates: [],
      handled: new Set(),
    });
    return id;
  }

  /** The upload, if it is still held and was sent by this user. */
  get(id: string, userId: number): Held | undefined {
    const held = this.held.get(id);
    if (!held || held.userId !== userId) return undefined;
    if (held.expiresAt > this.now().getTime()) return held;
    this.held.delete(id);
    return undefined;
  }

  startEdit(userId: number, id: string, index: number): void {
    this.editing.set(userId, { id, index });
  }

  takeEdit(userId: number): { id: string; index: number } | undefined {
    const edit = this.editing.get(userId);
    this.editing.delete(userId);
    return edit;
  }
}

/** What a caption says the file is, if it says. */
export function kindFromCaption(caption: string | undefined): UploadKind | undefined {
  if (!caption) return undefined;
  if (/去年|上年|上一年/u.test(caption)) return "last";
  if (/材料|台账|总结|纪要/u.test(caption)) return "material";
  if (/检查/u.test(caption)) return "check";
  return undefined;
}

export function importingFeature(
  deps: ImportDeps,
  template: Template,
  checker: Checker,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const uploads = new Uploads(deps.now);
  const chat = composer.chatType("private");
  // Question texts and section titles as this office reads them ({party} filled).
  const questionText = (seat: Seat, id: string): string =>
    templateForKind(template, seat.org.kind).question(id)?.text ?? id;

  chat.on("message:document", async (ctx, next) => {
    const kind = kindFromCaption(ctx.message.caption);
    const userId = ctx.from?.id;
    if (kind === "check" || userId === undefined) return next();
    const seat = await deps.store.seatOf(userId);
    // Someone not yet registered gets the check, unless they say it is last year's report.
    if (!seat && kind !== "last") return next();
    const doc = ctx.message.document;
    const name = showControls(doc.file_name ?? CHECKING.unnamedFile);
    let id: string;
    try {
      const read = await readUpload(ctx, name, doc.file_size);
      id = uploads.put(userId, read.file, read.notice);
    } catch (error) {
      if (error instanceof InputError)
        return void (await ctx.reply(CHECKING.inputError(error.messageZh)));
      ctx.log.error("reading an uploaded document failed", errorData(error));
      return void (await ctx.reply(CHECKING.readFailed));
    }
    if (!seat) return offerOffice(ctx, id);
    if (kind) return choose(ctx, seat, id, kind);
    const { choice } = IMPORTING;
    await replyLong(ctx, {
      text: IMPORTING.askKind(name),
      buttons: [
        [{ label: choice.check, data: BUTTONS.upload.pack(id, "check") }],
        [{ label: choice.lastYear, data: BUTTONS.upload.pack(id, "last") }],
        [{ label: choice.material, data: BUTTONS.upload.pack(id, "material") }],
      ],
    });
  });

  chat.callbackQuery(BUTTONS.upload.filter, async (ctx) => {
    await ctx.answerCallbackQuery();
    const values = BUTTONS.upload.unpack(ctx.callbackQuery.data);
    const seat = await seatOf(ctx);
    if (!values || !seat) return void (await ctx.reply(IMPORTING.expired));
    await choose(ctx, seat, ...values);
  });

  chat.callbackQuery(BUTTONS.candidate.filter, async (ctx) => {
    await ctx.answerCallbackQuery();
    const values = BUTTONS.candidate.unpack(ctx.callbackQuery.data);
    const seat = await seatOf(ctx);
    if (!values || !seat) return void (await ctx.reply(IMPORTING.expired));
    await onCandidate(ctx, seat, ...values);
  });

  chat.callbackQuery(BUTTONS.register.filter, async (ctx) => {
    await ctx.answerCallbackQuery();
    const values = BUTTONS.register.unpack(ctx.callbackQuery.data);
    const user = ctx.from && { id: ctx.from.id, name: nameOf(ctx.from) };
    const held = values && user && uploads.get(values[0], user.id);
    if (!values || !user || !held) return void (await ctx.reply(IMPORTING.expired));
    if (values[1] === "self") {
      await interview(ctx, user, "start");
      return void (await ctx.reply(IMPORTING.resendAfterRegistration));
    }
    const seat = await deps.store.seatOf(user.id);
    // Registered meanwhile (by hand, or a second tap): the report is their office's last year's.
    if (seat) return choose(ctx, seat, values[0], "last");
    const registered = await registerFromLastYear(deps, user, held.file);
    if (!registered) return void (await ctx.reply(IMPORTING.officeIncomplete));
    const { seat: mine, saved } = registered;
    await ctx.reply(REGISTRATION.done(mine.org, INVITE_DAYS));
    await replyLong(ctx, {
      text: lastYearSummary(saved, templateForKind(template, mine.org.kind)),
    });
    await interview(ctx, user, "next");
  });

  // After 修改, the member's next text message is the answer (a command cancels the edit).
  chat.on("message:text", async (ctx, next) => {
    const userId = ctx.from?.id;
    const edit = userId === undefined ? undefined : uploads.takeEdit(userId);
    if (userId === undefined || !edit || ctx.message.text.startsWith("/")) return next();
    const held = uploads.get(edit.id, userId);
    const candidate = held?.candidates[edit.index];
    const seat = await seatOf(ctx);
    if (!held || !candidate || !seat) return void (await ctx.reply(IMPORTING.expired));
    // Stored as the interview stores typed answers: without characters that do not show.
    const text = cleanText(ctx.message.text).trim();
    if (text === "") {
      uploads.startEdit(userId, edit.id, edit.index);
      return void (await ctx.reply(TEXT.emptyText));
    }
    await adopt(ctx, seat, held, edit.index, text);
  });

  // Malformed updates (the fuzz tests send them) may lack a sender.
  async function seatOf(ctx: BotContext): Promise<Seat | undefined> {
    return ctx.from ? deps.store.seatOf(ctx.from.id) : undefined;
  }

  /** Last year's report from someone not yet registered: the office it names, to adopt. */
  async function offerOffice(ctx: BotContext, id: string): Promise<void> {
    const held = ctx.from && uploads.get(id, ctx.from.id);
    const office = held && officeOf(deps, held.file);
    if (!held || !office) return void (await ctx.reply(IMPORTING.officeIncomplete));
    await replyLong(ctx, {
      text: IMPORTING.officeOffer(held.file.fileName, office),
      buttons: [
        [{ label: IMPORTING.adoptOffice, data: BUTTONS.register.pack(id, "adopt") }],
        [{ label: IMPORTING.typeOffice, data: BUTTONS.register.pack(id, "self") }],
      ],
    });
  }

  /** A command of the interview on the user's behalf (registration, the first question). */
  async function interview(ctx: BotContext, user: User, name: "start" | "next"): Promise<void> {
    const session = { store: deps.store, template, now: deps.now };
    const outcome = await runInterview(session, user, { kind: "command", name, arg: "" });
    for (const reply of outcome.replies) await replyLong(ctx, reply);
  }

  async function choose(ctx: BotContext, seat: Seat, id: string, kind: UploadKind) {
    const held = uploads.get(id, seat.member.userId);
    if (!held) return void (await ctx.reply(IMPORTING.expired));
    if (kind === "check") {
      const plans = await plansOfMember(deps, seat.member.userId, held.file.text);
      return replyLong(ctx, { text: held.notice + verdictWithPlans(checker, held.file, plans) });
    }
    if (kind === "last") {
      const { saved } = await importLastYear(deps, seat, held.file);
      return replyLong(ctx, {
        text: lastYearSummary(saved, templateForKind(template, seat.org.kind)),
      });
    }
    held.candidates = await proposeCandidates(deps, held.file);
    await offer(ctx, seat, id, held);
  }

  async function offer(ctx: BotContext, seat: Seat, id: string, held: Held): Promise<void> {
    const { candidates, file } = held;
    if (candidates.length === 0)
      return void (await ctx.reply(IMPORTING.noCandidates(file.fileName)));
    const shown = Math.min(candidates.length, MAX_OFFERED);
    await ctx.reply(IMPORTING.candidatesFound(file.fileName, candidates.length, shown));
    for (const [index, c] of candidates.slice(0, shown).entries()) {
      const found = IMPORTING.found(c.source, c.quote);
      await replyLong(ctx, {
        text: IMPORTING.candidate(
          questionText(seat, c.questionId),
          found,
          c.quote.includes(c.text) ? "" : c.text,
        ),
        buttons: [
          (["adopt", "edit", "skip"] as const).map((action) => ({
            label: IMPORTING[action],
            data: BUTTONS.candidate.pack(id, index, action),
          })),
        ],
      });
    }
  }

  async function onCandidate(
    ctx: BotContext,
    seat: Seat,
    id: string,
    index: number,
    action: CandidateAction,
  ): Promise<void> {
    const held = uploads.get(id, seat.member.userId);
    const candidate = held?.candidates[index];
    if (!held || !candidate) return void (await ctx.reply(IMPORTING.expired));
    if (held.handled.has(index)) return void (await ctx.reply(IMPORTING.handled));
    if (action === "skip") {
      held.handled.add(index);
      return void (await ctx.reply(IMPORTING.skipped));
    }
    if (action === "edit") {
      uploads.startEdit(seat.member.userId, id, index);
      return void (await ctx.reply(IMPORTING.editPrompt(questionText(seat, candidate.questionId))));
    }
    await adopt(ctx, seat, held, index, candidate.text);
  }

  async function adopt(ctx: BotContext, seat: Seat, held: Held, index: number, text: string) {
    const candidate = held.candidates[index];
    if (!candidate || held.handled.has(index)) return void (await ctx.reply(IMPORTING.handled));
    held.handled.add(index);
    const before = await deps.store.getAnswer(seat.org, candidate.questionId);
    await adoptCandidate(deps, seat, candidate, text);
    const appended = before !== undefined && before.text.trim() !== "";
    await ctx.reply(IMPORTING.adopted(questionText(seat, candidate.questionId), appended));
  }

  return composer;
}

/** Downloads and reads an upload: .xlsx as a material table, the rest as `check` reads them. */
async function readUpload(
  ctx: BotContext,
  name: string,
  size: number | undefined,
): Promise<{ file: ReadFile; notice: string }> {
  const xlsx = extname(name).toLowerCase() === ".xlsx";
  if (!xlsx) assertUploadable(name, size);
  const bytes = await download(ctx, name);
  if (xlsx) {
    const material = await readMaterialBuffer(bytes, name);
    return { file: { text: material.text, fileName: name }, notice: "" };
  }
  const input = await readReportBuffer(bytes, name);
  const notice = input.notice ? CHECKING.notice(input.notice.zh) : "";
  return { file: { text: input.text, fileName: name }, notice };
}

/** How many plan items and shortcomings were found, and in which sections of this year's report. */
function lastYearSummary(
  saved: {
    fileName: string;
    year: number | null;
    plans: { section: string }[];
    shortcomings: unknown[];
  },
  template: Template,
): string {
  const { plans, shortcomings } = saved;
  if (plans.length === 0 && shortcomings.length === 0) return IMPORTING.lastYearNothing;
  const lines = [
    IMPORTING.lastYearRead(saved.fileName, saved.year, plans.length, shortcomings.length),
  ];
  const counts = new Map<string, number>();
  for (const p of plans) counts.set(p.section, (counts.get(p.section) ?? 0) + 1);
  const titled = template.sections
    .filter((s) => counts.has(s.id))
    .map((s) => IMPORTING.lastYearSection(s.title, counts.get(s.id) ?? 0));
  if (titled.length > 0) lines.push(IMPORTING.lastYearSections(titled.join("\n")));
  const shortcomingsSection = template.sections.find((s) => s.part === "shortcomings");
  if (shortcomings.length > 0 && shortcomingsSection) {
    lines.push(IMPORTING.lastYearShortcomings(shortcomingsSection.title));
  }
  lines.push(IMPORTING.lastYearAsked);
  return lines.join("\n");
}

/** How the chat names a user: first and last name, as the interview does. */
function nameOf(from: { first_name: string; last_name?: string }): string {
  return [from.first_name, from.last_name].filter(Boolean).join(" ");
}
