import { beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/bot/commands.js";
import { CALLBACKS, type CallbackPrefix } from "../../src/interview/callbacks.js";
import { inviteCode, registerOrg, type TeamBot, teamBot } from "./team-helpers.js";

const A1 = 1001;
const A2 = 1002;
const B1 = 2001;
let t: TeamBot;
let orgA = "";
let orgB = "";
let codeA = "";

/** Everything of org A and its members, to compare before and after org B's attempts. */
function snapshotA(): string {
  const ofB = (key: string) =>
    key.includes(orgB) ||
    key.includes(String(B1)) ||
    String(t.map.get(key)).includes(`"orgId":"${orgB}"`);
  const keys = [...t.map.keys()].filter((k) => !ofB(k)).sort();
  return JSON.stringify(keys.map((k) => [k, t.map.get(k)]));
}

/** What org B's admin tries, per command; a command missing here is tried bare. */
const COMMAND_ARGS: Record<string, (string | (() => string))[]> = {
  start: ["", codeOf],
  join: [codeOf],
  edit: ["", "enforcement.team"],
  history: ["enforcement.team"],
  revise: ["enforcement 更简洁"],
  export: ["", "md"],
  deadline: ["", "2026-03-01"],
  check: ["某镇关于2025年度法治政府建设情况的报告"],
};
function codeOf(): string {
  return codeA;
}

/** Button data aimed at org A's things, for every kind of button the bot makes. */
const CALLBACK_EXAMPLES: Record<CallbackPrefix, () => string[]> = {
  ap: () => ["ap:enforcement.team"],
  re: () => ["re:enforcement.team"],
  ed: () => ["ed:enforcement.team"],
  sec: () => ["sec:enforcement"],
  edsec: () => ["edsec:enforcement"],
  kind: () => ["kind:镇"],
  year: () => ["year:2025"],
  export: () => ["export:docx", "export:md"],
  inv: () => ["inv:once", "inv:days"],
  as: () => ["as:enforcement"],
  asm: () => [`asm:enforcement:${A2}`, `asm:enforcement:${B1}`, "asm:enforcement:0"],
  rm: () => [`rm:${A2}`, `rm:${A1}`],
  rmok: () => [`rmok:${A2}`, `rmok:${A1}`],
  adm: () => [`adm:${A2}`],
  admok: () => [`admok:${A2}`, `admok:${B1}`],
  up: () => ["up:AAAAAAAAAAAA:last", "up:AAAAAAAAAAAA:material", "up:AAAAAAAAAAAA:check"],
  cand: () => ["cand:AAAAAAAAAAAA:0:adopt", "cand:AAAAAAAAAAAA:0:edit", "cand:AAAAAAAAAAAA:0:skip"],
  reg: () => ["reg:AAAAAAAAAAAA:adopt", "reg:AAAAAAAAAAAA:self"],
};

beforeAll(async () => {
  t = teamBot();
  orgA = (await registerOrg(t, A1, "洪梅镇", "小王")).id;
  codeA = await inviteCode(t, A1, "days");
  await t.h.chat(A2, "老李").send(`/join ${codeA}`);
  await t.h.chat(A1, "小王").press("as:enforcement");
  await t.h.chat(A1, "小王").press(`asm:enforcement:${A2}`);
  await t.h.chat(A2, "老李").send("/next");
  await t.h.chat(A2, "老李").send("综合执法队执法人员18名，持证率100%。");
  await t.h.chat(A1, "小王").send("/draft");
  orgB = (await registerOrg(t, B1, "城关街道", "小赵")).id;
});

describe("a member of org B", () => {
  it("changes nothing of org A and sees nothing of it, through every command", async () => {
    const before = snapshotA();
    // The snapshot really holds org A: its record, answers and draft.
    expect(before).toContain(`fazhi:org:${orgA}`);
    expect(before).toContain(`fazhi:answer:${orgA}:2025:enforcement.team`);
    expect(before).toContain(`fazhi:draft:${orgA}:2025:1`);
    for (const { command } of COMMANDS) {
      for (const arg of COMMAND_ARGS[command] ?? [""]) {
        const text = `/${command}${typeof arg === "function" ? ` ${arg()}` : arg ? ` ${arg}` : ""}`;
        const replies = await t.h.run(() => t.h.chat(B1, "小赵").send(text));
        for (const reply of replies) {
          expect(reply, text).not.toContain("洪梅镇");
          expect(reply, text).not.toContain("执法人员18名");
        }
        expect(snapshotA(), text).toBe(before);
      }
    }
  });

  it("changes nothing of org A through every kind of button", async () => {
    const before = snapshotA();
    for (const prefix of Object.keys(CALLBACKS) as CallbackPrefix[]) {
      const examples = CALLBACK_EXAMPLES[prefix];
      expect(examples, `add an example for the new button prefix "${prefix}"`).toBeDefined();
      for (const data of examples()) {
        const mark = t.h.api.calls.length;
        await t.h.chat(B1, "小赵").press(data);
        const sent = t.h.since(mark);
        for (const call of sent) {
          const { document, ...rest } = call.payload;
          expect(JSON.stringify(rest), data).not.toContain("执法人员18名");
          const name = (document as { filename?: string } | undefined)?.filename ?? "";
          expect(name, data).not.toContain("洪梅镇");
        }
        expect(snapshotA(), data).toBe(before);
      }
    }
  });

  it("covers every button prefix the bot showed in this whole run", () => {
    const shown = new Set<string>();
    for (const call of t.h.api.calls) {
      const markup = call.payload.reply_markup as
        | { inline_keyboard?: { callback_data?: string }[][] }
        | undefined;
      for (const button of markup?.inline_keyboard?.flat() ?? []) {
        if (button.callback_data) shown.add(button.callback_data.split(":")[0] ?? "");
      }
    }
    expect(shown.size).toBeGreaterThan(5);
    for (const prefix of shown) expect(Object.keys(CALLBACKS), prefix).toContain(prefix);
  });

  it("still works normally in org B", async () => {
    const [status] = await t.h.run(() => t.h.chat(B1, "小赵").send("/status"));
    expect(status?.startsWith("城关街道（东莞市）2025年度报告")).toBe(true);
  });
});
