import { Composer } from "grammy";
import type { AppDeps } from "../../app/deps.js";
import { draft, listDrafts, revise } from "../../app/drafting.js";
import { beijingMinute } from "../../domain/beijing-time.js";
import type { DraftResult } from "../../draft/drafter.js";
import { BUTTONS } from "../../interview/callbacks.js";
import { exampleKey } from "../../interview/refs.js";
import type { Reply } from "../../interview/types.js";
import { sectionLabel } from "../../interview/views.js";
import { templateForKind } from "../../messages/wording.js";
import { DRAFTING } from "../../messages/zh.js";
import type { Template } from "../../template/load.js";
import { type BotContext, type SeatedHandler, seated } from "../context.js";
import { replyLong } from "../render.js";

/** Telegram shows "typing…" for about 5 seconds per chat action. */
const TYPING_EVERY_MS = 4_500;

/** /draft, /drafts and /revise: any member of the org may use them. */
export function draftingFeature(deps: AppDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const chat = composer.chatType("private");
  const member = (handler: SeatedHandler) => seated(deps.store, "member", handler);

  chat.command(
    "draft",
    member(async (ctx, seat) => {
      const progress = await ctx.reply(DRAFTING.drafting(deps.drafter.llm !== undefined));
      const edit = editor(ctx, progress.message_id);
      const { saved, result } = await typing(ctx, () =>
        draft(deps, seat, {
          onProgress: (done, total) => void edit(DRAFTING.progress(done, total)),
        }),
      );
      await edit(DRAFTING.done(saved.n), true);
      await replyLong(ctx, { text: saved.text });
      await replyLong(ctx, summary(templateForKind(deps.template, seat.org.kind), result));
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
      const done = await revise(deps, seat, String(ctx.match ?? ""), (section, instruction) =>
        ctx.reply(DRAFTING.revising(instruction, section.title)).then(() => {}),
      );
      if ("problem" in done) {
        return ctx.reply(done.problem === "noDraft" ? DRAFTING.noDraft : reviseUsage(template));
      }
      const text = done.result.sections.find((s) => s.id === done.section.id)?.text ?? "";
      await replyLong(ctx, { text: DRAFTING.revised(done.section.title, done.saved.n, text) });
      await replyLong(ctx, summary(template, done.result));
    }),
  );
  return composer;
}

/** The buttons under a finished draft. */
const EXPORT_BUTTONS = [
  [
    { label: DRAFTING.exportWord, data: BUTTONS.export.pack("docx") },
    { label: DRAFTING.exportMarkdown, data: BUTTONS.export.pack("md") },
  ],
];

/** What the user must look at: missing items, values without a source, who wrote each section. */
export function summary(template: Template, result: DraftResult): Reply {
  const s = DRAFTING.summary;
  const titles = new Map(template.checklist.map((c) => [c.id, c.title]));
  const name = (id: string) => titles.get(id) ?? id;
  const sectionTitle = (id: string) => template.section(id)?.title ?? id;
  const llm = result.sections.filter((x) => x.source === "llm");
  const offline = result.sections.filter((x) => x.source === "offline");
  const lines = [
    s.head,
    s.missing(result.check.missing.map(name).join("、")),
    s.weak(result.check.weak.map(name).join("、")),
    s.gaps((result.text.match(/【待补充/g) ?? []).length),
  ];
  if (result.ungrounded.length > 0) {
    lines.push(s.ungrounded(result.ungrounded.length));
    for (const u of result.ungrounded.slice(0, 20))
      lines.push(s.ungroundedLine(u.value, u.context));
  } else {
    lines.push(s.grounded);
  }
  lines.push(
    s.byLlm(llm.map((x) => x.title).join("、")),
    s.offline(offline.map((x) => x.title).join("、")),
  );
  for (const f of result.failures) lines.push(s.failed(sectionTitle(f.section)));
  lines.push(s.revise(exampleKey(template)));
  return { text: lines.join("\n"), buttons: EXPORT_BUTTONS };
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
