import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { draft, exportLatest, latest, listDrafts, revise } from "../../src/app/drafting.js";
import { LlmClient } from "../../src/llm/client.js";
import { createLogger } from "../../src/log.js";
import type { Seat } from "../../src/store/store.js";
import { template } from "../helpers/harness.js";
import { type OpenAIStub, startOpenAIStub } from "../stub/openai-stub.js";
import { type AppWorld, appWorld, orgWith } from "./app-helpers.js";

const ADMIN = 11;
let w: AppWorld;
let seat: Seat;

beforeEach(async () => {
  w = appWorld();
  seat = await orgWith(w, "a", ADMIN);
  const team = template.section("enforcement")?.questions[0];
  const at = w.clock.now.toISOString();
  await w.store.saveAnswer(
    seat.org,
    team?.id ?? "",
    { text: "综合执法队执法人员18名，持证率100%。", author: ADMIN, authorName: "小王", at },
    "replace",
  );
});

describe("drafting", () => {
  it("drafts from the org's answers and stamps the version with the injected clock", async () => {
    w.clock.now = new Date("2026-02-02T08:00:00Z");
    const progress: number[] = [];
    const { saved, result } = await draft(w.deps, seat, {
      onProgress: (done) => void progress.push(done),
    });
    expect(saved).toMatchObject({ n: 1, createdAt: "2026-02-02T08:00:00.000Z", author: ADMIN });
    expect(saved.text).toBe(result.text);
    expect(saved.text).toContain("18名");
    expect(progress.at(-1)).toBe(result.sections.length);
    expect(await latest(w.deps, seat.org)).toEqual(saved);
  });

  it("finds the latest draft one way: the highest saved version", async () => {
    expect(await latest(w.deps, seat.org)).toBeUndefined();
    await draft(w.deps, seat);
    const second = await draft(w.deps, seat);
    expect((await latest(w.deps, seat.org))?.n).toBe(2);
    expect((await listDrafts(w.deps, seat.org)).map((d) => d.n)).toEqual([1, 2]);
    expect(await latest(w.deps, seat.org)).toEqual(second.saved);
  });
});

describe("revising one section", () => {
  let stub: OpenAIStub;
  let online: AppDeps;
  beforeAll(async () => {
    stub = await startOpenAIStub({
      reply: () =>
        "我镇严格规范执法，综合执法队执法人员18名，持证率100%，执法全过程记录和重大执法决定法制审核全面落实。",
    });
  });
  afterAll(() => stub.close());
  beforeEach(() => {
    const llm = new LlmClient(
      {
        apiKey: "t",
        baseURL: stub.baseURL,
        model: "m",
        timeoutMs: 5_000,
        concurrency: 4,
        maxRetries: 0,
      },
      createLogger("silent"),
    );
    online = { ...w.deps, drafter: { ...w.deps.drafter, llm } };
  });

  it("needs a section users can name and an instruction", async () => {
    expect(await revise(online, seat, "")).toEqual({ problem: "usage" });
    expect(await revise(online, seat, "执法")).toEqual({ problem: "usage" });
    expect(await revise(online, seat, "没有这一节 更简洁")).toEqual({ problem: "usage" });
  });

  it("needs a draft first", async () => {
    expect(await revise(online, seat, "执法 更简洁")).toEqual({ problem: "noDraft" });
  });

  it("without an LLM names the section and makes no new version", async () => {
    await draft(w.deps, seat);
    const started: string[] = [];
    const done = await revise(w.deps, seat, "执法 更突出数据", async (section) => {
      started.push(section.id);
    });
    expect(done).toMatchObject({ problem: "offline", section: { id: "enforcement" } });
    expect(started).toEqual([]);
    expect((await listDrafts(w.deps, seat.org)).map((d) => d.n)).toEqual([1]);
  });

  it("takes a Chinese section name, keeps the other sections and saves a new version", async () => {
    const first = await draft(w.deps, seat);
    const started: string[] = [];
    const done = await revise(online, seat, "执法 更突出数据", async (section, instruction) => {
      started.push(`${section.id} ${instruction}`);
    });
    if ("problem" in done) throw new Error(done.problem);
    expect(started).toEqual(["enforcement 更突出数据"]);
    expect(done.section.id).toBe("enforcement");
    expect(done.saved.n).toBe(2);
    const others = (sections: { id: string; text: string }[]) =>
      sections.filter((s) => s.id !== "enforcement");
    expect(others(done.saved.sections)).toEqual(others(first.saved.sections));
  });
});

describe("export", () => {
  it("is nothing without a draft, then the latest draft as Word or Markdown", async () => {
    expect(await exportLatest(w.deps, seat.org, "docx")).toBeUndefined();
    await draft(w.deps, seat);
    const second = await draft(w.deps, seat);
    const docx = await exportLatest(w.deps, seat.org, "docx");
    expect(docx?.draft.n).toBe(second.saved.n);
    expect(docx?.fileName).toMatch(/^a镇.*2025.*\.docx$/);
    expect(docx?.bytes.subarray(0, 2).toString()).toBe("PK");
    const md = await exportLatest(w.deps, seat.org, "md");
    expect(md?.fileName.endsWith(".md")).toBe(true);
    expect(md?.bytes.toString("utf8")).toContain("18名");
  });
});
