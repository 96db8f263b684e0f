import Keyv from "keyv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepare } from "../src/bot/run.js";
import { createLogger } from "../src/log.js";
import { Store } from "../src/store/store.js";
import { Harness, NOW, register, tempDir, template } from "./helpers/harness.js";

const ME = 501;
let store: Store;
let h: Harness;
let cleanup: () => void;

beforeEach(() => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  store = Store.open(`sqlite://${tmp.dir}/bot.sqlite`);
  h = new Harness(store);
});

afterEach(async () => {
  await store.close();
  cleanup();
});

async function orgOf(userId: number) {
  const member = await store.getMember(userId);
  const org = member && (await store.getOrg(member.orgId));
  if (!org) throw new Error(`user ${userId} has no org`);
  return org;
}

async function answerOf(userId: number, questionId: string) {
  return store.getAnswerWithHistory(await orgOf(userId), questionId);
}

async function cursorOf(userId: number) {
  const org = await orgOf(userId);
  return store.getCursor(org.id, userId);
}

describe("registration", () => {
  it("asks name, kind, superior and year in this order, then the first question", async () => {
    const chat = h.chat(ME, "小王");
    const start = await h.run(() => chat.send("/start"));
    expect(start).toHaveLength(1);
    expect(start[0]).toContain("请输入单位全称");

    const kind = await h.run(() => chat.send("洪梅镇"));
    expect(kind).toEqual(["洪梅镇是乡、镇还是街道？（按名称应为“镇”）"]);
    expect(h.buttons(h.api.calls.length - 1)).toEqual([
      { label: "乡", data: "kind:乡" },
      { label: "镇", data: "kind:镇" },
      { label: "街道", data: "kind:街道" },
    ]);

    const badKind = await h.run(() => chat.send("县"));
    expect(badKind).toEqual(["请从下列选项中选择：乡、镇 或 街道。"]);

    const superior = await h.run(() => chat.send("镇"));
    expect(superior[0]).toContain("洪梅镇的上级是哪个县（市、区）");

    const year = await h.run(() => chat.send("东莞市"));
    expect(year).toEqual(["报告哪一年度的工作？默认为 2025 年度，可直接点选或输入年份。"]);

    const badYear = await h.run(() => chat.send("去年"));
    expect(badYear[0]).toBe("请输入报告年度（2000–2026 的四位数字），例如 2025。");

    const done = await h.run(() => chat.send("2025"));
    const org = await orgOf(ME);
    expect(org).toMatchObject({
      name: "洪梅镇",
      kind: "镇",
      superior: "东莞市",
      year: 2025,
      admins: [ME],
    });
    expect(org.inviteCode).toMatch(/^[2-9A-Z]{8}$/);
    expect(done[0]).toContain(`已登记：洪梅镇（镇，上级：东莞市），2025年度法治政府建设报告。`);
    expect(done[0]).toContain(`/join ${org.inviteCode}`);
    const first = template.sections[0]?.questions[0];
    expect(done[1]).toContain("【导语】\n第 1/4 题（必答）");
    expect(done[1]).toContain(first?.text);
    expect(await store.getMember(ME)).toMatchObject({
      role: "admin",
      displayName: "小王",
      orgId: org.id,
    });
    expect(await store.getRegistration(ME)).toBeUndefined();
    expect(await cursorOf(ME)).toEqual({ questionId: first?.id, pending: null });
  });

  it("lets a colleague join with the invite code and a wrong code is refused", async () => {
    await register(h.chat(ME));
    const org = await orgOf(ME);
    const colleague = h.chat(502, "老李");
    const wrong = await h.run(() => colleague.send("/join WRONG123"));
    expect(wrong).toEqual(["邀请码“WRONG123”无效，请向单位管理员核对后重新发送“/join 邀请码”。"]);
    expect(await store.getMember(502)).toBeUndefined();

    const joined = await h.run(() => colleague.send(`/start ${org.inviteCode.toLowerCase()}`));
    expect(joined[0]).toBe("已加入「洪梅镇」2025年度法治政府建设报告的填写。");
    expect(await store.getMember(502)).toMatchObject({ orgId: org.id, role: "member" });
  });

  it("cancels a registration half-way and keeps nothing of it", async () => {
    const chat = h.chat(ME);
    await chat.send("/start");
    await chat.send("洪梅镇");
    expect(await h.run(() => chat.send("/cancel"))).toEqual(["已取消登记。需要时再发送 /start。"]);
    expect(await store.getRegistration(ME)).toBeUndefined();
    expect(await h.run(() => chat.send("一些文字"))).toEqual([
      "您还没有加入任何单位。发送 /start 登记本单位，或发送“/join 邀请码”加入同事已登记的单位。",
    ]);
  });
});

describe("the interview", () => {
  const [q1, q2, q3] = template.sections[0]?.questions ?? [];
  if (!q1 || !q2 || !q3) throw new Error("intro needs three questions");

  beforeEach(async () => {
    await register(h.chat(ME, "小王"));
  });

  it("saves an answer before acknowledging it, then asks the next question", async () => {
    const chat = h.chat(ME, "小王");
    const replies = await h.run(() => chat.send("《东莞市法治政府建设实施方案》"));
    expect(replies[0]).toBe(
      "✅ 已保存：本年度开展法治政府建设，主要依据了上级（县、区、市）的哪些文件？请写出文件全称。",
    );
    expect(replies[1]).toContain("第 2/4 题（必答）");
    expect(replies[1]).toContain(q2.text);
    const saved = await answerOf(ME, q1.id);
    expect(saved).toMatchObject({
      text: "《东莞市法治政府建设实施方案》",
      author: ME,
      authorName: "小王",
      at: NOW.toISOString(),
      history: [],
    });
    expect(await cursorOf(ME)).toEqual({ questionId: q2.id, pending: null });
  });

  it("appends with the 补充 button and replaces with 重答, keeping old versions", async () => {
    const chat = h.chat(ME);
    await chat.send("第一部分");
    const ack = h.api.calls.filter((c) => c.method === "sendMessage").at(-2);
    expect(ack?.payload.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "补充", callback_data: `ap:${q1.id}` },
          { text: "重答", callback_data: `re:${q1.id}` },
        ],
      ],
    });
    const prompt = await h.run(() => chat.press(`ap:${q1.id}`));
    expect(prompt[0]).toContain("请发送要补充的内容");
    const appended = await h.run(() => chat.send("第二部分"));
    expect(appended[0]).toContain("✅ 已补充");
    expect(appended[1]).toContain(q2.text);
    expect((await answerOf(ME, q1.id))?.text).toBe("第一部分\n第二部分");

    await chat.press(`re:${q1.id}`);
    const replaced = await h.run(() => chat.send("全新的回答"));
    expect(replaced[0]).toContain("✅ 已更新");
    const answer = await answerOf(ME, q1.id);
    expect(answer?.text).toBe("全新的回答");
    expect(answer?.history?.map((v) => v.text)).toEqual(["第一部分", "第一部分\n第二部分"]);
    expect(await cursorOf(ME)).toEqual({ questionId: q2.id, pending: null });
  });

  it("appends a Telegram reply to an earlier question to that question", async () => {
    const chat = h.chat(ME);
    await chat.send("答案一");
    const q1Message = h.api.calls.find(
      (c) => c.method === "sendMessage" && String(c.payload.text).includes(q1.text),
    );
    await chat.send("答案二");
    const replies = await h.run(() =>
      chat.send("补一句", {
        reply_to_message: {
          message_id: 1,
          date: 0,
          chat: { id: ME, type: "private", first_name: "x" },
          from: h.bot.botInfo,
          text: String(q1Message?.payload.text),
        },
      } as never),
    );
    expect(replies[0]).toContain(`已补充到「`);
    expect((await answerOf(ME, q1.id))?.text).toBe("答案一\n补一句");
    expect((await answerOf(ME, q2.id))?.text).toBe("答案二");
    expect((await cursorOf(ME))?.questionId).toBe(q3.id);
  });

  it("skips, goes back, and jumps to a section", async () => {
    const chat = h.chat(ME);
    const skipped = await h.run(() => chat.send("/skip"));
    expect(skipped[0]).toBe(
      "已跳过：本年度开展法治政府建设，主要依据了上级（县、区、市）的哪些文件？请写出文件全称。（稍后可用 /missing 找回）",
    );
    expect(skipped[1]).toContain(q2.text);
    await chat.send("本镇文件");
    const back = await h.run(() => chat.send("/back"));
    expect(back[0]).toContain(q2.text);
    expect(back[0]).toContain("当前回答：本镇文件");
    const replaced = await h.run(() => chat.send("本镇文件（修订）"));
    expect(replaced[0]).toContain("✅ 已更新");
    expect((await answerOf(ME, q2.id))?.text).toBe("本镇文件（修订）");

    const menu = await h.run(() => chat.send("/sections"));
    expect(menu).toEqual(["选择要填写的章节："]);
    const sections = h.buttons(h.api.calls.length - 1);
    expect(sections).toHaveLength(15);
    expect(sections[0]).toEqual({ label: "… 导语 1/4", data: "sec:intro" });
    expect(sections[6]?.label).toBe("○ （六）依法预防处置突发事件 0/6");
    const jumped = await h.run(() => chat.press("sec:enforcement"));
    expect(jumped[0]).toContain("【（五）坚持严格规范公正文明执法】\n第 1/10 题（必答）");
    expect((await cursorOf(ME))?.questionId).toBe("enforcement.team");
    await chat.send("执法人员12名，持证12名，持证率100%");
    expect((await answerOf(ME, "enforcement.team"))?.text).toContain("持证率100%");
  });

  it("edits any earlier answer through /edit menus", async () => {
    const chat = h.chat(ME);
    await chat.send("旧的依据");
    expect(await h.run(() => chat.send("/edit"))).toEqual(["选择要修改的章节："]);
    const list = await h.run(() => chat.press("edsec:intro"));
    expect(list).toEqual(["【导语】选择要修改的问题："]);
    expect(h.buttons(h.api.calls.length - 1)[0]?.data).toBe(`ed:${q1.id}`);
    const prompt = await h.run(() => chat.press(`ed:${q1.id}`));
    expect(prompt[0]).toContain("当前回答：旧的依据");
    await chat.send("新的依据");
    expect((await answerOf(ME, q1.id))?.text).toBe("新的依据");
    expect(await h.run(() => chat.send(`/edit ${q1.id}`))).toHaveLength(1);
    expect(await h.run(() => chat.send("/edit nowhere"))).toEqual([
      "没有找到“nowhere”。发送 /edit 从章节列表中选择要修改的问题。",
    ]);
  });

  it("shows progress per section with /status", async () => {
    const chat = h.chat(ME);
    await chat.send("依据一");
    await chat.send("依据二");
    const [status] = await h.run(() => chat.send("/status"));
    const lines = status?.split("\n") ?? [];
    expect(lines[0]).toBe("洪梅镇（东莞市）2025年度报告 · 填写进度 2/98");
    expect(lines[2]).toBe("… ▰▰▰▰▱▱▱▱ 2/4 导语");
    expect(lines[3]).toBe("    已答：小王 2");
    expect(lines[4]).toBe("… ▱▱▱▱▱▱▱▱ 0/6 （一）加强党的领导，统筹推进法治政…");
    expect(lines).toHaveLength(2 + 15 + 1 + 2);
  });

  it("lists missing required questions by section with buttons to jump there", async () => {
    const chat = h.chat(ME);
    for (const q of template.sections[0]?.questions.filter((x) => x.required) ?? []) {
      await chat.press(`ed:${q.id}`);
      await chat.send("已填写");
    }
    const [missing] = await h.run(() => chat.send("/missing"));
    expect(missing?.split("\n")[0]).toBe("还缺 11 个必答章节的内容：");
    const [required, optional] = missing?.split("\n\n另有") ?? [];
    expect(required).not.toContain("导语");
    // The intro's optional questions, left open, are the second group.
    const open = template.sections[0]?.questions.filter((x) => !x.required) ?? [];
    expect(optional?.split("\n")[0]).toMatch(/^ \d+ 个选答题未答/);
    expect(open.length).toBeGreaterThan(0);
    for (const q of open) expect(optional).toContain(q.text.slice(0, 20));
    const buttons = h.buttons(h.api.calls.length - 1);
    expect(buttons.map((b) => b.data)).toEqual(
      template.sections.filter((s) => s.required && s.id !== "intro").map((s) => `sec:${s.id}`),
    );
    const jump = await h.run(() => chat.press("sec:rules"));
    expect(jump[0]).toContain("【（三）完善依法行政制度体系】");
  });
});

describe("bad input", () => {
  beforeEach(async () => {
    await register(h.chat(ME));
  });

  it("answers a sticker, a photo and a voice message and changes nothing", async () => {
    const chat = h.chat(ME);
    const before = await cursorOf(ME);
    for (const fields of [
      {
        sticker: {
          file_id: "s",
          file_unique_id: "s",
          type: "regular",
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
        },
      },
      { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] },
      { voice: { file_id: "v", file_unique_id: "v", duration: 1 } },
    ]) {
      const replies = await h.run(() => chat.sendMessage(fields as never));
      expect(replies).toEqual([
        "目前只能处理文字消息，请用文字回答（图片、语音、贴纸等不会被保存）。",
      ]);
    }
    expect(await cursorOf(ME)).toEqual(before);
    expect((await store.getAnswers(await orgOf(ME), ["intro.basis-superior"])).size).toBe(0);
  });

  it("refuses a 10,000-character message without saving it", async () => {
    const chat = h.chat(ME);
    const replies = await h.run(() => chat.send("法".repeat(10_000)));
    expect(replies).toEqual([
      "这条消息有 10000 字，超过单条 4096 字的上限，未保存。请分几条发送：先发第一部分，再点“补充”追加其余内容。",
    ]);
    expect(await answerOf(ME, "intro.basis-superior")).toBeUndefined();
  });

  it("splits a reply longer than 4096 characters into parts", async () => {
    const chat = h.chat(ME);
    await chat.send("甲".repeat(4000));
    await chat.press("ap:intro.basis-superior");
    await chat.send("乙".repeat(4000));
    const shown = await h.run(() => chat.press("ed:intro.basis-superior"));
    expect(shown.length).toBeGreaterThan(1);
    for (const part of shown) expect(part.length).toBeLessThanOrEqual(4096);
    expect(shown.join("")).toContain("甲".repeat(4000));
    expect(shown.join("")).toContain("乙".repeat(4000));
  });

  it("answers an unknown command and stale button data", async () => {
    const chat = h.chat(ME);
    expect(await h.run(() => chat.send("/foo"))).toEqual([
      "未知命令 /foo。发送 /help 查看可用命令。",
    ]);
    for (const data of ["sec:nowhere", "ap:intro.nothing", "zz", "kind:镇"]) {
      const mark = h.api.calls.length;
      const replies = await h.run(() => chat.press(data));
      expect(replies).toEqual(["该按钮已失效，请重新发送命令。"]);
      expect(h.since(mark).some((c) => c.method === "answerCallbackQuery")).toBe(true);
    }
    expect(await cursorOf(ME)).toEqual({ questionId: "intro.basis-superior", pending: null });
  });

  it("tells a stranger to register and answers /help", async () => {
    const stranger = h.chat(999);
    expect(await h.run(() => stranger.send("/missing"))).toEqual([
      "您还没有加入任何单位。发送 /start 登记本单位，或发送“/join 邀请码”加入同事已登记的单位。",
    ]);
    const [help] = await h.run(() => stranger.send("/help"));
    expect(help).toContain("/missing 还缺哪些必答内容");
    expect(h.errors).toEqual([]);
  });
});

describe("a store outage", () => {
  it("tells the user to retry, acknowledges nothing, and keeps what was saved", async () => {
    const failing = new Map<string, unknown>();
    let down = false;
    const adapter = {
      get: (k: string) => (down ? Promise.reject(new Error("connection refused")) : failing.get(k)),
      set: (k: string, value: unknown) => {
        if (down) return Promise.reject(new Error("connection refused"));
        failing.set(k, value);
        return true;
      },
      delete: (k: string) => failing.delete(k),
      clear: () => failing.clear(),
      has: (k: string) => failing.has(k),
    };
    const flaky = new Store(new Keyv({ store: adapter as never }));
    const fh = new Harness(flaky);
    const chat = fh.chat(ME);
    await register(chat);
    await chat.send("已保存的回答");
    down = true;
    expect(await fh.run(() => chat.send("第二条回答"))).toEqual([
      "暂时无法保存，请稍后重试。刚才的内容没有保存，之前已保存的回答不受影响。",
    ]);
    down = false;
    const org = await flaky.getOrg((await flaky.getMember(ME))?.orgId ?? "");
    expect(org && (await flaky.getAnswer(org, "intro.basis-superior"))?.text).toBe("已保存的回答");
    expect(org && (await flaky.getAnswer(org, "intro.basis-own"))).toBeUndefined();
    const retried = await fh.run(() => chat.send("第二条回答"));
    expect(retried[0]).toContain("✅ 已保存");
    expect(fh.errors).toHaveLength(1);
    expect(fh.errors[0]).toContain("connection refused");
  });
});

describe("start-up and access", () => {
  it("registers the Chinese command menu with setMyCommands", async () => {
    await prepare(h.bot, createLogger("silent"));
    const call = h.api.calls.find((c) => c.method === "setMyCommands");
    const commands = call?.payload.commands as { command: string; description: string }[];
    expect(commands.map((c) => c.command)).toEqual([
      "next",
      "sections",
      "status",
      "missing",
      "draft",
      "drafts",
      "revise",
      "export",
      "check",
      "skip",
      "back",
      "edit",
      "history",
      "members",
      "invite",
      "assign",
      "deadline",
      "signoff",
      "start",
      "join",
      "cancel",
      "help",
    ]);
    expect(commands.find((c) => c.command === "missing")?.description).toBe("还缺哪些必答内容");
  });

  it("refuses users outside ALLOWED_USER_IDS and stores nothing of them", async () => {
    const guarded = new Harness(store, { allowedUserIds: new Set([ME]) });
    expect(await guarded.run(() => guarded.chat(666).send("/start"))).toEqual([
      "本机器人仅对授权用户开放。如需使用，请联系管理员。",
    ]);
    expect(await store.getRegistration(666)).toBeUndefined();
    const allowed = await guarded.run(() => guarded.chat(ME).send("/start"));
    expect(allowed[0]).toContain("请输入单位全称");
  });

  it("limits a flood of messages from one user with a clear message", async () => {
    const limited = new Harness(store, { rateLimit: { timeFrame: 60_000, limit: 3 } });
    const chat = limited.chat(ME);
    const replies = await limited.run(async () => {
      for (let i = 0; i < 5; i++) await chat.send("/help");
    });
    expect(replies.filter((r) => r === "操作太频繁，请稍候再试。")).toHaveLength(1);
    expect(replies.filter((r) => r.startsWith("法治政府建设年度报告助手"))).toHaveLength(3);
  });

  it("explains that editing a sent message does not change the saved answer", async () => {
    const mark = h.api.calls.length;
    await h.bot.handleUpdate({
      update_id: 99,
      edited_message: {
        message_id: 5,
        date: 0,
        edit_date: 1,
        chat: { id: ME, type: "private", first_name: "x" },
        from: { id: ME, is_bot: false, first_name: "x" },
        text: "改过的",
      },
    } as never);
    expect(h.texts(mark)).toEqual([
      "修改已发出的消息不会更新已保存的回答。如需修改，请发送 /edit 选择问题后重新回答。",
    ]);
  });
});
