import { Composer } from "grammy";
import type { AppDeps } from "../../app/deps.js";
import {
  assignSection,
  colleague,
  createInvite,
  deadlineOf,
  handOverAdmin,
  isAdmin,
  ownedBy,
  removeMember,
  roster,
  setDeadline,
  setSignoff,
} from "../../app/team.js";
import { beijingDate } from "../../domain/beijing-time.js";
import { signoffDate } from "../../draft/signoff.js";
import { BUTTONS, type ButtonKind, type InviteKind } from "../../interview/callbacks.js";
import type { Button } from "../../interview/types.js";
import { sectionLabel } from "../../interview/views.js";
import { templateForKind } from "../../messages/wording.js";
import { TEAM, TEXT } from "../../messages/zh.js";
import type { Seat } from "../../store/store.js";
import { INVITE_DAYS } from "../../team/invites.js";
import { shorten } from "../../text/shorten.js";
import { type Access, type BotContext, type SeatedHandler, seated } from "../context.js";
import { replyLong } from "../render.js";

/** Membership and roles: /invite, /members, /assign, /deadline and their buttons. */
export function teamFeature(deps: AppDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const as = (access: Access, handler: SeatedHandler) => seated(deps.store, access, handler);
  /** A button of `kind` for an admin; data that does not parse is a stale button. */
  const adminButton = <V extends unknown[]>(
    kind: ButtonKind<string, V>,
    handler: (ctx: BotContext, seat: Seat, ...values: V) => Promise<unknown>,
  ) =>
    composer.callbackQuery(
      kind.filter,
      as("admin", (ctx, seat) => {
        const values = kind.unpack(ctx.callbackQuery?.data ?? "");
        return values ? handler(ctx, seat, ...values) : ctx.reply(TEXT.staleButton);
      }),
    );
  const t = deps.template;

  composer.command(
    "invite",
    as("admin", (ctx, seat) => {
      const arg = String(ctx.match ?? "").trim();
      if (arg === "") return replyLong(ctx, { text: TEAM.whichInvite, buttons: inviteKinds() });
      return invite(ctx, seat, /^(1|once|一次)/i.test(arg) ? "once" : "days");
    }),
  );
  adminButton(BUTTONS.invite, (ctx, seat, kind) => invite(ctx, seat, kind));

  composer.command(
    "members",
    as("member", async (ctx, seat) => {
      const { members, assignments } = await roster(deps, seat);
      const lines = [TEAM.membersHead(seat.org.name, members.length)];
      const own = templateForKind(t, seat.org.kind);
      for (const m of members) {
        const owned = ownedBy(own, assignments, m.userId).map((s) => shorten(s.title, 10));
        lines.push(TEAM.memberLine(m.displayName, seat.org.admins.includes(m.userId), owned));
      }
      const others = members.filter((m) => m.userId !== seat.member.userId);
      const buttons: Button[][] = isAdmin(seat)
        ? others.map((m) => [
            { label: TEAM.removeLabel(m.displayName), data: BUTTONS.remove.pack(m.userId) },
            { label: TEAM.handOverLabel(m.displayName), data: BUTTONS.handOver.pack(m.userId) },
          ])
        : [];
      await replyLong(ctx, { text: lines.join("\n"), buttons });
    }),
  );
  adminButton(BUTTONS.remove, async (ctx, seat, userId) => {
    const target = await colleague(deps, seat, userId);
    if (!target) return ctx.reply(TEXT.staleButton);
    const ok = [{ label: TEAM.confirmLabel, data: BUTTONS.removeConfirmed.pack(target.userId) }];
    await replyLong(ctx, {
      text: TEAM.confirmRemove(target.displayName, seat.org.name),
      buttons: [ok],
    });
  });
  adminButton(BUTTONS.handOver, async (ctx, seat, userId) => {
    const target = await colleague(deps, seat, userId);
    if (!target) return ctx.reply(TEXT.staleButton);
    const ok = [{ label: TEAM.confirmLabel, data: BUTTONS.handOverConfirmed.pack(target.userId) }];
    await replyLong(ctx, { text: TEAM.confirmHandOver(target.displayName), buttons: [ok] });
  });
  adminButton(BUTTONS.removeConfirmed, async (ctx, seat, userId) => {
    const target = await removeMember(deps, seat, userId);
    if (!target) return ctx.reply(TEXT.staleButton);
    await ctx.reply(TEAM.removed(target.displayName, seat.org.name));
    await notify(ctx, target.userId, TEAM.removedNotice(seat.org.name));
  });
  adminButton(BUTTONS.handOverConfirmed, async (ctx, seat, userId) => {
    const target = await handOverAdmin(deps, seat, userId);
    if (!target) return ctx.reply(TEXT.staleButton);
    await ctx.reply(TEAM.handedOver(target.displayName));
    await notify(ctx, target.userId, TEAM.handedOverNotice(seat.org.name));
  });

  composer.command(
    "assign",
    as("admin", async (ctx, seat) => {
      const { members, assignments } = await roster(deps, seat);
      const names = new Map(members.map((m) => [m.userId, m.displayName]));
      const own = templateForKind(t, seat.org.kind);
      const buttons = own.sections.map((section) => {
        const owner = assignments[section.id];
        const who = (owner !== undefined && names.get(owner)) || TEAM.unassigned;
        const label = TEAM.assignLine(sectionLabel(own, section), who);
        return [{ label, data: BUTTONS.assignSection.pack(section.id) }];
      });
      await replyLong(ctx, { text: TEAM.pickAssignSection, buttons });
    }),
  );
  adminButton(BUTTONS.assignSection, async (ctx, seat, sectionId) => {
    const section = templateForKind(t, seat.org.kind).section(sectionId);
    if (!section) return ctx.reply(TEXT.staleButton);
    const { members } = await roster(deps, seat);
    const buttons = [
      ...members.map((m) => [
        { label: m.displayName, data: BUTTONS.assignMember.pack(section.id, m.userId) },
      ]),
      [{ label: TEAM.nobody, data: BUTTONS.assignMember.pack(section.id, 0) }],
    ];
    await replyLong(ctx, { text: TEAM.whoOwns(section.title), buttons });
  });
  adminButton(BUTTONS.assignMember, async (ctx, seat, sectionId, userId) => {
    const done = await assignSection(deps, seat, sectionId, userId);
    if ("problem" in done) return ctx.reply(TEXT.staleButton);
    const title = templateForKind(t, seat.org.kind).section(done.section.id)?.title ?? "";
    if (!done.owner) return ctx.reply(TEAM.assignmentCleared(title));
    await ctx.reply(TEAM.assigned(title, done.owner.displayName));
    if (done.owner.userId !== seat.member.userId) {
      await notify(ctx, done.owner.userId, TEAM.assignedNotice(title));
    }
  });

  composer.command(
    "deadline",
    as("member", async (ctx, seat) => {
      const arg = String(ctx.match ?? "").trim();
      if (arg === "") {
        const current = deadlineOf(deps, seat);
        return ctx.reply(TEAM.deadline(beijingDate(current.date), current.daysLeft));
      }
      if (!isAdmin(seat)) return ctx.reply(TEAM.adminOnly);
      const set = await setDeadline(deps, seat, arg);
      if (!set) return ctx.reply(TEAM.badDeadline);
      await ctx.reply(TEAM.deadlineSet(beijingDate(set.date), set.daysLeft));
    }),
  );

  composer.command(
    "signoff",
    as("member", async (ctx, seat) => {
      const arg = String(ctx.match ?? "").trim();
      // The date a draft would carry now: the one set, or the default rule's (draft/signoff).
      const { signoff: _set, ...unset } = seat.org;
      const shown = (signoff: string | undefined) =>
        beijingDate(signoffDate(signoff ? { ...unset, signoff } : unset));
      if (arg === "") {
        return ctx.reply(TEAM.signoff(shown(seat.org.signoff), seat.org.signoff !== undefined));
      }
      if (!isAdmin(seat)) return ctx.reply(TEAM.adminOnly);
      const set = await setSignoff(deps, seat, arg);
      if ("problem" in set) return ctx.reply(TEAM.badSignoff(seat.org.year));
      await ctx.reply(
        set.signoff ? TEAM.signoffSet(shown(set.signoff)) : TEAM.signoffCleared(shown(undefined)),
      );
    }),
  );

  async function invite(ctx: BotContext, seat: Seat, kind: InviteKind): Promise<void> {
    const created = await createInvite(deps, seat, kind);
    const until = beijingDate(new Date(created.expiresAt ?? 0));
    const link = `https://t.me/${ctx.me.username}?start=${created.code}`;
    await ctx.reply(TEAM.invite(created.code, created.oneTime, until, seat.org.name, link));
  }

  return composer;
}

function inviteKinds(): Button[][] {
  return [
    [{ label: TEAM.inviteOnce(INVITE_DAYS), data: BUTTONS.invite.pack("once") }],
    [{ label: TEAM.inviteDays(INVITE_DAYS), data: BUTTONS.invite.pack("days") }],
  ];
}

/** A private message to a colleague; they may never have opened the bot, so failure is fine. */
async function notify(ctx: BotContext, userId: number, text: string): Promise<void> {
  try {
    await ctx.api.sendMessage(userId, text);
  } catch (error) {
    ctx.log.info("could not notify a member", { userId, error: String(error) });
  }
}
