import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCommand } from "../../src/cli/check.js";
import { PANLONG_2024_EXCERPT } from "../import/this-year.js";
import { seedText } from "./seeds.js";

/** `check FILE --last-year FILE`: last year's plans accounted for, beside the verdict. */

const dir = mkdtempSync(join(tmpdir(), "fazhi-cli-ly-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, data: string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await checkCommand(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

const report = write("2024.txt", readFileSync(PANLONG_2024_EXCERPT, "utf8"));
const lastYear = write("2023.txt", seedText("panlong-2023"));

describe("check --last-year", () => {
  it("adds lastYearPlans to the JSON, one entry per plan item with its section", async () => {
    const { code, stdout } = await run(report, "--json", "--last-year", lastYear);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(["items", "missing", "weak", "warnings", "lastYearPlans"]);
    expect(json.lastYearPlans).toEqual([
      { text: "进一步加强党对法治政府建设工作的领导", section: "leadership", mentioned: false },
      { text: "进一步推进行政执法“三项制度”全面落实", section: "enforcement", mentioned: true },
      { text: "进一步加强社会面法制教育宣传", section: "publicity", mentioned: false },
    ]);
  });

  it("names each plan item never mentioned after the verdict", async () => {
    const { code, stdout } = await run(report, `--last-year=${lastYear}`);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.slice(-3)).toEqual([
      "去年报告提出的下一年度安排共 3 项，其中 2 项在今年的报告中没有提到：",
      "· 去年报告提出的‘进一步加强党对法治政府建设工作的领导’在今年的报告中没有提到",
      "· 去年报告提出的‘进一步加强社会面法制教育宣传’在今年的报告中没有提到",
    ]);
    expect(lines[0]).toMatch(/^检查结果（2024\.txt）/u);
  });

  it("leaves the JSON as it was without the flag", async () => {
    const { stdout } = await run(report, "--json");
    expect(Object.keys(JSON.parse(stdout))).toEqual(["items", "missing", "weak", "warnings"]);
  });

  it("refuses an unreadable last year's report or a missing path with exit 2", async () => {
    const gone = await run(report, "--last-year", join(dir, "nope.txt"));
    expect(gone.code).toBe(2);
    expect(gone.stdout).toBe("");
    expect(gone.stderr).toMatch(/^错误：/u);
    const bare = await run(report, "--last-year");
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("--last-year 需要去年报告的文件路径");
  });
});
