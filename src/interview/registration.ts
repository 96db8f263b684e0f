import { beijingFields } from "../domain/beijing-time.js";
import { ORG_KINDS, type Org, type OrgKind, type Registration } from "../domain/types.js";
import { templateForKind } from "../messages/wording.js";
import { REGISTRATION } from "../messages/zh.js";
import { INVITE_DAYS, newInvite } from "../team/invites.js";
import { BUTTONS } from "./callbacks.js";
import { resume } from "./flow.js";
import type { Effect, InterviewContext, Outcome, Reply } from "./types.js";

/** Registering a new org, one answer per step: name → kind → superior → year. */

const NAME_LIMIT = 40;

export function startRegistration(): Outcome {
  const registration: Registration = { step: "name" };
  return {
    effects: [{ kind: "setRegistration", registration }],
    replies: [{ text: REGISTRATION.welcome }],
  };
}

/** Defaults to the year before `now` in Beijing time: reports cover the year just ended. */
export function defaultReportYear(now: Date): number {
  return beijingFields(now).year - 1;
}

export function continueRegistration(
  ctx: InterviewContext,
  registration: Registration,
  value: string,
): Outcome {
  const text = value.trim();
  switch (registration.step) {
    case "name":
      return askName(registration, text);
    case "kind":
      return askKind(registration, text);
    case "superior":
      return askSuperior(ctx, registration, text);
    case "year":
      return askYear(ctx, registration, text);
  }
}

function askName(registration: Registration, name: string): Outcome {
  if (Array.from(name).length < 2 || Array.from(name).length > NAME_LIMIT || name.includes("\n")) {
    return only({ text: REGISTRATION.badName(NAME_LIMIT) });
  }
  const next: Registration = { ...registration, step: "kind", name };
  return step(next, kindPrompt(name));
}

function askKind(registration: Registration, text: string): Outcome {
  const kind = ORG_KINDS.find((k) => k === text);
  if (!kind)
    return only({
      ...kindPrompt(registration.name ?? ""),
      text: REGISTRATION.pickKind,
    });
  const next: Registration = { ...registration, step: "superior", kind };
  return step(next, { text: REGISTRATION.askSuperior(registration.name ?? "") });
}

function askSuperior(ctx: InterviewContext, registration: Registration, superior: string): Outcome {
  if (Array.from(superior).length < 2 || Array.from(superior).length > NAME_LIMIT) {
    return only({ text: REGISTRATION.badSuperior(NAME_LIMIT) });
  }
  const next: Registration = { ...registration, step: "year", superior };
  return step(next, yearPrompt(ctx.now));
}

function askYear(ctx: InterviewContext, registration: Registration, text: string): Outcome {
  const fallback = defaultReportYear(ctx.now);
  const year = text === "" || text === "默认" ? fallback : Number(text.replace(/年(度)?$/, ""));
  if (!Number.isInteger(year) || year < 2000 || year > fallback + 1) {
    return only({
      ...yearPrompt(ctx.now),
      text: REGISTRATION.badYear(fallback),
    });
  }
  const org: Org = {
    id: ctx.fresh.orgId,
    name: registration.name as string,
    kind: registration.kind as OrgKind,
    superior: registration.superior as string,
    year,
    inviteCode: ctx.fresh.inviteCode,
    admins: [ctx.user.id],
    createdAt: ctx.now.toISOString(),
  };
  const invite = newInvite(org.inviteCode, org.id, ctx.user.id, ctx.now, "days");
  const effects: Effect[] = [
    { kind: "createOrg", org, invite },
    {
      kind: "addMember",
      member: {
        userId: ctx.user.id,
        orgId: org.id,
        role: "admin",
        displayName: ctx.user.name,
        joinedAt: ctx.now.toISOString(),
      },
    },
    { kind: "setRegistration", registration: null },
  ];
  const reply = { text: REGISTRATION.done(org, INVITE_DAYS) };
  const begin = resume({ ...ctx, org, template: templateForKind(ctx.template, org.kind) }, null);
  return { effects: [...effects, ...begin.effects], replies: [reply, ...begin.replies] };
}

function kindPrompt(name: string): Reply {
  const guess = ORG_KINDS.find((k) => name.endsWith(k));
  return {
    text: REGISTRATION.askKind(name, guess),
    buttons: [ORG_KINDS.map((k) => ({ label: k, data: BUTTONS.kind.pack(k) }))],
  };
}

function yearPrompt(now: Date): Reply {
  const year = defaultReportYear(now);
  return {
    text: REGISTRATION.askYear(year),
    buttons: [
      [
        { label: String(year), data: BUTTONS.year.pack(year) },
        { label: String(year - 1), data: BUTTONS.year.pack(year - 1) },
      ],
    ],
  };
}

function step(registration: Registration, reply: Reply): Outcome {
  return { effects: [{ kind: "setRegistration", registration }], replies: [reply] };
}

function only(reply: Reply): Outcome {
  return { effects: [], replies: [reply] };
}
