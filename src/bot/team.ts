import { type Bot, type Context, InlineKeyboard } from "grammy";
import type { Member, Org } from "../domain/types.js";
import { callbackData } from "../interview/callbacks.js";
import { sectionLabel, shorten, TEXT } from "../interview/views.js";
import { errorData, type Logger } from "../log.js";
import { type Store, StoreError } from "../store/store.js";
import { INVITE_DAYS, newInvite } from "../team/invites.js";
import { beijingDate, daysLeft, defaultDeadline, parseDeadline } from "../team/schedule.js";
import type { Template } from "../template/load.js";
import { randomId } from "../text/ids.js";
import type { BotContext } from "./context.js";

export interface TeamDeps {
  store: Store;
  template: Template;
  logger: Logger;
  now: () => Date;
}

interface Seat {
  member: Member;
  org: Org;
}

const ADMIN_ONLY = "只有单位管理员可以这样做。管理员可用 /members 把管理员移交给他人。";

/** Membership and roles: /invite, /members, /assign, /deadline and their buttons. */
export function installTeam(bot: Bot<BotContext>, deps: TeamDeps): void {
  const member = (run: (ctx: Context, seat: Seat) => Promise<void>) => guarded(deps, false, run);
  const admin = (run: (ctx: Context, seat: Seat) => Promise<void>) => guarded(deps, true, run);

  bot.command(
    "invite",
    admin(async (ctx, seat) => {
      const arg = String(ctx.match ?? "").trim();
      if (arg === "") await ctx.reply("要生成哪种邀请码？", { reply_markup: inviteKinds() });
      else await invite(ctx, deps, seat, /^(1|once|一次)/i.test(arg) ? "once" : "days");
    }),
  );
  bot.callbackQuery(
    /^inv:(once|days)$/,
    admin((ctx, seat) =>
      invite(ctx, deps, seat, ctx.callbackQuery?.data === "inv:once" ? "once" : "days"),
    ),
  );

  bot.command(
    "members",
    member((ctx, seat) => listMembers(ctx, deps, seat)),
  );
  bot.callbackQuery(
    /^(rm|adm):(\d+)$/,
    admin((ctx, seat) => confirm(ctx, deps, seat)),
  );
  bot.callbackQuery(
    /^rmok:(\d+)$/,
    admin((ctx, seat) => remove(ctx, deps, seat, Number(ctx.callbackQuery?.data?.slice(5)))),
  );
  bot.callbackQuery(
    /^admok:(\d+)$/,
    admin((ctx, seat) => handOver(ctx, deps, seat, Number(ctx.callbackQuery?.data?.slice(6)))),
  );

  bot.command(
    "assign",
    admin((ctx, seat) => assignMenu(ctx, deps, seat)),
  );
  bot.callbackQuery(
    /^as:([a-z0-9-]+)$/,
    admin((ctx, seat) => memberMenu(ctx, deps, seat, ctx.callbackQuery?.data?.slice(3) ?? "")),
  );
  bot.callbackQuery(
    /^asm:([a-z0-9-]+):(\d+)$/,
    admin((ctx, seat) => {
      const [, sectionId = "", userId = "0"] = (ctx.callbackQuery?.data ?? "").split(":");
      return assign(ctx, deps, seat, sectionId, Number(userId));
    }),
  );

  bot.command(
    "deadline",
    member((ctx, seat) => deadline(ctx, deps, seat, String(ctx.match ?? "").trim())),
  );
}

/** Runs `run` for a member (or an admin) of an org; everyone else is refused and nothing changes. */
function guarded(
  deps: TeamDeps,
  adminOnly: boolean,
  run: (ctx: Context, seat: Seat) => Promise<void>,
): (ctx: Context) => Promise<void> {
  return async (ctx) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const userId = ctx.from?.id;
    if (userId === undefined) return;
    try {
      const member = await deps.store.getMember(userId);
      const org = member && (await deps.store.getOrg(member.orgId));
      if (!member || !org) return void (await ctx.reply(TEXT.notMember));
      if (adminOnly && !org.admins.includes(userId)) return void (await ctx.reply(ADMIN_ONLY));
      await run(ctx, { member, org });
    } catch (error) {
      deps.logger.error("team command failed", {
        update: ctx.update.update_id,
        ...errorData(error),
      });
      await ctx.reply(error instanceof StoreError ? TEXT.storeDown : TEXT.internal);
    }
  };
}

function inviteKinds(): InlineKeyboard {
  return new InlineKeyboard()
    .text(`一次性（${INVITE_DAYS}天内有效）`, callbackData("inv", "once"))
    .row()
    .text(`${INVITE_DAYS}天内多人可用`, callbackData("inv", "days"));
}

async function invite(
  ctx: Context,
  deps: TeamDeps,
  seat: Seat,
  kind: "once" | "days",
): Promise<void> {
  const code = randomId(8);
  const created = newInvite(code, seat.org.id, seat.member.userId, deps.now(), kind);
  await deps.store.putInvite(created);
  const until = beijingDate(new Date(created.expiresAt ?? 0));
  const use = kind === "once" ? "只能使用一次" : "可多人使用";
  await ctx.reply(
    [
      `邀请码：${code}（${use}，${until}前有效）`,
      `同事私聊机器人发送“/join ${code}”即可加入「${seat.org.name}」，或打开链接：`,
      `https://t.me/${ctx.me.username}?start=${code}`,
    ].join("\n"),
  );
}

async function listMembers(ctx: Context, deps: TeamDeps, seat: Seat): Promise<void> {
  const [members, assignments] = await Promise.all([
    deps.store.listMembers(seat.org.id),
    deps.store.getAssignments(seat.org.id),
  ]);
  const lines = [`「${seat.org.name}」的成员（${members.length} 人）：`];
  for (const m of members) {
    const owned = Object.keys(assignments)
      .filter((id) => assignments[id] === m.userId)
      .map((id) => deps.template.section(id)?.title ?? id);
    const role = seat.org.admins.includes(m.userId) ? "（管理员）" : "";
    lines.push(
      `· ${m.displayName}${role}${owned.length ? ` 负责：${owned.map((t) => shorten(t, 10)).join("、")}` : ""}`,
    );
  }
  const isAdmin = seat.org.admins.includes(seat.member.userId);
  const others = members.filter((m) => m.userId !== seat.member.userId);
  if (!isAdmin || others.length === 0) return void (await ctx.reply(lines.join("\n")));
  const keyboard = new InlineKeyboard();
  for (const m of others) {
    keyboard
      .text(`移除 ${shorten(m.displayName, 8)}`, callbackData("rm", m.userId))
      .text(`设为管理员 ${shorten(m.displayName, 6)}`, callbackData("adm", m.userId))
      .row();
  }
  await ctx.reply(lines.join("\n"), { reply_markup: keyboard });
}

/** The target of a member action must be another member of the admin's own org. */
async function colleague(deps: TeamDeps, seat: Seat, userId: number): Promise<Member | undefined> {
  if (userId === seat.member.userId) return undefined;
  const target = await deps.store.getMember(userId);
  return target?.orgId === seat.org.id ? target : undefined;
}

async function confirm(ctx: Context, deps: TeamDeps, seat: Seat): Promise<void> {
  const [action = "", id = ""] = (ctx.callbackQuery?.data ?? "").split(":");
  const target = await colleague(deps, seat, Number(id));
  if (!target) return void (await ctx.reply(TEXT.staleButton));
  const removing = action === "rm";
  const question = removing
    ? `确定将 ${target.displayName} 移出「${seat.org.name}」吗？其已填写的回答会保留。`
    : `确定把管理员移交给 ${target.displayName} 吗？移交后您将成为普通成员。`;
  const ok = removing ? callbackData("rmok", target.userId) : callbackData("admok", target.userId);
  await ctx.reply(question, { reply_markup: new InlineKeyboard().text("确定", ok) });
}

async function remove(ctx: Context, deps: TeamDeps, seat: Seat, userId: number): Promise<void> {
  const target = await colleague(deps, seat, userId);
  if (!target) return void (await ctx.reply(TEXT.staleButton));
  await deps.store.removeMember(seat.org.id, target.userId);
  await ctx.reply(`已将 ${target.displayName} 移出「${seat.org.name}」，其负责的章节已取消分配。`);
  await notify(
    ctx,
    deps,
    target.userId,
    `您已被移出「${seat.org.name}」。如有疑问请联系单位管理员。`,
  );
}

async function handOver(ctx: Context, deps: TeamDeps, seat: Seat, userId: number): Promise<void> {
  const target = await colleague(deps, seat, userId);
  if (!target) return void (await ctx.reply(TEXT.staleButton));
  // One commit, checked: of two hand-overs at once only the first applies.
  if (!(await deps.store.handOverAdmin(seat.org.id, seat.member.userId, target.userId))) {
    return void (await ctx.reply(TEXT.staleButton));
  }
  await ctx.reply(`已把管理员移交给 ${target.displayName}。`);
  await notify(
    ctx,
    deps,
    target.userId,
    `您已成为「${seat.org.name}」的管理员，可用 /invite、/assign、/members 管理成员。`,
  );
}

async function assignMenu(ctx: Context, deps: TeamDeps, seat: Seat): Promise<void> {
  const [members, assignments] = await Promise.all([
    deps.store.listMembers(seat.org.id),
    deps.store.getAssignments(seat.org.id),
  ]);
  const names = new Map(members.map((m) => [m.userId, m.displayName]));
  const keyboard = new InlineKeyboard();
  for (const section of deps.template.sections) {
    const owner = assignments[section.id];
    const who = owner === undefined ? "未分配" : (names.get(owner) ?? "未分配");
    keyboard
      .text(
        `${shorten(sectionLabel(deps.template, section), 14)} → ${who}`,
        callbackData("as", section.id),
      )
      .row();
  }
  await ctx.reply("选择要分配的章节：", { reply_markup: keyboard });
}

async function memberMenu(
  ctx: Context,
  deps: TeamDeps,
  seat: Seat,
  sectionId: string,
): Promise<void> {
  const section = deps.template.section(sectionId);
  if (!section) return void (await ctx.reply(TEXT.staleButton));
  const members = await deps.store.listMembers(seat.org.id);
  const keyboard = new InlineKeyboard();
  for (const m of members)
    keyboard.text(m.displayName, callbackData("asm", section.id, m.userId)).row();
  keyboard.text("不分配", callbackData("asm", section.id, 0));
  await ctx.reply(`「${section.title}」由谁负责？`, { reply_markup: keyboard });
}

async function assign(
  ctx: Context,
  deps: TeamDeps,
  seat: Seat,
  sectionId: string,
  userId: number,
): Promise<void> {
  const section = deps.template.section(sectionId);
  const target = userId === 0 ? undefined : await deps.store.getMember(userId);
  if (!section || (userId !== 0 && target?.orgId !== seat.org.id)) {
    return void (await ctx.reply(TEXT.staleButton));
  }
  await deps.store.assign(seat.org.id, section.id, target ? target.userId : null);
  if (!target) return void (await ctx.reply(`「${section.title}」已取消分配。`));
  await ctx.reply(`已将「${section.title}」分配给 ${target.displayName}。`);
  if (target.userId !== seat.member.userId) {
    await notify(
      ctx,
      deps,
      target.userId,
      `管理员将「${section.title}」分配给您，发送 /next 开始填写。`,
    );
  }
}

async function deadline(ctx: Context, deps: TeamDeps, seat: Seat, arg: string): Promise<void> {
  const now = deps.now();
  if (arg !== "") {
    if (!seat.org.admins.includes(seat.member.userId)) return void (await ctx.reply(ADMIN_ONLY));
    const parsed = parseDeadline(arg, seat.org.year, now);
    if (!parsed) {
      return void (await ctx.reply(
        "无法识别这个日期，或日期已过。请写成“2026-03-15”或“3月15日”。",
      ));
    }
    await deps.store.updateOrg(seat.org.id, (org) => ({ ...org, deadline: parsed.toISOString() }));
    return void (await ctx.reply(
      `已将截止日期设为 ${beijingDate(parsed)}（还有 ${daysLeft(parsed, now)} 天）。到期前会提醒负责章节还未填完的同事。`,
    ));
  }
  const current = seat.org.deadline ? new Date(seat.org.deadline) : defaultDeadline(seat.org.year);
  const left = daysLeft(current, now);
  const when = left >= 0 ? `还有 ${left} 天` : `已过 ${-left} 天`;
  await ctx.reply(
    `报告截止日期：${beijingDate(current)}（${when}）。管理员可发送“/deadline 2026-03-10”修改。`,
  );
}

/** A private message to a colleague; they may never have opened the bot, so failure is fine. */
async function notify(ctx: Context, deps: TeamDeps, userId: number, text: string): Promise<void> {
  try {
    await ctx.api.sendMessage(userId, text);
  } catch (error) {
    deps.logger.info("could not notify a member", { userId, ...errorData(error) });
  }
}
