import { ORG_KINDS, type Org, type OrgKind, type Registration } from "../domain/types.js";
import { INVITE_DAYS, newInvite } from "../team/invites.js";
import { callbackData } from "./callbacks.js";
import { resume } from "./flow.js";
import type { Effect, InterviewContext, Outcome, Reply } from "./types.js";

/** Registering a new org, one answer per step: name → kind → superior → year. */

const NAME_LIMIT = 40;

export function startRegistration(): Outcome {
  const registration: Registration = { step: "name" };
  return {
    effects: [{ kind: "setRegistration", registration }],
    replies: [
      {
        text: "欢迎使用法治政府建设年度报告助手！\n先登记本单位。请输入单位全称，例如：洪梅镇、盘龙彝族乡、城关街道。\n（如同事已登记，请发送“/join 邀请码”加入；发送 /cancel 取消。）",
      },
    ],
  };
}

/** Defaults to the year before `now` in Beijing time: reports cover the year just ended. */
export function defaultReportYear(now: Date): number {
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  return beijing.getUTCFullYear() - 1;
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
    return only({ text: `单位名称应为 2–${NAME_LIMIT} 个字的一行文字，请重新输入。` });
  }
  const next: Registration = { ...registration, step: "kind", name };
  return step(next, kindPrompt(name));
}

function askKind(registration: Registration, text: string): Outcome {
  const kind = ORG_KINDS.find((k) => k === text);
  if (!kind)
    return only({
      ...kindPrompt(registration.name ?? ""),
      text: "请从下列选项中选择：乡、镇 或 街道。",
    });
  const next: Registration = { ...registration, step: "superior", kind };
  return step(next, {
    text: `${registration.name}的上级是哪个县（市、区）？请输入全称，例如：东莞市、砚山县、武侯区。`,
  });
}

function askSuperior(ctx: InterviewContext, registration: Registration, superior: string): Outcome {
  if (Array.from(superior).length < 2 || Array.from(superior).length > NAME_LIMIT) {
    return only({ text: `上级名称应为 2–${NAME_LIMIT} 个字，请重新输入。` });
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
      text: `请输入报告年度（2000–${fallback + 1} 的四位数字），例如 ${fallback}。`,
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
  const reply = {
    text: `已登记：${org.name}（${org.kind}，上级：${org.superior}），${org.year}年度法治政府建设报告。\n同事可发送“/join ${org.inviteCode}”加入（${INVITE_DAYS}天内有效；/invite 可生成新的邀请码，/assign 可给同事分配章节）。\n\n下面开始逐章提问，直接发送文字即可回答。`,
  };
  const begin = resume({ ...ctx, org }, null);
  return { effects: [...effects, ...begin.effects], replies: [reply, ...begin.replies] };
}

function kindPrompt(name: string): Reply {
  const guess = ORG_KINDS.find((k) => name.endsWith(k));
  return {
    text: `${name}是乡、镇还是街道？${guess ? `（按名称应为“${guess}”）` : ""}`,
    buttons: [ORG_KINDS.map((k) => ({ label: k, data: callbackData("kind", k) }))],
  };
}

function yearPrompt(now: Date): Reply {
  const year = defaultReportYear(now);
  return {
    text: `报告哪一年度的工作？默认为 ${year} 年度，可直接点选或输入年份。`,
    buttons: [
      [
        { label: String(year), data: callbackData("year", year) },
        { label: String(year - 1), data: callbackData("year", year - 1) },
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
