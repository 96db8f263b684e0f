import { InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../src/store/store.js";
import { Harness, register } from "./helpers/harness.js";
import { docxPart } from "./helpers/zip.js";

const ME = 701;
let store: Store;
let h: Harness;

beforeEach(async () => {
  store = Store.open("memory://");
  h = new Harness(store);
  const chat = h.chat(ME, "小王");
  await register(chat);
  await chat.press("sec:enforcement");
  await chat.send("综合执法队执法人员18名，持证18名，持证率100%。");
});
afterEach(() => store.close());

/** The documents sent since `mark`, with their bytes. */
async function documents(mark: number) {
  const sent = h.since(mark).filter((c) => c.method === "sendDocument");
  return Promise.all(
    sent.map(async (c) => {
      const file = c.payload.document as InputFile;
      expect(file).toBeInstanceOf(InputFile);
      return { name: file.filename, bytes: (await file.toRaw()) as Uint8Array, payload: c.payload };
    }),
  );
}

describe("/export", () => {
  it("asks for a draft first", async () => {
    expect(await h.run(() => h.chat(ME).send("/export"))).toEqual([
      "还没有草稿，请先发送 /draft 起草。",
    ]);
  });

  it("sends the latest draft as a .docx with sendDocument, and as Markdown on request", async () => {
    const chat = h.chat(ME);
    await chat.send("/draft");
    const summary = h
      .since(0)
      .filter((c) => c.method === "sendMessage")
      .at(-1);
    expect(summary?.payload.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "导出Word", callback_data: "export:docx" },
          { text: "导出Markdown", callback_data: "export:md" },
        ],
      ],
    });
    const org = await store.getOrg((await store.getMember(ME))?.orgId ?? "");
    const draft = org && (await store.latestDraft(org));
    if (!draft) throw new Error("no draft");

    let mark = h.api.calls.length;
    await chat.press("export:docx");
    const [docx] = await documents(mark);
    expect(docx?.name).toBe("洪梅镇2025年度法治政府建设情况报告.docx");
    expect(docx?.payload.caption).toBe("第 1 版草稿（公文格式，【待补充】处已标黄）");
    const xml = docxPart(docx?.bytes ?? new Uint8Array(), "word/document.xml");
    expect(xml).toContain("洪梅镇关于2025年度法治政府建设情况的报告");
    expect(xml).toContain("综合执法队执法人员18名，持证18名，持证率100%");

    mark = h.api.calls.length;
    await chat.send("/export md");
    const [md] = await documents(mark);
    expect(md?.name).toBe("洪梅镇2025年度法治政府建设情况报告.md");
    const text = Buffer.from(md?.bytes ?? []).toString("utf8");
    expect(text).toBe(draft.markdown);
    expect(text.startsWith("# 洪梅镇关于2025年度法治政府建设情况的报告\n")).toBe(true);

    mark = h.api.calls.length;
    await chat.send("/export");
    expect((await documents(mark)).map((d) => d.name)).toEqual([
      "洪梅镇2025年度法治政府建设情况报告.docx",
    ]);
  });

  it("gives nothing to someone outside the org", async () => {
    await h.chat(ME).send("/draft");
    const stranger = h.chat(999);
    const mark = h.api.calls.length;
    expect(await h.run(() => stranger.press("export:docx"))).toEqual([
      "您还没有加入任何单位。发送 /start 登记本单位，或发送“/join 邀请码”加入同事已登记的单位。",
    ]);
    expect(h.since(mark).some((c) => c.method === "sendDocument")).toBe(false);
  });
});
