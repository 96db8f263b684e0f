import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toDocx } from "../../src/export/docx.js";
import { toMarkdown } from "../../src/export/markdown.js";
import { parseOutline } from "../../src/export/outline.js";
import { TEXT } from "../../src/messages/zh.js";
import { Store } from "../../src/store/store.js";
import { cleanText, isBlank, stripForbidden, stripForbiddenDeep } from "../../src/text/sanitize.js";
import { Harness, register, template } from "../helpers/harness.js";
import { docxPart } from "../helpers/zip.js";

/** Characters XML 1.0 forbids, or that are not characters at all. */
const FORBIDDEN = [
  "\u0000",
  "\u0001",
  "\u000B",
  "\u001F",
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "\uFDD0",
  "\u{1FFFF}",
  "\u{10FFFE}",
  "\u0085",
  "\u007F",
];
/** Only what XML 1.0's Char production allows: tab, line breaks and the printable ranges. */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const ZW = "\u200B";

describe("sanitize", () => {
  it.each(FORBIDDEN)("strips U+%s", (c) => {
    expect(stripForbidden(`甲${c}乙`)).toBe("甲乙");
  });

  it("keeps tabs, line breaks, emoji and rare Han characters", () => {
    const text = "甲\t乙\r\n丙\n👍🏽 𠀀 ｆｕｌｌ";
    expect(stripForbidden(text)).toBe(text);
  });

  it("treats text of invisible characters as empty", () => {
    for (const blank of [
      `${ZW}${ZW}`,
      "\u200C\u200D\u2060\uFEFF",
      " \u3000\u3164\u2800",
      "\u00AD\u034F\uFE0F",
    ]) {
      expect(isBlank(blank)).toBe(true);
      expect(cleanText(blank)).toBe("");
    }
    expect(cleanText(` 红桥镇${ZW} `)).toBe(`红桥镇${ZW}`);
    expect(isBlank("。")).toBe(false);
  });

  it("cleans every string of an outline, and nothing else", () => {
    const value = { a: ["x\uFFFE", { b: "y\u0000" }], n: 3, none: null };
    expect(stripForbiddenDeep(value)).toEqual({ a: ["x", { b: "y" }], n: 3, none: null });
  });
});

describe("exports", () => {
  const dirty = `某镇2025年法治政府建设情况报告\uFFFE\n一、主要举措和成效\n开展学法\u00012次\uFFFF。\n某镇人民政府\u{1FFFE}\n2026年1月10日`;

  it("writes a well-formed document.xml when a stored text holds U+FFFE", async () => {
    const xml = docxPart(await toDocx(parseOutline(dirty)), "word/document.xml");
    expect(xml).toMatch(XML_CHARS);
    expect(xml).toContain("开展学法2次。");
  });

  it("writes Markdown without them", () => {
    const md = toMarkdown(parseOutline(dirty));
    expect(md).toMatch(XML_CHARS);
    expect(md).toContain("# 某镇2025年法治政府建设情况报告\n");
  });
});

describe("in the chat", () => {
  let store: Store;
  let h: Harness;
  beforeEach(() => {
    store = Store.open("memory://");
    h = new Harness(store);
  });
  afterEach(() => store.close());

  it("refuses an org name of two zero-width spaces", async () => {
    const chat = h.chat(801);
    await chat.send("/start");
    const replies = await h.run(() => chat.send(`${ZW}${ZW}`));
    expect(replies).toEqual(["单位名称应为 2–40 个字的一行文字，请重新输入。"]);
  });

  it("does not save an answer of zero-width characters, and saves one with U+FFFE clean", async () => {
    const chat = h.chat(802);
    await register(chat);
    await chat.press("sec:enforcement");
    expect(await h.run(() => chat.send(`${ZW}\u200D${ZW}`))).toEqual([TEXT.emptyText]);
    const org = await store.getOrg((await store.getMember(802))?.orgId ?? "");
    if (!org) throw new Error("no org");
    expect((await store.getAnswers(org, allQuestionIds())).size).toBe(0);
    const [ack] = await h.run(() => chat.send("执法人员18名\uFFFE，持证率100%。"));
    expect(ack).toMatch(/^✅ 已保存/);
    const saved = [...(await store.getAnswers(org, allQuestionIds())).values()];
    expect(saved.map((a) => a.text)).toEqual(["执法人员18名，持证率100%。"]);
  });
});

function allQuestionIds(): string[] {
  return template.sections.flatMap((s) => s.questions.map((q) => q.id));
}
