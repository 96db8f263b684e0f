import { beijingDate } from "../domain/beijing-time.js";
import type { Assignments, Member, Org } from "../domain/types.js";
import { errorData, type Logger } from "../log.js";
import type { Store } from "../store/store.js";
import type { Section, Template } from "../template/load.js";
import { type Answers, progressOf } from "../template/progress.js";
import { daysLeft, defaultDeadline, dueSlots } from "./schedule.js";

export interface ReminderDeps {
  store: Store;
  template: Template;
  logger: Logger;
  /** Sends a private message; a member who blocked the bot must not stop the round. */
  send: (userId: number, text: string) => Promise<void>;
}

export function deadlineOf(org: Org): Date {
  return org.deadline ? new Date(org.deadline) : defaultDeadline(org.year);
}

/**
 * One reminder round at `now`: for every org with a slot due, the slot is marked sent first (so a
 * crash or a second instance never sends it twice), then each member with unanswered required
 * questions in their assigned sections is reminded and the admins are told who is behind.
 * Returns the number of messages sent.
 */
export async function remindDue(deps: ReminderDeps, now: Date): Promise<number> {
  let sent = 0;
  for (const orgId of await deps.store.listOrgIds()) {
    const org = await deps.store.getOrg(orgId);
    if (!org) continue;
    const deadline = deadlineOf(org);
    const key = deadline.toISOString();
    const due = dueSlots(deadline, now, await deps.store.getSentSlots(org.id, key));
    for (const slot of due) {
      if (!(await deps.store.markSlotSent(org.id, key, slot.id))) continue;
      sent += await remindOrg(deps, org, deadline, now);
    }
  }
  return sent;
}

async function remindOrg(deps: ReminderDeps, org: Org, deadline: Date, now: Date): Promise<number> {
  const [members, assignments, answers] = await Promise.all([
    deps.store.listMembers(org.id),
    deps.store.getAssignments(org.id),
    deps.store.answersOf(org, deps.template),
  ]);
  const behind = behindOf(deps.template, members, assignments, answers);
  const when = `${beijingDate(deadline)}（还有 ${daysLeft(deadline, now)} 天）`;
  const messages: [number, string][] = behind.map(({ member, gaps }) => [
    member.userId,
    [
      `提醒：「${org.name}」${org.year}年度${deps.template.genre.shortName}的截止日期是 ${when}。`,
      "您负责的以下章节还有必答问题未填：",
      ...gaps.map((g) => `· ${g.section.title}（缺 ${g.missing} 题）`),
      "发送 /next 继续填写，/missing 查看缺项。",
    ].join("\n"),
  ]);
  const summary =
    behind.length === 0
      ? `进度提醒：截止日期 ${when}，已分配章节的必答问题都已填写。发送 /missing 查看全部缺项。`
      : [
          `进度提醒：截止日期 ${when}，以下同事负责的章节还有必答问题未填（已分别提醒）：`,
          ...behind.map(
            ({ member, gaps }) =>
              `· ${member.displayName}：${gaps.map((g) => `${g.section.title} ${g.missing} 题`).join("、")}`,
          ),
        ].join("\n");
  for (const admin of org.admins) messages.push([admin, summary]);
  let sent = 0;
  for (const [userId, text] of messages) {
    try {
      await deps.send(userId, text);
      sent += 1;
    } catch (error) {
      deps.logger.warn("reminder not delivered", { org: org.id, userId, ...errorData(error) });
    }
  }
  return sent;
}

interface Behind {
  member: Member;
  gaps: { section: Section; missing: number }[];
}

/** Members whose assigned required sections still lack required answers. */
function behindOf(
  template: Template,
  members: Member[],
  assignments: Assignments,
  answers: Answers,
): Behind[] {
  const progress = progressOf(template, answers);
  return members.flatMap((member) => {
    const gaps = progress
      .filter(
        (p) =>
          p.section.required && assignments[p.section.id] === member.userId && p.missing.length > 0,
      )
      .map((p) => ({ section: p.section, missing: p.missing.length }));
    return gaps.length > 0 ? [{ member, gaps }] : [];
  });
}
