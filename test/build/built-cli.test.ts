import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE_DIR } from "../../src/template/load.js";
import { docxOf } from "../check/docx.js";
import { tempDir, template } from "../helpers/harness.js";
import { startOpenAIStub } from "../stub/openai-stub.js";

/**
 * The CLI's contract (design.md: `check --json` shape and exit codes, `draft --answers … --json`
 * shape, `chat --script` registration and /missing) held by the compiled build exactly as by the
 * sources; and what each command loads (issue 17: `check` loads neither grammY, the store, openai
 * nor docx; `draft` no grammY). `npm run build` runs first, so dist/ is the current source's.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);
const tmp = tempDir();
const REPORT = "test/fixtures/check/hongqiao-2024.txt";
const ANSWERS = "test/fixtures/answers/panlong-2023.json";

/** Every configuration variable blank (= unset), so no LLM, token or .env value leaks in. */
const BLANK: Record<string, string> = {
  OPENAI_API_KEY: "",
  OPENAI_BASE_URL: "",
  TELEGRAM_BOT_TOKEN: "",
  TELEGRAM_API_ROOT: "",
  WEBHOOK_URL: "",
  PROMPTS_DIR: "",
  STORE_URL: "memory://",
  LOG_LEVEL: "warn",
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node [node args] bin/fazhi-report.js args`, from the sources (tsx) or from dist/. */
async function cli(
  build: "source" | "dist",
  args: string[],
  options: { nodeArgs?: string[]; env?: Record<string, string> } = {},
): Promise<Result> {
  const env = {
    ...process.env,
    ...BLANK,
    FAZHI_RUN_SOURCE: build === "source" ? "1" : "",
    ...options.env,
  };
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [...(options.nodeArgs ?? []), "bin/fazhi-report.js", ...args],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  await run("npm", ["run", "build", "--silent"], { cwd: ROOT });
}, 120_000);

describe.each(["source", "dist"] as const)("the CLI contract, %s", (build) => {
  it("check --json: the design doc's JSON, exit 0; a missing file: exit 2 and a Chinese message", async () => {
    const ok = await cli(build, ["check", REPORT, "--json"]);
    expect(ok.code).toBe(0);
    const json = JSON.parse(ok.stdout);
    expect(Object.keys(json)).toEqual(["items", "missing", "weak", "warnings"]);
    expect(json.items.map((i: { id: string }) => i.id)).toEqual(
      template.checklist.map((i) => i.id),
    );
    for (const item of json.items)
      expect(Object.keys(item)).toEqual(["id", "title", "status", "evidence"]);

    const missing = await cli(build, ["check", join(tmp.dir, "没有这个文件.txt")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/[\u4e00-\u9fff]/u);
    expect((await cli(build, ["check"])).code).toBe(2);
  });

  it("draft --answers FILE --json: sections, check, usage; exit 0", async () => {
    const { code, stdout } = await cli(build, ["draft", "--answers", ANSWERS, "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["markdown", "sections", "check", "ungrounded", "usage", "timingsMs"]),
    );
    for (const s of json.sections)
      expect(Object.keys(s).sort()).toEqual(["id", "source", "text", "title"]);
    expect(Object.keys(json.check)).toEqual(["items", "missing", "weak", "warnings"]);
    expect(json.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it("chat --script: registers the town and /missing names every required section", async () => {
    const script = join(tmp.dir, `chat-${build}.txt`);
    writeFileSync(script, ["/start", "构建镇", "镇", "构建县", "2025", "/missing", ""].join("\n"));
    const { code, stdout } = await cli(build, ["chat", "--script", script]);
    expect(code).toBe(0);
    expect(stdout).toContain("构建镇（镇，上级：构建县）");
    const missing = stdout.slice(stdout.lastIndexOf("> /missing"));
    const required = template.sections.filter((s) => s.required);
    expect(required.length).toBeGreaterThan(0);
    for (const section of required) expect(missing).toContain(section.title);
  });
});

describe("dist/ and the build's cache of prompts/ (dist/yaml-cache.json)", () => {
  /** A copy of the shipped template with one file edited: its text no longer matches the cache. */
  function editedCopy(name: string, file: string, edit: (text: string) => string): string {
    const dir = join(tmp.dir, name);
    cpSync(DEFAULT_TEMPLATE_DIR, dir, { recursive: true });
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), "utf8")));
    return dir;
  }

  it("holds every YAML file of the shipped prompts/, extract.yaml (the bot's import rules) too", () => {
    const cache = JSON.parse(readFileSync(join(ROOT, "dist", "yaml-cache.json"), "utf8"));
    const files = readdirSync(DEFAULT_TEMPLATE_DIR, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".yaml"),
    );
    expect(files).toContain("extract.yaml");
    // The cache's key: the SHA-256 of the file's text (src/yaml/read.ts).
    const uncached = files.filter((f) => {
      const text = readFileSync(join(DEFAULT_TEMPLATE_DIR, f), "utf8");
      return !(createHash("sha256").update(text).digest("base64url") in cache);
    });
    expect(uncached).toEqual([]);
  });

  it("validates an edited file as before: a broken one stops start-up naming file and field", async () => {
    const dir = editedCopy("broken", "sections/disputes.yaml", (t) =>
      t.replace(/^feeds: \[/m, "feeds: [no-such-item, "),
    );
    const { code, stderr } = await cli("dist", ["chat", "--script", "/dev/null"], {
      env: { PROMPTS_DIR: dir },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('disputes.yaml: feeds[0]: unknown checklist id "no-such-item"');
  });

  it("reads an edited, valid file's new text, not the cached one", async () => {
    const question = template.sections[0]?.questions[0];
    if (!question) throw new Error("the template has no question");
    const section = question.sectionId;
    const dir = editedCopy("edited", `sections/${section}.yaml`, (t) =>
      t.replace(question.text, `${question.text}（改）`),
    );
    const script = join(tmp.dir, "edited.txt");
    writeFileSync(script, ["/start", "缓存镇", "镇", "缓存县", "2025", ""].join("\n"));
    const { code, stdout } = await cli("dist", ["chat", "--script", script], {
      env: { PROMPTS_DIR: dir },
    });
    expect(code).toBe(0);
    expect(stdout).toContain(`${question.text}（改）`);
  });
});

/** The packages (node_modules/<name>) and our modules (dist/…) a dist/ run of `args` loaded. */
async function loaded(name: string, args: string[]): Promise<Set<string>> {
  const file = join(tmp.dir, `${name}.loads`);
  const { code } = await cli("dist", args, {
    nodeArgs: ["--import", "./test/build/load-trace.mjs"],
    env: { LOAD_TRACE_FILE: file },
  });
  expect(code).toBe(0);
  const names = new Set<string>();
  for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const path = line.startsWith("file:") ? fileURLToPath(line) : line;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
    if (pkg) names.add(pkg);
    else if (path.startsWith(ROOT)) names.add(path.slice(ROOT.length));
  }
  return names;
}

const NOT_FOR_CHECK = [
  "grammy",
  "@grammyjs/runner",
  "keyv",
  "@keyv/sqlite",
  "@keyv/redis",
  "@keyv/postgres",
  "sqlite3",
  "openai",
  "docx",
];

describe("modules loaded per command (dist/)", () => {
  it("check FILE.txt: the checker, none of grammY, the store, openai, docx, mammoth or yaml", async () => {
    const names = await loaded("check", ["check", REPORT]);
    expect(names).toContain("dist/check/checker.js");
    for (const pkg of [...NOT_FOR_CHECK, "mammoth"]) expect(names).not.toContain(pkg);
    // The YAML of prompts/ comes parsed from the build's cache (dist/yaml-cache.json).
    expect(names).not.toContain("yaml");
    const ours = [...names].filter((n) => n.startsWith("dist/"));
    expect(ours.filter((n) => /^dist\/(bot|store|llm|export|terminal|team|app)\//.test(n))).toEqual(
      [],
    );
  });

  it("check FILE.docx: the bounded parser (mammoth runs in its worker), none of grammY, the store, openai or docx", async () => {
    const file = join(tmp.dir, "report.docx");
    writeFileSync(file, await docxOf(readFileSync(join(ROOT, REPORT), "utf8")));
    const names = await loaded("check-docx", ["check", file]);
    expect(names).toContain("dist/check/docx-sandbox.js");
    // mammoth is loaded by the worker thread (check/docx-worker.mjs), never by the main thread.
    for (const pkg of [...NOT_FOR_CHECK, "mammoth"]) expect(names).not.toContain(pkg);
  });

  it("draft: the drafter and openai, no grammY and no store", async () => {
    const names = await loaded("draft", ["draft", "--answers", ANSWERS, "--json"]);
    expect(names).toContain("dist/draft/drafter.js");
    expect(names).toContain("openai");
    for (const pkg of ["grammy", "@grammyjs/runner", "keyv", "sqlite3", "docx"])
      expect(names).not.toContain(pkg);
  });

  it("draft with an LLM: undici's fetch and Agent, not the whole of undici", async () => {
    const stub = await startOpenAIStub();
    try {
      const file = join(tmp.dir, "draft-llm.loads");
      const { code } = await cli("dist", ["draft", "--answers", ANSWERS, "--json"], {
        nodeArgs: ["--import", "./test/build/load-trace.mjs"],
        env: { LOAD_TRACE_FILE: file, OPENAI_API_KEY: "test", OPENAI_BASE_URL: stub.baseURL },
      });
      expect(code).toBe(0);
      expect(stub.requests.length).toBeGreaterThan(0);
      const undici = readFileSync(file, "utf8")
        .split("\n")
        .map((line) => /node_modules\/undici\/(.*)$/.exec(line)?.[1])
        .filter(Boolean);
      expect(undici).toContain("lib/web/fetch/index.js");
      expect(undici).toContain("lib/dispatcher/agent.js");
      // The index loads mock agents, caches, WebSocket and EventSource too (~110 ms of CPU).
      expect(undici).not.toContain("index.js");
      expect(undici.filter((f) => /^lib\/(mock|cache|web\/websocket)\//.test(f ?? ""))).toEqual([]);
    } finally {
      await stub.close();
    }
  });

  it("chat: grammY and the store; no openai while no LLM is configured", async () => {
    const script = join(tmp.dir, "trace-chat.txt");
    writeFileSync(script, "/start\n");
    const names = await loaded("chat", ["chat", "--script", script]);
    for (const pkg of ["grammy", "keyv", "dist/store/store.js", "dist/bot/bot.js"])
      expect(names).toContain(pkg);
    expect(names).not.toContain("openai");
    expect(names).not.toContain("dist/llm/client.js");
    // docx only on a .docx export.
    expect(names).not.toContain("docx");
  });
});
