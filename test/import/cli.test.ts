import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractCommand } from "../../src/cli/extract.js";
import { importCommand } from "../../src/cli/import.js";
import { loadConfig } from "../../src/config.js";
import { requestFromFile } from "../../src/draft/request.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate } from "../../src/template/load.js";
import { docxOf } from "../check/docx.js";
import { seedText } from "../check/seeds.js";
import { capturedIo } from "../helpers/command-io.js";
import { scratchDir } from "../helpers/scratch.js";
import { type OpenAIStub, promptText, startOpenAIStub } from "../stub/openai-stub.js";

/** `fazhi-report import` and `fazhi-report extract`: the contracts of design.md and bad input. */

const { dir, write } = scratchDir("fazhi-import-");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runImport(...args: string[]): Promise<Run> {
  const { io, out } = capturedIo();
  return { code: await importCommand(args, io), ...out };
}

async function runExtract(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const { io, out } = capturedIo();
  return { code: await extractCommand(args, io, loadConfig(env)), ...out };
}

describe("import FILE --json", () => {
  it("prints org, shortcomings and plans in the contract's shape", async () => {
    const run = await runImport(write("panlong-2023.txt", seedText("panlong-2023")), "--json");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual(["org", "shortcomings", "plans"]);
    expect(Object.keys(json.org)).toEqual(["name", "kind", "superior", "year"]);
    expect(json.org.year).toBe(2023);
    expect(json.shortcomings).toHaveLength(3);
    expect(Object.keys(json.shortcomings[0])).toEqual(["text"]);
    expect(json.plans).toHaveLength(3);
    expect(Object.keys(json.plans[0])).toEqual(["text", "section"]);
  });

  it("reads a .docx and prints a Chinese summary without --json", async () => {
    const path = write("去年报告.docx", await docxOf(seedText("yanshan-2020")));
    const run = await runImport(path);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("单位：燕山乡（乡），上级：万州区，年度：2020");
    expect(lines).toContain("存在的不足（3条）：");
    expect(lines).toContain("· 健全依法决策机制（→ 推进行政决策科学化、民主化、法治化）");
  });

  it("refuses bad files exactly as check does, with exit code 2", async () => {
    const cases: [string, RegExp][] = [
      [join(dir, "missing.txt"), /找不到文件“missing.txt”[\s\S]*file not found/u],
      [write("old.doc", "x"), /旧版 Word（\.doc）无法读取/u],
      [write("broken.docx", "PK\u0003\u0004 not really a zip"), /文件可能已损坏/u],
      [write("empty.txt", ""), /是空的/u],
      [write("huge.txt", Buffer.alloc(6 * 1024 * 1024, 0x41)), /文件过大/u],
    ];
    for (const [path, message] of cases) {
      const run = await runImport(path, "--json");
      expect(run.code, path).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    }
  });

  it("exits 2 on bad usage", async () => {
    expect((await runImport()).code).toBe(2);
    expect((await runImport("a.txt", "b.txt")).code).toBe(2);
    const run = await runImport("a.txt", "--jsn");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("未知选项“--jsn”");
  });
});

const MINUTES = `盘石镇党政联席会议纪要
一季度共排查矛盾纠纷36件，调解成功34件，调解成功率94.4%。
会议同意续聘某某律师事务所担任镇政府法律顾问，年度经费3万元。`;

describe("extract FILE… --json (offline)", () => {
  it("prints candidates with questionId, text, quote and source from several files", async () => {
    const minutes = write("会议纪要.docx", await docxOf(MINUTES));
    const report = write("panlong-2023.txt", seedText("panlong-2023"));
    const run = await runExtract([minutes, report, "--json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual(["candidates"]);
    for (const c of json.candidates) {
      expect(Object.keys(c)).toEqual(["questionId", "text", "quote", "source"]);
    }
    const sources = new Set(json.candidates.map((c: { source: string }) => c.source));
    expect(sources).toEqual(new Set(["会议纪要.docx", "panlong-2023.txt"]));
    const panlong = seedText("panlong-2023");
    for (const c of json.candidates.filter(
      (x: { source: string }) => x.source !== "会议纪要.docx",
    )) {
      expect(panlong.includes(c.quote)).toBe(true);
    }
  });

  it("writes an answers file that draft --answers reads", async () => {
    const out = join(dir, "answers.json");
    const report = write("panlong-2023.txt", seedText("panlong-2023"));
    const run = await runExtract([report, "--answers", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`已写入回答文件 ${out}`);
    const file = JSON.parse(readFileSync(out, "utf8"));
    expect(file.org).toEqual({ name: "盘龙彝族乡", kind: "乡", superior: "砚山县", year: 2023 });
    expect(file.answers["enforcement.team"]).toContain("持有执法证53人");
    const request = requestFromFile(loadTemplate(DEFAULT_TEMPLATE_DIR), out);
    expect(request.org.name).toBe("盘龙彝族乡");
    expect(run.stdout).toContain("从《panlong-2023.txt》找到：");
  });

  it("says which org fields to fill in when the materials do not name the office", async () => {
    const out = join(dir, "answers-minutes.json");
    const run = await runExtract([write("纪要.txt", MINUTES), "--answers", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/材料中没有找到上级名称/u);
    expect(() => requestFromFile(loadTemplate(DEFAULT_TEMPLATE_DIR), out)).not.toThrow();
  });

  it("refuses a damaged .xlsx, a wrong type and a missing file with exit code 2, printing nothing", async () => {
    const good = write("ok.txt", MINUTES);
    const cases: [string, RegExp][] = [
      [write("台账.xlsx", "PK\u0003\u0004 broken"), /无法读取 Excel 文件“台账.xlsx”/u],
      [write("plain.xlsx", "not a zip at all"), /无法读取 Excel 文件/u],
      [write("scan.pdf", "%PDF-1.4"), /PDF 无法可靠提取文字/u],
      [write("data.csv", "a,b"), /请发送 \.docx、\.xlsx、\.txt 或 \.md 文件/u],
      [join(dir, "gone.xlsx"), /找不到文件“gone.xlsx”/u],
    ];
    for (const [path, message] of cases) {
      const run = await runExtract([good, path, "--json"]);
      expect(run.code, path).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    }
  });

  it("exits 2 on bad usage", async () => {
    expect((await runExtract([])).code).toBe(2);
    expect((await runExtract(["a.txt", "--answers"])).code).toBe(2);
    expect((await runExtract(["a.txt", "--answers", "out.txt"])).code).toBe(2);
    const run = await runExtract(["a.txt", "--answers", join(dir, "no-such-dir", "a.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("无法写入");
  });
});

describe("extract with an LLM", () => {
  let stub: OpenAIStub;
  const REAL = "一季度共排查矛盾纠纷36件，调解成功34件，调解成功率94.4%。";

  /** Disputes: one true quote and one invented; decisions: not JSON; the rest: nothing found. */
  const reply = (req: Parameters<typeof promptText>[0]): string => {
    const prompt = promptText(req);
    if (prompt.includes("disputes.mediation：")) {
      return JSON.stringify({
        candidates: [
          { questionId: "disputes.mediation", text: "排查36件，调解成功34件", quote: REAL },
          { questionId: "disputes.petitions", text: "信访20件", quote: "全年受理信访20件。" },
        ],
      });
    }
    if (prompt.includes("decisions.advisor：")) return "好的，我来看看这份材料。";
    return '```json\n{"candidates": []}\n```';
  };

  beforeAll(async () => {
    stub = await startOpenAIStub({ reply });
  });
  afterAll(() => stub.close());

  it("makes one call per section, keeps verbatim quotes only and falls back offline on a bad reply", async () => {
    const path = write("纪要-llm.txt", MINUTES);
    const run = await runExtract([path, "--json"], {
      OPENAI_BASE_URL: stub.baseURL,
      OPENAI_API_KEY: "test",
      LLM_MODEL: "stub-model",
    });
    expect(run.code).toBe(0);
    const template = loadTemplate(DEFAULT_TEMPLATE_DIR);
    expect(stub.requests).toHaveLength(template.sections.length);
    const { candidates } = JSON.parse(run.stdout);
    const ids = candidates.map((c: { questionId: string }) => c.questionId);
    expect(ids).toContain("disputes.mediation");
    expect(ids).not.toContain("disputes.petitions");
    // The decisions section was answered offline: the rules find the legal adviser.
    expect(ids).toContain("decisions.advisor");
    expect(run.stderr).toContain("“推进行政决策科学化、民主化、法治化”的大模型回复未采用");
    for (const c of candidates) expect(MINUTES.includes(c.quote)).toBe(true);
  });
});
