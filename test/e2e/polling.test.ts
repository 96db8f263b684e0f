import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, template } from "../helpers/harness.js";
import { type BotProcess, Person, startBot, startEmulator } from "./emulator.js";

const leadership = template.section("leadership");

const tmp = tempDir();
let server: Awaited<ReturnType<typeof startEmulator>>;
let bot: BotProcess;

beforeAll(async () => {
  server = await startEmulator();
  bot = await startBot({
    TELEGRAM_API_ROOT: server.config.apiURL,
    STORE_URL: `sqlite://${tmp.dir}/e2e.sqlite`,
  });
}, 30_000);

afterAll(async () => {
  if (bot.child.exitCode === null) await bot.stop();
  await server.stop();
  tmp.cleanup();
});

describe("the bot's real polling loop against a local Bot API emulator", () => {
  it("registers, answers a whole section, drafts, and shuts down gracefully", async () => {
    const wang = new Person(server, 4001, "小王");
    await wang.say("/start");
    await wang.expect("请输入单位全称");
    await wang.say("洪梅镇");
    await wang.expect("洪梅镇是乡、镇还是街道？");
    await wang.press("kind:镇");
    await wang.expect("的上级是哪个县");
    await wang.say("东莞市");
    await wang.expect("报告哪一年度的工作？");
    await wang.say("2025");
    await wang.expect("已登记：洪梅镇（镇，上级：东莞市），2025年度法治政府建设报告。");
    for (const [i, text] of [
      "《东莞市法治政府建设实施方案》",
      "《洪梅镇法治建设工作要点》",
      "全年学法4次",
      "无",
    ].entries()) {
      await wang.say(text);
      await wang.expect(i === 3 ? `【（一）${leadership?.title}】\n第 1/` : `第 ${i + 2}/4 题`);
    }
    expect(wang.buttons).toContain("ap:intro.basis-superior");

    await wang.say("/draft");
    const title = await wang.expect("洪梅镇关于2025年度法治政府建设情况的报告", 20_000);
    expect(title).toContain("《东莞市法治政府建设实施方案》");
    const summary = await wang.expect("草稿说明：");
    expect(summary).toContain("· 所有数字、日期和文件名称都能在回答中找到出处。");
    // The emulator has no sendDocument: /export is tested with the captured transport.
    await wang.say("/status");
    const total = template.sections.reduce((n, s) => n + s.questions.length, 0);
    await wang.expect(`洪梅镇（东莞市）2025年度报告 · 填写进度 4/${total}`, 20_000);

    expect(await bot.stop()).toBe(0);
    expect(bot.stderr()).toContain('"msg":"stopped"');
  }, 60_000);
});
