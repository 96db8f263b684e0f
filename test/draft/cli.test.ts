import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadTemplate } from "../../src/template/load.js";
import { dataOf, faithful } from "../helpers/section-data.js";
import { docxPart } from "../helpers/zip.js";
import {
  changeUnit,
  englishReply,
  junkReply,
  markdownReply,
  moveFigure,
  type OpenAIStub,
  promptTokens,
  type StubRequest,
  startOpenAIStub,
} from "../stub/openai-stub.js";

/**
 * `fazhi-report draft --answers FILE [--out FILE] [--json]` as a user runs it: the real bin script
 * in a child process, configured only through its environment.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "fazhi-report.js");
const FIXTURE = "test/fixtures/answers/panlong-2023.json";
const TITLE = "盘龙彝族乡关于2023年度法治政府建设情况的报告";
const UNIT = "盘龙彝族乡人民政府";
const DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/u;

const template = loadTemplate();
const panlong = JSON.parse(readFileSync(join(ROOT, FIXTURE), "utf8")) as {
  org: Record<string, unknown>;
  answers: Record<string, string>;
};
const answered = new Set(Object.keys(panlong.answers));

/** Every configuration variable blank (= unset), so no LLM and no .env value leaks in. */
const NO_LLM: Record<string, string> = {
  OPENAI_API_KEY: "",
  OPENAI_BASE_URL: "",
  LLM_MODEL: "",
  LLM_TIMEOUT_MS: "",
  LLM_CONCURRENCY: "",
  STORE_URL: "memory://",
  PROMPTS_DIR: "",
  TELEGRAM_BOT_TOKEN: "",
  TELEGRAM_API_ROOT: "",
  WEBHOOK_URL: "",
  LOG_LEVEL: "warn",
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function draft(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, "draft", ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ...NO_LLM, ...env },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface DraftJson {
  title: string;
  markdown: string;
  text: string;
  sections: { id: string; title: string; text: string; source: string }[];
  check: { items: Record<string, unknown>[]; missing: string[]; weak: string[]; warnings: [] };
  ungrounded: { section: string; value: string; context: string; reason: string }[];
  usage: { promptTokens: number; completionTokens: number };
  timingsMs: { total: number; sections: Record<string, number> };
  failures: { section: string; reason: string; detail: string }[];
}

/** Every maximal run of digits (with its decimal part) and every percentage, normalised. */
function figures(text: string): Set<string> {
  const found = new Set(text.match(/\d+(?:\.\d+)?/gu) ?? []);
  for (const p of text.match(/\d+(?:\.\d+)?\s*[%％]/gu) ?? [])
    found.add(p.replace(/\s+/gu, "").replace("％", "%"));
  return found;
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** The 落款 date is the day of the run. */
const withoutDate = (text: string) => text.replace(/\d{4}年\d{1,2}月\d{1,2}日\s*$/u, "<date>");

const dir = mkdtempSync(join(tmpdir(), "fazhi-draft-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function answersFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("draft --answers panlong-2023.json --json, no LLM configured", () => {
  let run: Run;
  let json: DraftJson;
  beforeAll(async () => {
    run = await draft(["--answers", FIXTURE, "--json"]);
    json = JSON.parse(run.stdout);
  });

  it("exits 0 with the JSON of the design doc", () => {
    expect(run.code).toBe(0);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["markdown", "sections", "check", "ungrounded", "usage", "timingsMs"]),
    );
    for (const s of json.sections)
      expect(Object.keys(s).sort()).toEqual(["id", "source", "text", "title"]);
    expect(Object.keys(json.check)).toEqual(["items", "missing", "weak", "warnings"]);
    expect(json.check.items.length).toBeGreaterThan(0);
    for (const item of json.check.items)
      expect(Object.keys(item)).toEqual(["id", "title", "status", "evidence"]);
    for (const id of [...json.check.missing, ...json.check.weak])
      expect(json.check.items.map((i) => i.id)).toContain(id);
    expect(Object.keys(json.usage).sort()).toEqual(["completionTokens", "promptTokens"]);
    expect(json.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
    expect(typeof json.timingsMs.total).toBe("number");
    expect(Object.keys(json.timingsMs.sections)).toEqual(json.sections.map((s) => s.id));
  });

  it("composes every section offline, with no ungrounded value, and says so on stderr", () => {
    expect(json.sections.map((s) => s.source)).toEqual(json.sections.map(() => "offline"));
    expect(json.ungrounded).toEqual([]);
    expect(json.failures).toEqual([]);
    const n = json.sections.length;
    expect(run.stderr).toContain(`共 ${n} 节（LLM 0 节，离线 ${n} 节）。`);
    expect(run.stderr).toContain("未能在回答中找到出处的数值：0 个。");
  });

  it("has every required section, with content where answered and 【待补充】 where not", () => {
    const expected = template.sections.filter((s) => s.required || answered.has(s.id));
    expect(json.sections.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    expect(json.sections.map((s) => s.title)).toEqual(expected.map((s) => s.title));
    for (const section of template.sections.filter((s) => s.required)) {
      const drafted = json.sections.find((s) => s.id === section.id);
      expect(drafted?.text.trim(), section.id).not.toBe("");
    }
    // The fixture answers 13 of the 15 sections: 普法 (required) and part 五 (optional) are left.
    const unanswered = template.sections.filter((s) => !answered.has(s.id));
    expect(unanswered.map((s) => s.id)).toEqual(["publicity", "other"]);
    for (const section of unanswered) {
      const drafted = json.sections.find((s) => s.id === section.id);
      if (section.required) expect(drafted?.text, section.id).toContain("【待补充");
      else expect(drafted, section.id).toBeUndefined();
    }
    for (const id of answered) {
      const text = json.sections.find((s) => s.id === id)?.text ?? "";
      expect(text, id).not.toContain("【待补充：本部分内容】");
      // Real content: some line of the answer (past a "信访：" label) reaches the section.
      const heads = lines(panlong.answers[id] ?? "").map((l) =>
        Array.from(l.replace(/^[^：]{2,8}：/u, ""))
          .slice(0, 6)
          .join(""),
      );
      expect(
        heads.some((h) => text.includes(h)),
        `${id}: none of ${heads.join(" | ")}`,
      ).toBe(true);
      const inSection = figures(text);
      const lost = [...figures(panlong.answers[id] ?? "")].filter((f) => !inSection.has(f));
      expect(lost, id).toEqual([]);
    }
  });

  it("contains every figure of the answers file", () => {
    const all = Object.values(panlong.answers).join("\n");
    const inDraft = figures(json.markdown);
    const wanted = [...figures(all)];
    expect(wanted.length).toBeGreaterThan(40);
    expect(wanted.filter((f) => !inDraft.has(f))).toEqual([]);
    expect(wanted).toEqual(expect.arrayContaining(["2875", "100%", "86%", "4974", "13587"]));
  });

  it("has the report's title and ends with the 落款", () => {
    expect(json.title).toBe(TITLE);
    expect(lines(json.text)[0]).toBe(TITLE);
    expect(lines(json.markdown)[0]).toBe(`# ${TITLE}`);
    for (const body of [json.text, json.markdown]) {
      const [unit, date] = lines(body).slice(-2);
      expect(unit).toBe(UNIT);
      expect(date).toMatch(DATE);
    }
    expect(json.markdown).toContain("## 一、主要举措和成效");
    expect(json.markdown).toContain("### （一）加强党的领导，统筹推进法治政府建设");
  });

  it("writes the same Markdown to --out FILE.md and prints a Chinese summary", async () => {
    const out = join(dir, "draft.md");
    const written = await draft(["--answers", FIXTURE, "--out", out]);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe("");
    expect(withoutDate(readFileSync(out, "utf8"))).toBe(withoutDate(json.markdown));
    expect(written.stderr).toContain(`已写入 ${out}。共 ${json.sections.length} 节（LLM 0 节`);
    // The summary names checklist items by title, never by id.
    const title = (id: string) => template.checklist.find((c) => c.id === id)?.title ?? id;
    expect(written.stderr).toContain(
      `必备要素缺失：${json.check.missing.map(title).join("、") || "无"}；`,
    );
    expect(written.stderr).toContain("未能在回答中找到出处的数值：0 个。");
  });

  it("prints the plain text without --out or --json", async () => {
    const plain = await draft(["--answers", FIXTURE]);
    expect(plain.code).toBe(0);
    expect(withoutDate(plain.stdout)).toBe(withoutDate(json.text));
    expect(plain.stdout).not.toContain("#");
  });
});

describe("draft: usage errors exit 2 with a message naming the problem", () => {
  it("--out FILE.docx writes the Word file", async () => {
    const out = join(dir, "report.docx");
    const run = await draft(["--answers", FIXTURE, "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`已写入 ${out}。`);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const xml = docxPart(out, "word/document.xml");
    // The long title is broken into two lines, as GB/T 9704 lays out titles.
    expect(xml).toContain("盘龙彝族乡关于2023年度");
    expect(xml).toContain("法治政府建设情况的报告");
    expect(xml).toContain("盘龙彝族乡人民政府");
  });

  it("--out with another extension", async () => {
    const run = await draft(["--answers", FIXTURE, "--out", join(dir, "x.txt")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("--out 只支持 .md 或 .docx / --out must end in .md or .docx\n");
  });

  it("no --answers", async () => {
    const run = await draft(["--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("缺少 --answers / --answers is required");
    expect(run.stderr).toContain("用法 / usage: fazhi-report draft --answers FILE");
  });

  it("an unknown option", async () => {
    const run = await draft(["--answers", FIXTURE, "--bogus"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'--bogus'");
    expect(run.stderr).toContain("用法 / usage:");
  });

  it("a file that does not exist", async () => {
    const file = join(dir, "none.json");
    const run = await draft(["--answers", file, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`无法读取回答文件 / cannot read answers file ${file}: ENOENT`);
  });

  it("a file that is not JSON", async () => {
    const file = answersFile("broken.json", '{"org": {"name": "盘龙彝族乡",');
    const run = await draft(["--answers", file, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `回答文件不是有效的 JSON / answers file ${file} is not valid JSON: `,
    );
  });

  it("an unknown section id", async () => {
    const file = answersFile("nonsense.json", {
      ...panlong,
      answers: { ...panlong.answers, nonsense: "全年开展普法活动12场。" },
    });
    const run = await draft(["--answers", file, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `回答文件中的“nonsense”不是章节或问题编号 / invalid answers file ${file}: answers.nonsense: unknown section or question id\n`,
    );
  });

  it("an org kind that is not 乡, 镇 or 街道", async () => {
    const file = answersFile("county.json", { ...panlong, org: { ...panlong.org, kind: "县" } });
    const run = await draft(["--answers", file, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `回答文件格式有误 / invalid answers file ${file}: org.kind: 应为“乡”“镇”或“街道”\n`,
    );
  });

  it("an --out file that cannot be written, refused before any drafting", async () => {
    const run = await draft(["--answers", FIXTURE, "--out", "/nonexistent-dir/draft.md"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "无法写入 /nonexistent-dir/draft.md：目录不存在或没有写权限 / cannot write /nonexistent-dir/draft.md: no such directory or not writable\n",
    );
  });
});

describe("draft with an OpenAI-compatible endpoint (the local stub)", () => {
  let stub: OpenAIStub;
  const byTitle = new Map(template.sections.map((s) => [s.title, s.id]));

  const llmEnv = () => ({
    OPENAI_BASE_URL: stub.baseURL,
    OPENAI_API_KEY: "test",
    LLM_MODEL: "stub-model",
  });

  beforeAll(async () => {
    stub = await startOpenAIStub({ reply: faithful });
  });
  afterAll(() => stub.close());
  beforeEach(() => {
    stub.set({ reply: faithful, latencyMs: 0, failures: undefined });
    stub.clear();
  });

  it("drafts the answered sections through the LLM and reports its usage", async () => {
    const run = await draft(["--answers", FIXTURE, "--json"], llmEnv());
    expect(run.code).toBe(0);
    const json: DraftJson = JSON.parse(run.stdout);
    for (const s of json.sections)
      expect(s.source, s.id).toBe(answered.has(s.id) ? "llm" : "offline");
    expect(stub.requests).toHaveLength(answered.size);
    expect(stub.requests.map((r) => byTitle.get(dataOf(r).本节)).sort()).toEqual(
      [...answered].sort(),
    );
    for (const req of stub.requests) {
      expect(req.body.model).toBe("stub-model");
      expect(req.body.stream).toBe(true);
      expect(req.headers.authorization).toBe("Bearer test");
    }
    expect(json.usage.promptTokens).toBeGreaterThan(0);
    expect(json.usage.promptTokens).toBe(
      stub.requests.reduce((n, r) => n + promptTokens(r.body), 0),
    );
    expect(json.usage.completionTokens).toBeGreaterThan(0);
    expect(json.ungrounded).toEqual([]);
    expect(json.failures).toEqual([]);
    expect(lines(json.text)[0]).toBe(TITLE);
    expect(run.stderr).toContain(
      `共 ${json.sections.length} 节（LLM ${answered.size} 节，离线 ${json.sections.length - answered.size} 节）。`,
    );
  });

  it("lists a figure the model invents as ungrounded, on stdout and stderr", async () => {
    const leadership = template.section("leadership")?.title;
    stub.set({
      reply: (req) =>
        dataOf(req).本节 === leadership
          ? `${faithful(req)}\n全年共组织法治培训9999人次。`
          : faithful(req),
    });
    const run = await draft(["--answers", FIXTURE, "--json"], llmEnv());
    expect(run.code).toBe(0);
    const json: DraftJson = JSON.parse(run.stdout);
    expect(json.ungrounded).toHaveLength(1);
    expect(json.ungrounded[0]?.section).toBe("leadership");
    expect(json.ungrounded[0]?.value).toContain("9999");
    expect(json.ungrounded[0]?.context).toContain("全年共组织法治培训9999人次");
    expect(run.stderr).toContain("未能在回答中找到出处的数值：1 个。");
  });

  it("falls back to the offline composer, with a message, when every call fails", async () => {
    stub.set({ failures: { kind: "always", status: 500, retryAfterMs: 0 } });
    const run = await draft(["--answers", FIXTURE, "--json"], llmEnv());
    expect(run.code).toBe(0);
    const json: DraftJson = JSON.parse(run.stdout);
    expect(json.sections.every((s) => s.source === "offline")).toBe(true);
    expect(json.failures.map((f) => f.section).sort()).toEqual([...answered].sort());
    expect(json.ungrounded).toEqual([]);
    // Two attempts per section, each with the SDK's own retries (3).
    expect(stub.requests).toHaveLength(answered.size * 2 * 4);
    expect(json.failures.every((f) => f.reason === "调用失败")).toBe(true);
    expect(run.stderr).toContain("“导语”的大模型回复未采用（调用失败），已改用离线生成：500");
  });
});

describe("draft --json against a misbehaving endpoint", () => {
  let stub: OpenAIStub;
  const titleOf = (id: string) => template.section(id)?.title ?? id;

  const is = (req: StubRequest, id: string) => dataOf(req).本节 === titleOf(id);

  /** One misbehaviour per section, so that one run shows every outcome. */
  function reply(req: StubRequest): string {
    const text = faithful(req);
    if (is(req, "intro")) return junkReply(600);
    if (is(req, "leadership")) return markdownReply(titleOf("leadership"), text);
    if (is(req, "functions")) return englishReply(text);
    if (is(req, "first-responsible")) return "我乡落实述法。";
    if (is(req, "rules")) return `**${text.split("\n")[0]}**\n${text}`;
    if (is(req, "disputes")) return moveFigure(text, "86%", "调解成功率", "群众满意度");
    if (is(req, "emergency")) return changeUnit(text, "95", "家次", "人次");
    return text;
  }

  const env = () => ({
    OPENAI_BASE_URL: stub.baseURL,
    OPENAI_API_KEY: "test",
    LLM_MODEL: "stub-model",
    // Generous for the calls that answer (the machine may be busy), short for the silent ones.
    LLM_TIMEOUT_MS: "8000",
    LLM_IDLE_MS: "1500",
  });

  beforeAll(async () => {
    stub = await startOpenAIStub({
      reply,
      stream: (req) => {
        if (is(req, "decisions")) return { finishReason: "length" };
        if (is(req, "digital")) return { finishReason: null };
        if (is(req, "enforcement")) return { stallAfter: "持执法证" };
        // Never silent for LLM_IDLE_MS, never done within LLM_TIMEOUT_MS.
        if (is(req, "supervision")) return { chunkChars: 1, chunkDelayMs: 400 };
        return undefined;
      },
    });
  });
  afterAll(() => stub.close());

  it("keeps no bad reply, names each fallback with its reason, and lists moved figures", async () => {
    const run = await draft(["--answers", FIXTURE, "--json"], env());
    expect(run.code).toBe(0);
    const json: DraftJson = JSON.parse(run.stdout);
    const reasons = Object.fromEntries(json.failures.map((f) => [f.section, f.reason]));
    expect(reasons).toEqual({
      intro: "非中文",
      leadership: "格式",
      functions: "非中文",
      decisions: "截断",
      enforcement: "超时",
      supervision: "超时",
      digital: "截断",
      "first-responsible": "过短",
    });
    for (const f of json.failures) {
      expect(f.detail, f.section).not.toBe("");
      expect(json.sections.find((s) => s.id === f.section)?.source, f.section).toBe("offline");
      // Asked twice (once more after the first bad reply), then composed offline.
      expect(
        stub.requests.filter((r) => is(r, f.section)),
        f.section,
      ).toHaveLength(2);
    }
    // Stalled and trickling calls were cut on the wire, not left running on the server.
    await stub.idle();
    for (const id of ["enforcement", "supervision"]) {
      const calls = stub.requests.filter((r) => is(r, id));
      expect(
        calls.every((r) => r.aborted),
        id,
      ).toBe(true);
    }
    // A bold phrase is stripped and the section kept; nothing of the junk reaches the report.
    const rules = json.sections.find((s) => s.id === "rules");
    expect(rules?.source).toBe("llm");
    expect(rules?.text).not.toContain("*");
    expect(json.text).not.toMatch(/[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}/);
    expect(json.text).not.toContain("#");
    expect(json.ungrounded).toEqual([
      expect.objectContaining({ section: "emergency", value: "95人次", reason: "unit" }),
      expect.objectContaining({ section: "disputes", value: "86%", reason: "elsewhere" }),
    ]);
    expect(run.stderr).toContain(`“${titleOf("decisions")}”的大模型回复未采用（截断）`);
    expect(run.stderr).toContain("95人次（回答中这个数值的单位不同）");
  }, 90_000);

  it("ends by LLM_DRAFT_DEADLINE_MS when the endpoint never answers", async () => {
    stub.clear();
    stub.set({ failures: { kind: "hang", times: 1000 } });
    const run = await draft(["--answers", FIXTURE, "--json"], {
      ...env(),
      LLM_TIMEOUT_MS: "600000",
      LLM_DRAFT_DEADLINE_MS: "1000",
    });
    expect(run.code).toBe(0);
    const json: DraftJson = JSON.parse(run.stdout);
    expect(json.sections.every((s) => s.source === "offline")).toBe(true);
    expect(json.failures.map((f) => f.section).sort()).toEqual([...answered].sort());
    expect(json.failures.every((f) => f.reason === "超时")).toBe(true);
    await stub.idle();
    expect(stub.requests.every((r) => r.aborted)).toBe(true);
  }, 60_000);
});
