import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkCommand } from "../src/cli/check.js";
import { Store } from "../src/store/store.js";
import { loadTemplate, TemplateError } from "../src/template/load.js";
import { Harness, register, tempDir, template as township } from "./helpers/harness.js";

/**
 * A second report type is a folder under prompts/ and no code: a minimal law-popularisation report
 * (three sections, its own checklist and checker rules) runs through the real bot — interview,
 * /missing, /check, an offline draft and its export — and through the check CLI.
 */

const PUFA_DIR = fileURLToPath(new URL("./fixtures/templates/pufa-annual", import.meta.url));
const pufa = loadTemplate(PUFA_DIR);
const ME = 801;

const REPORT = [
  "洪梅镇关于2025年度普法依法治理工作情况的报告",
  "",
  "一、普法工作开展情况",
  "开展宪法宣传周活动3场，覆盖1200人次。发放民法典宣传册2000份，组织普法志愿者15名进村入户宣传。",
  "",
  "洪梅镇人民政府",
  "2026年1月10日",
].join("\n");

/** Answers for the questions in interview order: every question, one text each. */
const ANSWERS: Record<string, string> = {
  "intro.plan": "《东莞市2025年普法依法治理工作要点》",
  "intro.summary": "全镇群众法治意识明显提升，获评市级法治宣传教育示范镇。",
  "intro.honours": "没有",
  "campaigns.events": "开展宪法宣传周活动3场、覆盖1200人次，民法典进村居宣讲12场。",
  "campaigns.materials": "发放民法典宣传册2000份。",
  "campaigns.volunteers": "组织普法志愿者15名参与宣传。",
  "next-year.focus": "开展民法典专题宣传。",
  "next-year.groups": "青少年和外来务工人员。",
  "next-year.culture": "没有",
};

let store: Store;
beforeEach(() => {
  store = Store.open("memory://");
});
afterEach(() => store.close());

describe("the second report type, loaded from its folder", () => {
  it("has its own sections, genre names, checklist and checker", () => {
    expect(pufa.id).toBe("pufa-annual");
    expect(pufa.sections.map((s) => s.id)).toEqual(["intro", "campaigns", "next-year"]);
    expect(pufa.checklist.map((c) => c.id)).toEqual([
      "measures",
      "campaigns",
      "figures",
      "next-year",
      "title",
      "signoff",
    ]);
    expect(pufa.checker).not.toBe(township.checker);
    const result = pufa.checker.check(REPORT);
    expect(result.items.map((i) => i.id)).toEqual(pufa.checklist.map((c) => c.id));
    expect(result.items.find((i) => i.id === "campaigns")?.status).toBe("present");
    // The township checker does not know this genre's title or topics.
    const township_ = township.checker.check(REPORT);
    expect(township_.items.find((i) => i.id === "title")?.status).toBe("weak");
    expect(township_.items.some((i) => i.id === "campaigns")).toBe(false);
  });

  it("runs the interview, /missing, /check, an offline draft and its export in the real bot", async () => {
    const h = new Harness(store, { template: pufa });
    const chat = h.chat(ME, "小李");
    const registered = await h.run(() => register(chat), ME);
    expect(registered.join("\n")).toContain(pufa.sections[0]?.questions[0]?.text);

    // The interview walks this template's questions in order.
    const ids = Object.keys(ANSWERS);
    expect(ids).toEqual(pufa.sections.flatMap((s) => s.questions.map((q) => q.id)));
    for (const id of ids.slice(0, 3)) await chat.send(ANSWERS[id] ?? "");
    const org = await store.getOrg((await store.getMember(ME))?.orgId ?? "");
    if (!org) throw new Error("not registered");
    expect([...(await store.answersOf(org, pufa)).keys()]).toEqual(ids.slice(0, 3));

    // /missing names this template's required questions still open, and nothing of the other.
    const missing = (await h.run(() => chat.send("/missing"), ME)).join("\n");
    // Required questions first; the optional ones left open come in a second group.
    const [required = "", optional = ""] = missing.split("\n\n另有");
    for (const q of pufa.sections.slice(1).flatMap((s) => s.questions)) {
      if (q.required) expect(required).toContain(q.text);
      else expect(required).not.toContain(q.text);
      if (!q.required) expect(optional).toContain(q.text.slice(0, 12));
    }
    expect(missing).not.toContain(township.sections[1]?.questions[0]?.text);

    for (const id of ids.slice(3)) await chat.send(ANSWERS[id] ?? "");
    expect((await store.answersOf(org, pufa)).size).toBe(ids.length);

    // /check judges against this template's checklist.
    const checked = (await h.run(() => chat.send(`/check ${REPORT}`), ME)).join("\n");
    for (const item of pufa.checklist) expect(checked).toContain(item.title);
    expect(checked).not.toContain("学习习近平法治思想");

    // An offline draft in this genre's outline, title and 落款, checked by its checker.
    await chat.send("/draft");
    const draft = await store.latestDraft(org);
    expect(draft?.title).toBe("洪梅镇关于2025年度普法依法治理工作情况的报告");
    const text = draft?.text ?? "";
    expect(text.split("\n").filter((l) => /^[一二三四五]、/.test(l))).toEqual([
      "一、普法工作开展情况",
      "二、下一年度普法工作安排",
    ]);
    expect(text).toContain("\n（一）普法宣传活动\n");
    expect(text).toContain("开展宪法宣传周活动3场、覆盖1200人次");
    // The 落款 is the report's own date, not the drafting day: the last working day before the
    // default deadline, 15 March 2026 (a Sunday).
    expect(text.trimEnd().endsWith("洪梅镇人民政府\n2026年3月13日")).toBe(true);
    expect(draft?.sections.map((s) => [s.id, s.source])).toEqual([
      ["intro", "offline"],
      ["campaigns", "offline"],
      ["next-year", "offline"],
    ]);
    expect(draft?.check.items.map((i) => i.id)).toEqual(pufa.checklist.map((c) => c.id));
    expect(draft?.check.items.find((i) => i.id === "title")?.status).toBe("present");

    // The export is named by the genre's file name.
    const mark = h.api.calls.length;
    await chat.send("/export");
    const sent = h.since(mark).filter((c) => c.method === "sendDocument");
    expect(sent.map((c) => (c.payload.document as InputFile).filename)).toEqual([
      "洪梅镇2025年度普法工作报告.docx",
    ]);
    expect(h.errors).toEqual([]);
  });

  it("the check CLI uses the checklist and rules of the folder it is given", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, "report.txt");
      writeFileSync(file, REPORT);
      let out = "";
      const io = {
        stdout: (s: string) => {
          out += s;
        },
        stderr: () => {},
      };
      expect(await checkCommand([file, "--json"], io, PUFA_DIR)).toBe(0);
      const json = JSON.parse(out) as { items: { id: string }[] };
      expect(json.items.map((i) => i.id)).toEqual(pufa.checklist.map((c) => c.id));
    } finally {
      cleanup();
    }
  });
});

describe("a report type folder is validated as a whole", () => {
  /** A copy of the fixture folder with one file edited; returns its directory. */
  function brokenCopy(dir: string, file: string, edit: (text: string) => string): string {
    const copy = join(dir, "pufa-annual");
    cpSync(PUFA_DIR, copy, { recursive: true });
    const path = join(copy, file);
    const text = readFileSync(path, "utf8");
    const edited = edit(text);
    expect(edited).not.toBe(text);
    writeFileSync(path, edited);
    return copy;
  }

  it.each([
    [
      "report.yaml",
      (y: string) => y.replace("{name}关于{year}", "{name}关于{years}"),
      /report\.yaml: title: unknown placeholder \{years\}/,
    ],
    [
      "report.yaml",
      (y: string) => y.replace('fileName: "{name}', 'fileName: "报告/{name}'),
      /report\.yaml: fileName: must not contain/,
    ],
    [
      "report.yaml",
      (y: string) => y.replace(/\n {2}街道: .*\n/, "\n"),
      /report\.yaml: issuer\.街道: /,
    ],
    [
      "checker.yaml",
      (y: string) => y.replace("  topicName: 普法\n", ""),
      /checker\.yaml: title\.topicName: /,
    ],
    [
      "checklist.yaml",
      (y: string) => y.replace("  - id: campaigns", "  - id: Campaigns"),
      /checklist\.yaml: items\[1\]\.id: must be lowercase/,
    ],
  ])("refuses a broken %s, naming file and field", (file, edit, message) => {
    const { dir, cleanup } = tempDir();
    try {
      const copy = brokenCopy(dir, file, edit);
      expect(() => loadTemplate(copy)).toThrow(TemplateError);
      expect(() => loadTemplate(copy)).toThrow(message);
    } finally {
      cleanup();
    }
  });
});
