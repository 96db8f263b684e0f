import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCommand } from "../../src/cli/check.js";
import { DEFAULT_TEMPLATE_DIR } from "../../src/template/load.js";

/** A broken checker.yaml is not the user's fault: exit 1, with the file and field named. */

const dir = mkdtempSync(join(tmpdir(), "fazhi-rules-error-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("check with broken rules", () => {
  it("exits 1 and names the file and field of the report type in use", async () => {
    const prompts = join(dir, "prompts");
    cpSync(DEFAULT_TEMPLATE_DIR, prompts, { recursive: true });
    const rulesFile = join(prompts, "checker.yaml");
    const rules = readFileSync(rulesFile, "utf8");
    writeFileSync(rulesFile, rules.replace(/\n {2}figuresPresent: 5\n/, "\n  figuresPresent: x\n"));
    const file = join(dir, "report.txt");
    writeFileSync(file, "红桥镇2024年法治政府建设情况报告\n正文。");
    let stderr = "";
    const code = await checkCommand(
      [file],
      {
        stdout: () => {},
        stderr: (s) => {
          stderr += s;
        },
      },
      prompts,
    );
    expect(code).toBe(1);
    const problem = `${rulesFile}: thresholds.figuresPresent: Invalid input: expected number, received string`;
    expect(stderr).toBe(`检查规则文件有误：${problem}\nChecker rules are invalid: ${problem}\n`);
  });
});
