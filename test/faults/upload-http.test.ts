import type { Bot } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/bot.js";
import type { BotContext } from "../../src/bot/context.js";
import { LOCAL_BOT_INFO } from "../../src/bot/local-api.js";
import { MAX_INPUT_BYTES } from "../../src/check/read-input.js";
import { createLogger } from "../../src/log.js";
import { Store } from "../../src/store/store.js";
import { template } from "../helpers/harness.js";
import { documentXml, docxAround, TINY_PARAGRAPH } from "../helpers/zip-bomb.js";
import { FakeBotApi } from "./fake-bot-api.js";
import { waitUntil } from "./wait.js";

/**
 * Document uploads from a Bot API server over plain http (TELEGRAM_API_ROOT=http://…, a local
 * Bot API server): the real bot downloads them itself, checks the HTTP status and the size, and
 * a hostile .docx parsed meanwhile does not hold up other chats.
 */
const TOKEN = "123:abc";
const ALICE = { id: 701, first_name: "小李" };
const BOB = { id: 702, first_name: "小王" };
const REPORT = "某镇2024年法治政府建设情况报告\n一、主要举措和成效\n开展学法2次。";

let api: FakeBotApi;
let store: Store;
let bot: Bot<BotContext>;
let logs: string[];

beforeEach(async () => {
  api = new FakeBotApi(TOKEN, LOCAL_BOT_INFO);
  await api.start();
  store = Store.open("memory://");
  logs = [];
  bot = createBot({
    token: TOKEN,
    apiRoot: api.apiRoot,
    botInfo: LOCAL_BOT_INFO,
    store,
    template,
    logger: createLogger("error", (line) => logs.push(line)),
    rateLimit: false,
  });
});

afterEach(async () => {
  await api.close();
  await store.close();
});

async function upload(
  fileId: string,
  name: string,
  bytes: Uint8Array,
  status = 200,
): Promise<string[]> {
  api.addFile(fileId, bytes, status);
  await bot.handleUpdate(api.documentUpdate(ALICE, fileId, name, bytes.byteLength));
  return api.delivered(ALICE.id);
}

describe("uploads from an http Bot API server", () => {
  it("downloads over http and checks the report", async () => {
    const replies = await upload("f1", "report.txt", Buffer.from(REPORT));
    expect(api.downloads).toEqual(["documents/f1.bin"]);
    expect(replies[0]).toMatch(/^检查结果（report\.txt）：齐全 \d+ 项/);
  });

  it("shows the control characters of a file name escaped in its echo", async () => {
    const replies = await upload(
      "f4",
      "\u001b]0;pwned\u0007\u001b[2J报告.txt",
      Buffer.from(REPORT),
    );
    expect(replies[0]).toMatch(/^检查结果（\\u001b\]0;pwned\\u0007\\u001b\[2J报告\.txt）：/);
    expect(replies.join("")).not.toContain("\u001b");
  });

  it("treats a download that is not HTTP 200 as a failure, with a reply", async () => {
    const replies = await upload("f2", "report.txt", Buffer.from(REPORT), 502);
    expect(replies).toEqual(["读取文件时出错，请稍后重试，或改发 .txt 文本。"]);
    expect(logs.join("\n")).toContain("answered HTTP 502");
    expect(logs.join("\n")).not.toContain(TOKEN);
  });

  it("stops a download that passes the size cap, whatever the size announced", async () => {
    api.addFile("f3", Buffer.alloc(MAX_INPUT_BYTES + 100_000, 0x41));
    await bot.handleUpdate(api.documentUpdate(ALICE, "f3", "grown.txt", 10));
    expect(api.delivered(ALICE.id)[0]).toMatch(
      /^文件过大：“grown\.txt”有 5\.\d MB，上限是 5\.0 MB/,
    );
  });

  it("answers another chat while a zip bomb is being parsed", async () => {
    // Declares 4 KB, inflates to 100 MB: only the worker's limits stop it.
    const bomb = docxAround(
      documentXml(Math.ceil((100 * 1024 * 1024) / TINY_PARAGRAPH.length)),
      4096,
    );
    api.addFile("bomb", bomb);
    let parsed = false;
    const parse = bot
      .handleUpdate(api.documentUpdate(ALICE, "bomb", "bomb.docx", bomb.byteLength))
      .then(() => {
        parsed = true;
      });
    // Bob writes once the bomb is downloaded, i.e. while it is being parsed.
    await waitUntil(
      () => api.downloads.length === 1,
      10_000,
      () => "no download",
    );
    await bot.handleUpdate({
      update_id: 99_999,
      message: {
        message_id: 99_999,
        date: 0,
        chat: { id: BOB.id, type: "private", first_name: BOB.first_name },
        from: { ...BOB, is_bot: false },
        text: "/help",
        entities: [{ type: "bot_command", offset: 0, length: 5 }],
      },
    } as never);
    // Bob has his answer and Alice's parse is still running: it never held the event loop.
    expect(api.delivered(BOB.id)).toHaveLength(1);
    expect(parsed).toBe(false);
    await parse;
    expect(api.delivered(ALICE.id)).toEqual([
      "文件过大或已损坏：“bomb.docx”解压后的内容超出上限，无法读取。请删去图片或附件，在 Word 或 WPS 中重新保存后再发送。",
    ]);
  });
});
