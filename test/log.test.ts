import { describe, expect, it } from "vitest";
import { createLogger, errorData, LOG_LEVELS, type LogLevel } from "../src/log.js";

/** The logger: JSON lines, LOG_LEVEL thresholds (silent included), child loggers per update. */

function capture(level: LogLevel): {
  lines: () => Record<string, unknown>[];
  logger: ReturnType<typeof createLogger>;
} {
  const raw: string[] = [];
  const logger = createLogger(level, (line) => raw.push(line));
  return { logger, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("createLogger", () => {
  it("writes one JSON object per line with level, ISO time, message and fields", () => {
    const raw: string[] = [];
    createLogger("info", (line) => raw.push(line)).info("llm call", { section: "rules", ms: 12 });
    expect(raw).toHaveLength(1);
    expect(raw[0]?.endsWith("}\n")).toBe(true);
    const line = JSON.parse(raw[0] ?? "") as Record<string, unknown>;
    expect(line).toEqual({
      level: "info",
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      msg: "llm call",
      section: "rules",
      ms: 12,
    });
  });

  it.each([
    ["debug", ["debug", "info", "warn", "error"]],
    ["info", ["info", "warn", "error"]],
    ["warn", ["warn", "error"]],
    ["error", ["error"]],
    ["silent", []],
  ] as const)("at %s writes %j", (level, expected) => {
    const { logger, lines } = capture(level);
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines().map((l) => l.level)).toEqual(expected);
  });

  it("knows every LOG_LEVEL value", () => {
    for (const level of LOG_LEVELS) expect(() => createLogger(level, () => {})).not.toThrow();
  });

  it("a child adds its bindings to every line and keeps the level", () => {
    const { logger, lines } = capture("warn");
    const child = logger.child({ update: 42 });
    child.info("hidden");
    child.warn("slow", { ms: 900 });
    logger.warn("plain");
    expect(lines()).toEqual([
      expect.objectContaining({ level: "warn", msg: "slow", update: 42, ms: 900 }),
      expect.not.objectContaining({ update: 42 }),
    ]);
  });
});

describe("errorData", () => {
  it("keeps message, name and the cause's message", () => {
    const error = new TypeError("store down", { cause: new Error("ECONNREFUSED") });
    expect(errorData(error)).toEqual({
      error: "store down",
      name: "TypeError",
      cause: "ECONNREFUSED",
    });
    expect(errorData("text")).toEqual({ error: "text" });
  });
});
