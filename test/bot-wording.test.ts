import Keyv from "keyv";
import { describe, expect, it } from "vitest";
import type { ApiCall } from "../src/bot/local-api.js";
import { questionsOf } from "../src/interview/progress.js";
import { Store } from "../src/store/store.js";
import { Harness, register, template } from "./helpers/harness.js";

/** What a user sees of an API call: message texts, captions and button labels. */
function seen(calls: readonly ApiCall[]): string[] {
  return calls.flatMap((call) => {
    const {
      text,
      caption,
      reply_markup: markup,
    } = call.payload as {
      text?: string;
      caption?: string;
      reply_markup?: { inline_keyboard?: { text: string }[][] };
    };
    const labels = markup?.inline_keyboard?.flat().map((b) => b.text) ?? [];
    return [text, caption, ...labels].filter((t): t is string => typeof t === "string");
  });
}

function harness(): Harness {
  return new Harness(new Store(new Keyv({ store: new Map(), namespace: "fazhi" })));
}

describe("wording per kind of office", () => {
  const OFFICES = [
    { name: "洪梅镇", words: { self: "我镇", party: "镇党委", head: "镇长", org: "本镇" } },
    { name: "盘龙乡", words: { self: "我乡", party: "乡党委", head: "乡长", org: "本乡" } },
    {
      name: "城关街道",
      words: { self: "我街道", party: "街道党工委", head: "办事处主任", org: "本街道" },
    },
  ];
  const ALL = OFFICES.flatMap((o) => [o.words.party, o.words.org]);
  /** The first question of every section whose question or hint has a placeholder. */
  const shown = template.sections.filter((s) =>
    /\{\w+\}/.test(`${s.questions[0]?.text}${s.questions[0]?.hint}`),
  );
  const used = new Set(
    shown.flatMap((s) =>
      [...`${s.questions[0]?.text}${s.questions[0]?.hint}`.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
    ),
  );

  it.each(OFFICES)("$name sees its own words in questions and hints", async (office) => {
    expect(used.size, "the template uses kind placeholders").toBeGreaterThan(0);
    const h = harness();
    const chat = h.chat(1, "小王");
    await register(chat, office.name);
    const mark = h.api.calls.length;
    for (const section of shown) await chat.press(`sec:${section.id}`);
    const questions = h.texts(mark).join("\n");
    for (const key of used) {
      expect(questions).toContain(office.words[key as keyof typeof office.words]);
    }
    // Nothing anywhere in the run names another kind's bodies, or a catch-all wording.
    const mine = Object.values(office.words);
    const others = ALL.filter((w) => !mine.includes(w) && !mine.some((m) => m.includes(w)));
    for (const text of seen(h.api.calls)) {
      for (const other of others) expect(text).not.toContain(other);
      expect(text).not.toMatch(/镇（乡、街道）|党委（党工委）|[{}]/);
    }
  });
});

describe("no internal id in any reply", () => {
  const sectionIds = template.sections.map((s) => s.id);
  const questionIds = questionsOf(template).map((q) => q.id);
  const localIds = questionsOf(template).map((q) => q.id.slice(q.sectionId.length + 1));
  const checklistIds = template.checklist.map((c) => c.id);
  const ids = [...new Set([...sectionIds, ...questionIds, ...localIds, ...checklistIds])];
  const idPattern = new RegExp(
    // A command ("/signoff") is no id, though it may be spelled like one.
    `(?<![A-Za-z0-9_./-])(${ids.map((id) => id.replace(/[.]/g, "\\.")).join("|")})(?![A-Za-z0-9_-])`,
  );

  it("shows none through a whole scripted interview, drafting, team and export", async () => {
    const h = harness();
    const admin = h.chat(1, "小王");
    const colleague = h.chat(2, "老李");
    await register(admin, "洪梅镇");
    const org = await h.store.seatOf(1);
    await colleague.send(`/join ${org?.org.inviteCode}`);
    for (const send of [
      "/help",
      "/status",
      "/sections",
      "/missing",
      "/skip",
      "/back",
      "/history",
    ]) {
      await admin.send(send);
    }
    // Answer every question in order, with a reply to an earlier question on the way.
    for (const [i, question] of questionsOf(template).entries()) {
      await admin.send(i % 7 === 3 ? "没有" : `第${i + 1}项：开展${i + 2}次，共${i * 3}件。`);
      if (i === 5) await admin.press(`ap:${question.id}`);
    }
    for (const send of [
      "/status",
      "/missing",
      "/edit",
      "/edit 执法",
      "/edit 执法 2",
      "补充说明",
      "/history 执法 2",
      "/history 执法 99",
      "/draft",
      "/drafts",
      "/revise",
      "/revise 执法 更突出数据",
      "/export",
      "/export md",
      "/members",
      "/invite",
      "/assign",
      "/deadline",
      "/deadline 2026-03-01",
      "/check 洪梅镇关于2025年度法治政府建设情况的报告",
      "/cancel",
      "/nonsense",
    ]) {
      await admin.send(send);
    }
    await admin.press("edsec:enforcement");
    await admin.press("as:enforcement");
    await admin.press("asm:enforcement:2");
    await admin.press("inv:once");
    await admin.press("rm:2");
    await colleague.send("/next");
    await colleague.send("/status");
    const texts = seen(h.api.calls);
    expect(texts.length).toBeGreaterThan(questionIds.length);
    expect(texts.join("\n")).toContain("起草完成");
    for (const text of texts) expect(text).not.toMatch(idPattern);
  });
});
