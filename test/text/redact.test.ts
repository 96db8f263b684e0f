import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { redact } from "../../src/text/redact.js";

/** Every credential form that can reach a log line, and what is left of it. */
describe("redact", () => {
  it.each([
    ["redis://:s3cret@cache:6379/0", "redis://:***@cache:6379/0"],
    ["rediss://default:s3cret@cache:6380", "rediss://default:***@cache:6380"],
    ["postgresql://fazhi:pa:ss@db/fazhi", "postgresql://fazhi:***@db/fazhi"],
    [
      "postgres://u:p%40ss@127.0.0.1:5432/x?sslmode=require",
      "postgres://u:***@127.0.0.1:5432/x?sslmode=require",
    ],
    ["http://user:pw@proxy.example:3128", "http://user:***@proxy.example:3128"],
    ["socks5://u:pw@10.0.0.1:1080", "socks5://u:***@10.0.0.1:1080"],
    ["rediss://AbCdEfGhIjKlMnOpQr@cache:6380", "rediss://***@cache:6380"],
    [
      "postgresql://db/fazhi?user=u&password=pw&sslmode=require",
      "postgresql://db/fazhi?user=u&password=***&sslmode=require",
    ],
    ["https://x.example/v1?api_key=abc123&model=m", "https://x.example/v1?api_key=***&model=m"],
    ["https://x.example/?token=t0k&key=k3y", "https://x.example/?token=***&key=***"],
    [
      "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
      "https://api.telegram.org/bot123456789:***/getMe",
    ],
    [
      "http://127.0.0.1:8081/file/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/documents/a.docx",
      "http://127.0.0.1:8081/file/bot123456:***/documents/a.docx",
    ],
    ["OPENAI_API_KEY=sk-proj-AbCdEf0123456789xyz", "OPENAI_API_KEY=sk-***"],
    ["Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc", "Authorization: Bearer ***"],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("leaves URLs without credentials, ports and times alone", () => {
    for (const clean of [
      "sqlite://./data/fazhi-report.sqlite",
      "redis://127.0.0.1:6379",
      "http://127.0.0.1:8081/bot/getMe",
      "会议于 10:30 召开，2024:12 统计",
    ]) {
      expect(redact(clean)).toBe(clean);
    }
  });

  it("keeps a JSON log line valid and without the password", () => {
    const lines: string[] = [];
    const log = createLogger("info", (l) => lines.push(l));
    log.info("bot started", {
      store: "redis://:hunter2@cache:6379",
      api: "http://127.0.0.1:8081",
      other: "a@b",
    });
    expect(lines[0]).not.toContain("hunter2");
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      store: "redis://:***@cache:6379",
      api: "http://127.0.0.1:8081",
      other: "a@b",
    });
  });
});
