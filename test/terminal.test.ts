import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/log.js";
import { Store } from "../src/store/store.js";
import { runChat } from "../src/terminal/chat.js";
import { NOW, tempDir, template } from "./helpers/harness.js";

async function chat(
  lines: string[],
  store = Store.open("memory://"),
  exportDir?: string,
): Promise<{ out: string; store: Store }> {
  let out = "";
  await runChat({
    ...(exportDir ? { exportDir } : {}),
    store,
    template,
    logger: createLogger("error"),
    input: Readable.from(lines.map((l) => `${l}\n`)),
    write: (text) => {
      out += text;
    },
    echo: true,
    now: () => NOW,
  });
  return { out, store };
}

async function orgAnswers(store: Store) {
  const member = await store.getMember(10_001);
  const org = member && (await store.getOrg(member.orgId));
  if (!org) throw new Error("not registered");
  return store.getAnswers(org, ["intro.basis-superior", "intro.basis-own", "intro.summary"]);
}

describe("the terminal chat", () => {
  it("shows menu buttons as numbered choices and presses them by number or label", async () => {
    const { out, store } = await chat(["/start", "城关街道", "3", "某某区", "2025"]);
    expect(out).toContain(
      "城关街道是乡、镇还是街道？（按名称应为“街道”）\n  [1] 乡\n  [2] 镇\n  [3] 街道\n",
    );
    expect(out).toContain("已登记：城关街道（街道，上级：某某区），2025年度法治政府建设报告。");
    expect(await store.getMember(10_001)).toMatchObject({ role: "admin" });
  });

  it("takes a number as an answer when the bot asked a question, and 补充 as the button", async () => {
    const { out, store } = await chat([
      "/start",
      "洪梅镇",
      "镇",
      "东莞市",
      "2025",
      "3",
      "补充",
      "件上级文件",
    ]);
    expect(out).toContain(
      "✅ 已保存：本年度开展法治政府建设，主要依据了上级（县、区、市）的哪些文件？请写出文件全称。\n  [补充] [重答]",
    );
    expect(out).toContain("请发送要补充的内容");
    expect((await orgAnswers(store)).get("intro.basis-superior")?.text).toBe("3\n件上级文件");
  });
});

describe("exporting from the terminal", () => {
  it("saves the Word file the bot sends and shows where", async () => {
    const tmp = tempDir();
    try {
      const { out } = await chat(
        ["/start", "洪梅镇", "镇", "东莞市", "2025", "依据文件", "/draft", "导出Word"],
        Store.open("memory://"),
        tmp.dir,
      );
      const path = join(tmp.dir, "洪梅镇2025年度法治政府建设情况报告.docx");
      expect(out).toContain(`已保存文件：${path}\n第 1 版草稿（公文格式，【待补充】处已标黄）`);
      expect([...readFileSync(path).subarray(0, 2)]).toEqual([0x50, 0x4b]);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("npm start without a token", () => {
  it("exits 1 naming TELEGRAM_BOT_TOKEN when not on a terminal", async () => {
    const run = promisify(execFile);
    const result = await run("node", ["bin/fazhi-report.js", "start"], {
      env: { ...process.env, TELEGRAM_BOT_TOKEN: "", STORE_URL: "memory://" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toContain(
      "TELEGRAM_BOT_TOKEN is not set and stdin is not a terminal",
    );
  });

  it("opens the terminal chat with a notice on a terminal", async () => {
    const run = promisify(execFile);
    // `script` gives the program a pseudo-terminal, as a person's shell would.
    const child = run("script", ["-qec", "node bin/fazhi-report.js start", "/dev/null"], {
      env: { ...process.env, TELEGRAM_BOT_TOKEN: "", STORE_URL: "memory://" },
    });
    child.child.stdin?.end("/help\n\x04");
    const { stdout } = await child;
    expect(stdout).toContain("未设置 TELEGRAM_BOT_TOKEN，现在在终端中对话");
    expect(stdout).toContain("/missing 还缺哪些必答内容");
  });
});
