import { type Api, BotError, Composer, InlineKeyboard } from "grammy";
import type { AppDeps } from "../../app/deps.js";
import { claimJob, isOrphaned, runJob, takeOrphan } from "../../app/draft-jobs.js";
import { type Drafted, draft, listDrafts, type Revision, revise } from "../../app/drafting.js";
import { beijingMinute } from "../../domain/beijing-time.js";
import type { LastYearPlan } from "../../domain/types.js";
import type { DraftResult } from "../../draft/drafter.js";
import { BUTTONS } from "../../interview/callbacks.js";
import { exampleKey } from "../../interview/refs.js";
import type { Reply } from "../../interview/types.js";
import { plansLines, sectionLabel } from "../../interview/views.js";
import { errorData } from "../../log.js";
import { templateForKind } from "../../messages/wording.js";
import { DRAFTING } from "../../messages/zh.js";
import type { DraftJob, Seat } from "../../store/store.js";
import type { Template } from "../../template/load.js";
import { type BotContext, type SeatedHandler, seated } from "../context.js";
import { replyToError } from "../errors.js";
import type { InFlight } from "../in-flight.js";
import { replyLong } from "../render.js";

/** Telegram shows "typing…" for about 5 seconds per chat action. */
const TYPING_EVERY_MS = 4_500;

/**
 * /draft, /drafts and /revise: any member of the org may use them. With `background` (the bot's
 * in-flight counter) a draft runs outside the chat's sequential lane, so answers sent meanwhile
 * are handled at once; without it (the terminal chat, where one person waits) it runs inline.
 */
export function draftingFeature(deps: AppDeps, background?: InFlight): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const chat = composer.chatType("private");
  const member = (handler: SeatedHandler) => seated(deps.store, "member", handler);
  const launch = (ctx: BotContext, work: () => Promise<void>) => {
    const running = work().catch((error: unknown) => replyToError(new BotError(error, ctx)));
    if (!background) return running;
    // The handler returns now, freeing the lane; the shutdown still waits for the draft.
    background.track(
      running.catch((error: unknown) => ctx.log.error("draft failed", errorData(error))),
    );
    return undefined;
  };

  chat.on("message:text", async (ctx, next) => {
    await next();
    await afterText(deps, ctx).catch((error: unknown) =>
      ctx.log.warn("draft job lookup failed", errorData(error)),
    );
  });

  chat.command(
    "draft",
    member(async (ctx, seat) => {
      const job = await claim(deps, ctx, seat, "draft");
      if (!job) return;
      return launch(ctx, () =>
        runJob(deps.store, job, deps.now, async (running) => {
          const progress = await ctx.reply(DRAFTING.drafting(deps.drafter.llm !== undefined));
          await running.progressMessage(progress.message_id);
          const edit = editor(ctx, progress.message_id);
          const { saved, result } = await typing(ctx, () =>
            draft(deps, seat, {
              onProgress: (done, total) => void edit(DRAFTING.progress(done, total)),
            }),
          );
          await edit(DRAFTING.done(saved.n), true);
          await replyLong(ctx, { text: saved.text });
          const template = templateForKind(deps.template, seat.org.kind);
          await replyLong(ctx, summary(template, result, saved.lastYearPlans));
        }),
      );
    }),
  );

  chat.command(
    "drafts",
    member(async (ctx, seat) => {
      const drafts = await listDrafts(deps, seat.org);
      if (drafts.length === 0) return ctx.reply(DRAFTING.noDrafts);
      const lines = drafts.map((d) => {
        const llm = d.sections.filter((s) => s.source === "llm").length;
        return DRAFTING.draftLine({
          n: d.n,
          when: beijingMinute(new Date(d.createdAt)),
          author: d.authorName,
          llm,
          offline: d.sections.length - llm,
          missing: d.check.missing.length,
          ungrounded: d.ungrounded.length,
        });
      });
      await replyLong(ctx, {
        text: `${DRAFTING.draftsHead(seat.org.name, seat.org.year)}\n${lines.join("\n")}`,
      });
    }),
  );

  chat.command(
    "revise",
    member(async (ctx, seat) => {
      const template = templateForKind(deps.template, seat.org.kind);
      const arg = String(ctx.match ?? "");
      const job = deps.drafter.llm ? await claim(deps, ctx, seat, "revise") : undefined;
      if (deps.drafter.llm && !job) return;
      const work = async () => {
        const done = await revise(deps, seat, arg, (section, instruction) =>
          ctx.reply(DRAFTING.revising(instruction, section.title)).then(() => {}),
        );
        if ("problem" in done) return void (await ctx.reply(...reviseProblem(template, done)));
        const text = done.result.sections.find((s) => s.id === done.section.id)?.text ?? "";
        await replyLong(ctx, { text: DRAFTING.revised(done.section.title, done.saved.n, text) });
        await replyLong(ctx, summary(template, done.result, done.saved.lastYearPlans));
      };
      if (!job) return work();
      return launch(ctx, () => runJob(deps.store, job, deps.now, work));
    }),
  );
  return composer;
}

/** Never "无" while 【待补充】 remains in a required part: then it says how many remain. */
function missingLine(template: Template, result: DraftResult, name: (id: string) => string) {
  const missing = result.check.missing.map(name).join("、");
  if (missing !== "") return DRAFTING.summary.missing(missing);
  const gaps = result.sections
    .filter((x) => template.section(x.id)?.required)
    .reduce((n, x) => n + (x.text.match(/【待补充/g) ?? []).length, 0);
  return gaps > 0 ? DRAFTING.summary.missingButGaps(gaps) : DRAFTING.summary.missing("");
}

/** The buttons under a finished draft. */
const EXPORT_BUTTONS = [
  [
    { label: DRAFTING.exportWord, data: BUTTONS.export.pack("docx") },
    { label: DRAFTING.exportMarkdown, data: BUTTONS.export.pack("md") },
  ],
];

/**
 * What the user must look at: missing items, last year's plan items never mentioned, values
 * without a source, who wrote each section.
 */
export function summary(
  template: Template,
  result: DraftResult,
  plans?: readonly LastYearPlan[],
): Reply {
  const s = DRAFTING.summary;
  const titles = new Map(template.checklist.map((c) => [c.id, c.title]));
  const name = (id: string) => titles.get(id) ?? id;
  const sectionTitle = (id: string) => template.section(id)?.title ?? id;
  const llm = result.sections.filter((x) => x.source === "llm");
  const offline = result.sections.filter((x) => x.source === "offline");
  const lines = [
    s.head,
    missingLine(template, result, name),
    s.weak(result.check.weak.map(name).join("、")),
    s.gaps((result.text.match(/【待补充/g) ?? []).length),
    ...plansLines(plans).map((line, i) => (i === 0 ? `· ${line}` : `  - ${line.slice(2)}`)),
  ];
  if (result.ungrounded.length > 0) {
    lines.push(s.ungrounded(result.ungrounded.length));
    for (const u of result.ungrounded.slice(0, 20))
      lines.push(s.ungroundedLine(u.value, s.ungroundedReason[u.reason], u.context));
  } else {
    lines.push(s.grounded);
  }
  lines.push(
    s.byLlm(llm.map((x) => x.title).join("、")),
    s.offline(offline.map((x) => x.title).join("、")),
  );
  for (const f of result.failures) lines.push(s.failed(sectionTitle(f.section), f.reason));
  lines.push(s.revise(exampleKey(template)));
  return { text: lines.join("\n"), buttons: EXPORT_BUTTONS };
}

/** What /revise answers when it makes nothing: usage, no draft yet, or no LLM to rewrite with. */
function reviseProblem(
  template: Template,
  done: Exclude<Revision, Drafted>,
): [string, { reply_markup: InlineKeyboard }?] {
  if (done.problem === "noDraft") return [DRAFTING.noDraft];
  if (done.problem === "usage") return [reviseUsage(template)];
  const title = done.section.title;
  const button = InlineKeyboard.text(
    DRAFTING.editSectionLabel(title),
    BUTTONS.editSection.pack(done.section.id),
  );
  return [DRAFTING.reviseOffline(title), { reply_markup: new InlineKeyboard([[button]]) }];
}

/**
 * Takes the org's draft slot, first reporting a draft whose process died; undefined (the user
 * told "正在起草，请稍候") while another draft of the org runs, on any instance.
 */
async function claim(
  deps: AppDeps,
  ctx: BotContext,
  seat: Seat,
  kind: "draft" | "revise",
): Promise<DraftJob | undefined> {
  const orphan = await takeOrphan(deps.store, seat.org.id, deps.now());
  if (orphan) await reportInterrupted(ctx.api, orphan);
  const start = { kind, userId: seat.member.userId, chatId: ctx.chat?.id ?? seat.member.userId };
  const job = await claimJob(deps.store, seat.org, start, deps.now());
  if (!job) await ctx.reply(DRAFTING.busy);
  return job;
}

/**
 * After an answer: a note that it is not in the draft being written, or, when that draft's
 * process died, the interruption report (the lazy path; start-up reports the rest).
 */
async function afterText(deps: AppDeps, ctx: BotContext): Promise<void> {
  const text = ctx.message?.text ?? "";
  // The job as read with the answer itself (app/interview): no round trip of its own.
  const job = ctx.draftJob;
  if (text.startsWith("/") || job?.state !== "running") return;
  const orphan = await takeOrphan(deps.store, job.orgId, deps.now());
  if (orphan) return reportInterrupted(ctx.api, orphan);
  if (isOrphaned(job, deps.now())) return;
  await ctx.reply(DRAFTING.notInRunningDraft);
}

/** Tells the user who started an interrupted draft, and unfreezes its progress message. */
export async function reportInterrupted(api: Api, job: DraftJob): Promise<void> {
  if (job.progressMessageId !== undefined) {
    await api
      .editMessageText(job.chatId, job.progressMessageId, DRAFTING.interruptedProgress)
      .catch(() => {});
  }
  const started = `北京时间 ${beijingMinute(new Date(job.startedAt))} `;
  await api.sendMessage(job.chatId, DRAFTING.interrupted(job.kind, started));
}

function reviseUsage(template: Template): string {
  const sections = template.sections.map((s, i) => `${i + 1}. ${sectionLabel(template, s)}`);
  return DRAFTING.reviseUsage(exampleKey(template), sections);
}

/** Edits the progress message in order, skipping repeats (Telegram rejects "not modified"). */
function editor(
  ctx: BotContext,
  messageId: number,
): (text: string, force?: boolean) => Promise<void> {
  let chain = Promise.resolve();
  let last = "";
  const chatId = ctx.chat?.id;
  return (text, force = false) => {
    if (chatId === undefined || (text === last && !force)) return chain;
    last = text;
    chain = chain
      .then(() => ctx.api.editMessageText(chatId, messageId, text))
      .then(
        () => {},
        () => {},
      );
    return chain;
  };
}

/** Shows "typing…" while `work` runs. */
async function typing<T>(ctx: BotContext, work: () => Promise<T>): Promise<T> {
  const send = () => void ctx.replyWithChatAction("typing").catch(() => {});
  send();
  const timer = setInterval(send, TYPING_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
