import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CheckerRulesError } from "../../src/check/rules.js";
import { checkCommand } from "../../src/cli/check.js";

/** A broken checker.yaml is not the user's fault: exit 1, with the file and field named. */

vi.mock("../../src/check/checker.js", () => ({
  checkReport: () => {
    throw new CheckerRulesError(
      "prompts/township-annual/checker.yaml: thresholds.figuresPresent: Invalid input",
    );
  },
}));

describe("check with broken rules", () => {
  it("exits 1 and names the file and field", async () => {
    const file = join(tmpdir(), "fazhi-rules-error.txt");
    writeFileSync(file, "红桥镇2024年法治政府建设情况报告\n正文。");
    let stderr = "";
    const code = await checkCommand([file], {
      stdout: () => {},
      stderr: (s) => {
        stderr += s;
      },
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      "检查规则文件有误：prompts/township-annual/checker.yaml: thresholds.figuresPresent: Invalid input\n" +
        "Checker rules are invalid: prompts/township-annual/checker.yaml: thresholds.figuresPresent: Invalid input\n",
    );
  });
});
