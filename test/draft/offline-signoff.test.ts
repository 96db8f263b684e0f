import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { beijingDate, isoDateOfDay } from "../../src/domain/beijing-time.js";
import { assemble } from "../../src/draft/assemble.js";
import { AnswersFileError, requestFromFile } from "../../src/draft/request.js";
import { isIsoDate, parseSignoff, signoffDate } from "../../src/draft/signoff.js";
import { loadTemplate } from "../../src/template/load.js";

const date = (org: Parameters<typeof signoffDate>[0]) => beijingDate(signoffDate(org));

describe("the 落款 date", () => {
  it("is the last working day before 15 March of the next year by default", () => {
    // 15 March 2025 is a Saturday, 2026 a Sunday, 2024 a Friday, 2021 a Monday.
    expect(date({ year: 2024 })).toBe("2025年3月14日");
    expect(date({ year: 2025 })).toBe("2026年3月13日");
    expect(date({ year: 2023 })).toBe("2024年3月14日");
    expect(date({ year: 2020 })).toBe("2021年3月12日");
  });

  it("follows the org's own deadline, in Beijing time", () => {
    // End of Monday 2 March 2026 in Beijing is still Monday 15:59 UTC.
    expect(date({ year: 2025, deadline: "2026-03-02T15:59:59.999Z" })).toBe("2026年2月27日");
    expect(date({ year: 2025, deadline: "2026-02-26T15:59:59.999Z" })).toBe("2026年2月25日");
  });

  it("is the date the office set, when it set one", () => {
    expect(date({ year: 2024, signoff: "2025-03-10", deadline: "2025-02-28T15:59:59.999Z" })).toBe(
      "2025年3月10日",
    );
  });

  it("is the date of the report whenever it is drafted, in the assembled text", () => {
    const template = loadTemplate();
    const org = { name: "洪梅镇", kind: "镇" as const, superior: "东莞市", year: 2024 };
    const text = assemble(template, org, [
      { id: "rules", title: "完善依法行政制度体系", text: "清理文件8件。", source: "offline" },
    ]).text;
    expect(text.trimEnd().split("\n").slice(-2)).toEqual(["洪梅镇人民政府", "2025年3月14日"]);
  });
});

describe("a sign-off date as typed", () => {
  it("reads ISO, slashes, dots, 年月日 and full-width digits as the same day", () => {
    for (const typed of [
      "2025-03-10",
      "2025/3/10",
      "2025.3.10",
      "2025年3月10日",
      "２０２５-３-１０",
    ]) {
      expect(isoDateOfDay(parseSignoff(typed) ?? 0), typed).toBe("2025-03-10");
    }
    expect(isIsoDate("2025-03-10")).toBe(true);
    expect(isIsoDate("2025/3/10")).toBe(false);
  });

  it("refuses what is no date", () => {
    for (const typed of ["2025-02-30", "3月10日", "明天", "", "2025-13-01"]) {
      expect(parseSignoff(typed), typed).toBeUndefined();
    }
  });
});

describe("org.signoff in an answers file", () => {
  const template = loadTemplate();
  const org = { name: "洪梅镇", kind: "镇", superior: "东莞市", year: 2024 };

  function fileWith(signoff: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), "fazhi-signoff-"));
    const file = join(dir, "answers.json");
    writeFileSync(
      file,
      JSON.stringify({ org: { ...org, signoff }, answers: { rules: "清理文件8件" } }),
    );
    return file;
  }

  it("is taken as the 落款 date", () => {
    const file = fileWith("2025-03-10");
    try {
      expect(requestFromFile(template, file).org).toEqual({ ...org, signoff: "2025-03-10" });
    } finally {
      rmSync(join(file, ".."), { recursive: true, force: true });
    }
  });

  it("is refused with the field named when it is no ISO date", () => {
    for (const bad of ["2025-02-30", "2025/3/10", 20250310]) {
      const file = fileWith(bad);
      try {
        expect(() => requestFromFile(template, file)).toThrow(AnswersFileError);
        expect(() => requestFromFile(template, file)).toThrow(
          /org\.signoff: 应为落款日期，如 2025-03-10/,
        );
      } finally {
        rmSync(join(file, ".."), { recursive: true, force: true });
      }
    }
  });
});
