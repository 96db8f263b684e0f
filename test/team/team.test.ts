import { beforeEach, describe, expect, it } from "vitest";
import { questionsOf } from "../../src/interview/progress.js";
import { forKind } from "../../src/messages/wording.js";
import { shorten } from "../../src/text/shorten.js";
import { template } from "../helpers/harness.js";
import { inviteCode, registerOrg, type TeamBot, teamBot } from "./team-helpers.js";

const A1 = 1001; // admin of 洪梅镇
const A2 = 1002; // colleague in 洪梅镇
const C = 3001; // not yet a member of anything
let t: TeamBot;

beforeEach(async () => {
  t = teamBot();
  await registerOrg(t, A1, "洪梅镇", "小王");
});

const ENFORCEMENT = template.section("enforcement")?.questions ?? [];

/** A template text as a 镇 reads it. */
function town(text: string | undefined): string {
  return forKind(text ?? "", "镇");
}

async function join(userId: number, code: string, name = `用户${userId}`): Promise<string[]> {
  return t.h.run(() => t.h.chat(userId, name).send(`/join ${code}`));
}

describe("invites", () => {
  it("makes one-time and 7-day codes with a deep link; only the admin may", async () => {
    const [menu] = await t.h.run(() => t.h.chat(A1, "小王").send("/invite"));
    expect(menu).toBe("要生成哪种邀请码？");
    expect(t.h.buttons(t.h.api.calls.length - 1).map((b) => b.data)).toEqual([
      "inv:once",
      "inv:days",
    ]);
    const [text] = await t.h.run(() => t.h.chat(A1, "小王").press("inv:once"));
    const code = /邀请码：([2-9A-Z]{8})/.exec(text ?? "")?.[1];
    expect(text).toBe(
      `邀请码：${code}（只能使用一次，2026年1月17日前有效）\n同事私聊机器人发送“/join ${code}”即可加入「洪梅镇」，或打开链接：\nhttps://t.me/fazhi_report_bot?start=${code}`,
    );
    await join(A2, code ?? "", "老李");
    expect(await t.h.run(() => t.h.chat(A2, "老李").send("/invite"))).toEqual([
      "只有单位管理员可以这样做。管理员可用 /members 把管理员移交给他人。",
    ]);
  });

  it("joins with a valid code and refuses a used, an expired and a guessed one", async () => {
    const once = await inviteCode(t, A1, "once");
    const week = await inviteCode(t, A1, "days");
    expect((await join(A2, once, "老李"))[0]).toBe(
      "已加入「洪梅镇」2025年度法治政府建设报告的填写。",
    );
    expect(await t.store.getMember(A2)).toMatchObject({ role: "member", displayName: "老李" });
    expect(await join(C, once)).toEqual([
      `邀请码“${once}”是一次性的，已经被使用，请请管理员用 /invite 生成新的邀请码。`,
    ]);
    t.clock.now = new Date("2026-01-17T03:00:00Z");
    expect(await join(C, week)).toEqual([
      `邀请码“${week}”已过期，请请管理员用 /invite 生成新的邀请码。`,
    ]);
    expect(await join(C, "ABCDEFGH")).toEqual([
      "邀请码“ABCDEFGH”无效，请向单位管理员核对后重新发送“/join 邀请码”。",
    ]);
    expect(await t.store.getMember(C)).toBeUndefined();
    expect(
      (await t.store.listMembers((await t.store.getMember(A1))?.orgId ?? "")).map((m) => m.userId),
    ).toEqual([A1, A2]);
  });

  it("lets one of two people racing for a one-time code in, and tells the other it is used", async () => {
    const once = await inviteCode(t, A1, "once");
    const mark = t.h.api.calls.length;
    await Promise.all([
      t.h.chat(A2, "老李").send(`/join ${once}`),
      t.h.chat(C, "小张").send(`/join ${once}`),
    ]);
    const replies = [A2, C].map((id) => t.h.texts(mark, id)[0]);
    expect(replies.filter((r) => r?.startsWith("已加入「洪梅镇」"))).toHaveLength(1);
    expect(replies).toContain(
      `邀请码“${once}”是一次性的，已经被使用，请请管理员用 /invite 生成新的邀请码。`,
    );
    const seats = await Promise.all([A2, C].map((id) => t.store.seatOf(id)));
    expect(seats.filter(Boolean)).toHaveLength(1);
    // Both looked the code up before either used it: the loser is told by the error boundary.
    expect(t.h.errors.map((line) => JSON.parse(line).name)).toEqual(["InviteTakenError"]);
  });

  it("rate-limits 20 guessed codes in a minute with a clear message", async () => {
    const valid = await inviteCode(t, A1, "days");
    const replies: string[] = [];
    for (let i = 0; i < 20; i++) {
      t.clock.now = new Date(Date.parse("2026-01-10T02:00:00Z") + i * 3000);
      replies.push(...(await join(C, `GUESS${String(i).padStart(3, "2")}`)));
    }
    expect(
      replies
        .slice(0, 5)
        .every((r) => r.endsWith("无效，请向单位管理员核对后重新发送“/join 邀请码”。")),
    ).toBe(true);
    expect(replies.slice(5)).toEqual(
      Array(15).fill("邀请码尝试次数过多，请 10 分钟后再试，或向单位管理员核对邀请码。"),
    );
    // While limited even the right code waits; after the window it works.
    expect(await join(C, valid)).toEqual([
      "邀请码尝试次数过多，请 10 分钟后再试，或向单位管理员核对邀请码。",
    ]);
    t.clock.now = new Date("2026-01-10T02:11:00Z");
    expect((await join(C, valid))[0]).toBe("已加入「洪梅镇」2025年度法治政府建设报告的填写。");
  });
});

describe("assignment, attribution and history", () => {
  beforeEach(async () => {
    await join(A2, await inviteCode(t, A1, "days"), "老李");
  });

  it("assigns a section through the pickers and steers the member's /next there", async () => {
    expect(await t.h.run(() => t.h.chat(A1, "小王").send("/assign"))).toEqual([
      "选择要分配的章节：",
    ]);
    const sections = t.h.buttons(t.h.api.calls.length - 1);
    expect(sections).toHaveLength(15);
    expect(sections[5]).toEqual({
      label: "（五）坚持严格规范公正文明… → 未分配",
      data: "as:enforcement",
    });
    expect(await t.h.run(() => t.h.chat(A1, "小王").press("as:enforcement"))).toEqual([
      "「坚持严格规范公正文明执法」由谁负责？",
    ]);
    expect(t.h.buttons(t.h.api.calls.length - 1).map((b) => b.data)).toEqual([
      `asm:enforcement:${A1}`,
      `asm:enforcement:${A2}`,
      "asm:enforcement:0",
    ]);
    const mark = t.h.api.calls.length;
    await t.h.chat(A1, "小王").press(`asm:enforcement:${A2}`);
    expect(t.h.texts(mark, A1)).toEqual(["已将「坚持严格规范公正文明执法」分配给 老李。"]);
    expect(t.h.texts(mark, A2)).toEqual([
      "管理员将「坚持严格规范公正文明执法」分配给您，发送 /next 开始填写。",
    ]);

    const [next] = await t.h.run(() => t.h.chat(A2, "老李").send("/next"));
    const [first, second] = ENFORCEMENT;
    expect(next).toContain(`【（五）坚持严格规范公正文明执法】\n第 1/${ENFORCEMENT.length} 题`);
    expect(next).toContain(town(first?.text));
    const answered = await t.h.run(() => t.h.chat(A2, "老李").send("执法人员12名，全部持证。"));
    expect(answered[1]).toContain(`第 2/${ENFORCEMENT.length} 题`);
    expect(answered[1]).toContain(town(second?.text));
    // The admin's own /next is not steered by someone else's section.
    const [adminNext] = await t.h.run(() => t.h.chat(A1, "小王").send("/next"));
    expect(adminNext).toContain(`【导语】\n第 1/`);
    expect(adminNext).toContain(town(questionsOf(template)[0]?.text));
  });

  it("keeps who answered what, shows owners in /status and versions in /history", async () => {
    await t.h.chat(A1, "小王").press("as:enforcement");
    await t.h.chat(A1, "小王").press(`asm:enforcement:${A2}`);
    await t.h.chat(A2, "老李").send("/next");
    await t.h.chat(A2, "老李").send("执法人员12名。");
    t.clock.now = new Date("2026-01-11T03:00:00Z");
    await t.h.chat(A1, "小王").press("ed:enforcement.team");
    await t.h.chat(A1, "小王").send("执法人员13名，持证13名。");
    const [history] = await t.h.run(() => t.h.chat(A2, "老李").send("/history 执法 1"));
    expect(history).toBe(
      `「${shorten(town(ENFORCEMENT[0]?.text), 40)}」共 2 个版本：\n\n第1版 · 2026-01-10 10:00（北京时间） · 老李\n执法人员12名。\n\n当前 · 2026-01-11 11:00（北京时间） · 小王\n执法人员13名，持证13名。`,
    );
    // The old id still finds the same answer.
    expect(await t.h.run(() => t.h.chat(A2, "老李").send("/history enforcement.team"))).toEqual([
      history,
    ]);
    const [status] = await t.h.run(() => t.h.chat(A2, "老李").send("/status"));
    const filled = "▰".repeat(Math.round(8 / ENFORCEMENT.length)).padEnd(8, "▱");
    expect(status).toContain(
      `… ${filled} 1/${ENFORCEMENT.length} （五）坚持严格规范公正文明执法\n    负责：老李 · 已答：小王 1`,
    );
  });

  it("removes a member: from that moment every request of theirs is refused", async () => {
    await t.h.chat(A1, "小王").press("as:rules");
    await t.h.chat(A1, "小王").press(`asm:rules:${A2}`);
    const [list] = await t.h.run(() => t.h.chat(A1, "小王").send("/members"));
    expect(list).toBe(
      "「洪梅镇」的成员（2 人）：\n· 小王（管理员）\n· 老李 负责：完善依法行政制度体系",
    );
    expect(t.h.buttons(t.h.api.calls.length - 1).map((b) => b.data)).toEqual([
      `rm:${A2}`,
      `adm:${A2}`,
    ]);
    expect(await t.h.run(() => t.h.chat(A1, "小王").press(`rm:${A2}`))).toEqual([
      "确定将 老李 移出「洪梅镇」吗？其已填写的回答会保留。",
    ]);
    const mark = t.h.api.calls.length;
    await t.h.chat(A1, "小王").press(`rmok:${A2}`);
    expect(t.h.texts(mark, A1)).toEqual(["已将 老李 移出「洪梅镇」，其负责的章节已取消分配。"]);
    expect(t.h.texts(mark, A2)).toEqual(["您已被移出「洪梅镇」。如有疑问请联系单位管理员。"]);
    const orgId = (await t.store.getMember(A1))?.orgId ?? "";
    expect(await t.store.getAssignments(orgId)).toEqual({});
    const refused =
      "您还没有加入任何单位。发送 /start 登记本单位，或发送“/join 邀请码”加入同事已登记的单位。";
    for (const send of [
      "某个回答",
      "/status",
      "/missing",
      "/draft",
      "/export",
      "/members",
      "/history rules.issued",
    ]) {
      expect(await t.h.run(() => t.h.chat(A2, "老李").send(send)), send).toEqual([refused]);
    }
    expect(await t.h.run(() => t.h.chat(A2, "老李").press("export:docx"))).toEqual([refused]);
  });

  it("hands admin over to a colleague", async () => {
    await t.h.chat(A1, "小王").press(`adm:${A2}`);
    await t.h.chat(A1, "小王").press(`admok:${A2}`);
    const org = await t.store.getOrg((await t.store.getMember(A1))?.orgId ?? "");
    expect(org?.admins).toEqual([A2]);
    expect(await t.store.getMember(A1)).toMatchObject({ role: "member" });
    expect(await t.store.getMember(A2)).toMatchObject({ role: "admin" });
    expect((await t.h.run(() => t.h.chat(A1, "小王").send("/assign")))[0]).toBe(
      "只有单位管理员可以这样做。管理员可用 /members 把管理员移交给他人。",
    );
    expect((await t.h.run(() => t.h.chat(A2, "老李").send("/assign")))[0]).toBe(
      "选择要分配的章节：",
    );
  });

  it("sets and shows the deadline", async () => {
    expect(await t.h.run(() => t.h.chat(A2, "老李").send("/deadline"))).toEqual([
      "报告截止日期：2026年3月15日（还有 64 天）。管理员可发送“/deadline 2026-03-10”修改。",
    ]);
    expect((await t.h.run(() => t.h.chat(A2, "老李").send("/deadline 3月1日")))[0]).toBe(
      "只有单位管理员可以这样做。管理员可用 /members 把管理员移交给他人。",
    );
    expect(await t.h.run(() => t.h.chat(A1, "小王").send("/deadline 3月1日"))).toEqual([
      "已将截止日期设为 2026年3月1日（还有 50 天）。到期前会提醒负责章节还未填完的同事。",
    ]);
    expect((await t.h.run(() => t.h.chat(A1, "小王").send("/deadline 昨天")))[0]).toBe(
      "无法识别这个日期，或日期已过。请写成“2026-03-15”或“3月15日”。",
    );
  });

  it("sets, shows and clears the 落款 date with /signoff; only the admin may set it", async () => {
    const admin = t.h.chat(A1, "小王");
    const orgOf = async () => {
      const member = await t.store.getMember(A1);
      return member && t.store.getOrg(member.orgId);
    };
    // Unset: the default rule's date, the last working day before the deadline (Sun 15 March).
    expect((await t.h.run(() => t.h.chat(A2, "老李").send("/signoff")))[0]).toBe(
      "报告落款日期：2026年3月13日（默认：截止日期前最后一个工作日）。管理员可发送“/signoff 2025-03-10”另行设置。",
    );
    expect((await t.h.run(() => t.h.chat(A2, "老李").send("/signoff 2026-03-10")))[0]).toBe(
      "只有单位管理员可以这样做。管理员可用 /members 把管理员移交给他人。",
    );
    expect(await t.h.run(() => admin.send("/signoff 2026-03-10"))).toEqual([
      "已将报告落款日期设为 2026年3月10日，下次起草时使用。",
    ]);
    expect((await orgOf())?.signoff).toBe("2026-03-10");
    // "3月9日" is in the year after the report year (2025), as a 落款 date is.
    await t.h.run(() => admin.send("/signoff 3月9日"));
    expect((await orgOf())?.signoff).toBe("2026-03-09");
    expect((await t.h.run(() => t.h.chat(A2, "老李").send("/signoff")))[0]).toBe(
      "报告落款日期：2026年3月9日。管理员可发送“/signoff 2025-03-10”修改，“/signoff 默认”恢复默认。",
    );
    for (const bad of ["/signoff 2023-03-10", "/signoff 2月30日", "/signoff 明天"]) {
      expect((await t.h.run(() => admin.send(bad)))[0]).toBe(
        "无法识别这个日期，或不在 2025–2026 年之间。请写成“2026-03-10”或“3月10日”。",
      );
    }
    expect((await orgOf())?.signoff).toBe("2026-03-09");
    expect((await t.h.run(() => admin.send("/signoff 默认")))[0]).toBe(
      "已恢复默认落款日期 2026年3月13日（截止日期前最后一个工作日），下次起草时使用。",
    );
    expect((await orgOf())?.signoff).toBeUndefined();
  });
});

describe("in the office's group", () => {
  const GROUP = -100_555;

  async function inGroup(userId: number, text: string): Promise<string[]> {
    const command = /^\/[a-z]+/.exec(text);
    return t.h.run(() =>
      t.h.chat(userId).sendMessage({
        chat: { id: GROUP, type: "supergroup", title: "洪梅镇法治办" },
        text,
        ...(command
          ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
          : {}),
      } as never),
    );
  }

  it("answers safe commands, collects no answers and shows nobody's answer there", async () => {
    const before = await t.store.getCursor((await t.store.getMember(A1))?.orgId ?? "", A1);
    expect(await inGroup(A1, "执法人员12名")).toEqual([]);
    expect(await t.store.getCursor((await t.store.getMember(A1))?.orgId ?? "", A1)).toEqual(before);
    const [status] = await inGroup(A1, "/status");
    expect(status).toMatch(
      new RegExp(`^洪梅镇（东莞市）2025年度报告 · 填写进度 0/${questionsOf(template).length}\n`),
    );
    for (const command of ["/edit", "/back", "/draft", "/export", "/history", "/next"]) {
      const name = command.slice(1);
      expect(await inGroup(A1, command)).toEqual([
        `请私聊机器人使用 /${name}：群里不显示各人正在填写的内容。`,
      ]);
    }
    const mark = t.h.api.calls.length;
    await t.h.bot.handleUpdate({
      update_id: 9_999,
      callback_query: {
        id: "g1",
        from: { id: A1, is_bot: false, first_name: "小王" },
        chat_instance: "g",
        data: "sec:rules",
        message: { message_id: 1, date: 0, chat: { id: GROUP, type: "supergroup", title: "g" } },
      },
    } as never);
    expect(t.h.since(mark)).toEqual([
      {
        method: "answerCallbackQuery",
        payload: {
          callback_query_id: "g1",
          text: "请私聊机器人操作：群里不显示各人正在填写的内容。",
          show_alert: true,
        },
      },
    ]);
  });
});
