import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/harness.js";
import { type OpenAIStub, startOpenAIStub } from "../stub/openai-stub.js";
import { type BotProcess, Person, startBot, startEmulator, waitUntil } from "./emulator.js";

/**
 * Issue 14.6: the real bot process is killed with SIGKILL while a /draft waits on a hanging LLM
 * endpoint; the restarted bot tells the user the draft was interrupted and unfreezes the
 * "起草中" progress message.
 */

const tmp = tempDir();
let server: Awaited<ReturnType<typeof startEmulator>>;
let stub: OpenAIStub;
let env: Record<string, string>;
const bots: BotProcess[] = [];

beforeAll(async () => {
  server = await startEmulator();
  stub = await startOpenAIStub({ failures: { kind: "hang", times: 1_000 } });
  env = {
    TELEGRAM_API_ROOT: server.config.apiURL,
    STORE_URL: `sqlite://${tmp.dir}/e2e.sqlite`,
    OPENAI_API_KEY: "t",
    OPENAI_BASE_URL: stub.baseURL,
    LLM_MODEL: "stub-model",
  };
}, 30_000);

afterAll(async () => {
  // Closing the endpoint first ends the last draft (offline fallback), so the shutdown drains fast.
  await stub.close();
  for (const bot of bots) if (bot.child.exitCode === null && !bot.child.killed) await bot.stop();
  await server.stop();
  tmp.cleanup();
}, 90_000);

/** The text of the bot's message to `chatId` as the emulator holds it now (edits applied). */
function botTexts(chatId: number): string[] {
  return server.storage.botMessages
    .filter((m) => String(m.message.chat_id) === String(chatId))
    .map((m) => String(m.message.text ?? ""));
}

describe("kill -9 during /draft", () => {
  it("tells the user after the restart and edits the frozen progress message", {
    timeout: 90_000,
  }, async () => {
    bots.push(await startBot(env));
    const wang = new Person(server, 5001, "小王");
    await wang.say("/start");
    await wang.expect("请输入单位全称");
    await wang.say("洪梅镇");
    await wang.expect("是乡、镇还是街道？");
    await wang.press("kind:镇");
    await wang.expect("的上级是哪个县");
    await wang.say("东莞市");
    await wang.expect("报告哪一年度的工作？");
    await wang.say("2025");
    await wang.expect("已登记：洪梅镇");
    await wang.say("《东莞市法治政府建设实施方案》");
    await wang.expect("✅ 已保存");

    await wang.say("/draft");
    await wang.expect("起草中…");
    // The draft is under way: its first LLM call hangs on the endpoint.
    await waitUntil(
      () => stub.inFlight > 0,
      15_000,
      () => "no LLM call",
    );
    const first = bots[0];
    if (!first) throw new Error("no bot");
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const drafting = (t: string) => t.startsWith("起草中");
    // Frozen at "起草中…" or "起草中 n/m": the sections without facts were composed offline.
    expect(botTexts(5001).filter(drafting)).toHaveLength(1);

    bots.push(await startBot(env));
    const told = await wang.expect("开始的起草因程序重启而中断", 15_000);
    expect(told).toMatch(
      /^北京时间 \d{4}-\d\d-\d\d \d\d:\d\d 开始的起草因程序重启而中断，没有生成新版本。已保存的回答不受影响，请重新发送 \/draft。$/,
    );
    expect(botTexts(5001)).toContain("起草已中断（程序重启），请重新发送 /draft。");
    expect(botTexts(5001).filter(drafting)).toEqual([]);

    // The slot is free: a new /draft starts (and is told nothing about the old one again).
    await wang.say("/draft");
    await waitUntil(
      () => botTexts(5001).filter(drafting).length === 1,
      15_000,
      () => botTexts(5001).join("\n---\n"),
    );
    expect(botTexts(5001).filter((t) => t.includes("因程序重启而中断"))).toHaveLength(1);
  });
});
