import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { type Config, loadConfig } from "../config.js";
import type { LastYearPlan } from "../domain/types.js";
import { type DraftResult, draftReport } from "../draft/drafter.js";
import { type AnswersFile, AnswersFileError, readAnswersFile } from "../draft/request.js";
import { parseOutline } from "../export/outline.js";
import { plansLines } from "../interview/views.js";
import { LlmClient, llmSettings } from "../llm/client.js";
import { createLogger } from "../log.js";
import { CLI } from "../messages/zh.js";
import type { LastYearItems } from "../template/last-year.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate, type Template } from "../template/load.js";
import { type CommandIo, writableDir } from "./args.js";

const M = CLI.draft;

/** `fazhi-report draft`: drafts from an answers file without chat. Returns the exit code. */
export async function draftCommand(
  args: string[],
  io: CommandIo,
  config: Config = loadConfig(),
): Promise<number> {
  let values: { answers?: string; out?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { answers: { type: "string" }, out: { type: "string" }, json: { type: "boolean" } },
    }));
  } catch (error) {
    io.stderr(`${M.badArgs((error as Error).message)}${M.usage}`);
    return 2;
  }
  if (!values.answers) {
    io.stderr(`${M.needAnswers}${M.usage}`);
    return 2;
  }
  const out = values.out;
  if (out && ![".md", ".docx"].includes(extname(out).toLowerCase())) {
    io.stderr(M.badOut);
    return 2;
  }
  // Checked before drafting, so no LLM call is spent on a draft that cannot be saved.
  if (out && !writableDir(out)) {
    io.stderr(M.notWritable(out));
    return 2;
  }
  const base = loadTemplate(config.PROMPTS_DIR);
  let file: AnswersFile;
  try {
    file = readAnswersFile(base, values.answers);
  } catch (error) {
    if (!(error instanceof AnswersFileError)) throw error;
    io.stderr(`${error.message}\n`);
    return 2;
  }
  // With a lastYear block, the template holds last year's questions (the draft reports on them).
  const { template, request } = file;
  const settings = llmSettings(config);
  const logger = createLogger(config.LOG_LEVEL);
  const llm = settings ? new LlmClient(settings, logger) : undefined;
  let result: DraftResult;
  try {
    result = await draftReport({ template, ...(llm ? { llm } : {}), logger }, request);
  } finally {
    await llm?.close();
  }
  if (out) await writeDraft(out, result);
  const plans = file.lastYear && (await lastYearPlans(config, base, file.lastYear, result));
  const json = { ...toJson(result), ...(plans ? { lastYearPlans: plans } : {}) };
  io.stdout(values.json ? `${JSON.stringify(json, null, 2)}\n` : out ? "" : result.text);
  io.stderr(
    summary(template, result, out) +
      plansLines(plans)
        .map((l) => `${l}\n`)
        .join(""),
  );
  return 0;
}

/** Which of the answers file's last year's plan items the draft mentions (as /check says it). */
async function lastYearPlans(
  config: Config,
  base: Template,
  lastYear: LastYearItems,
  result: DraftResult,
): Promise<LastYearPlan[]> {
  const [{ loadImportContext }, { accountForLastYear }] = await Promise.all([
    import("../import/context.js"),
    import("../app/checking.js"),
  ]);
  const imports = loadImportContext(config.PROMPTS_DIR ?? DEFAULT_TEMPLATE_DIR, base);
  return accountForLastYear(result.text, lastYear, imports);
}

async function writeDraft(out: string, result: DraftResult): Promise<void> {
  // Owner-only, like the store: the draft holds the office's answers.
  if (extname(out).toLowerCase() !== ".docx") {
    return writeFileSync(out, result.markdown, { mode: 0o600 });
  }
  // docx is loaded only for a .docx output: a Markdown draft does not pay for it.
  const { toDocx } = await import("../export/docx.js");
  const flagged = result.ungrounded.map((u) => u.value);
  writeFileSync(out, await toDocx(parseOutline(result.text), { flagged }), { mode: 0o600 });
}

/** The `draft --json` shape of design.md, plus the plain text, title and failures. */
export function toJson(result: DraftResult) {
  return {
    title: result.title,
    markdown: result.markdown,
    text: result.text,
    sections: result.sections,
    check: result.check,
    ungrounded: result.ungrounded,
    usage: result.usage,
    timingsMs: result.timingsMs,
    failures: result.failures,
    calls: result.calls,
  };
}

/** The summary on stderr, in the names users know (checklist titles, section titles). */
function summary(template: Template, result: DraftResult, out: string | undefined): string {
  const items = new Map(template.checklist.map((c) => [c.id, c.title]));
  const names = (ids: string[]) => ids.map((id) => items.get(id) ?? id).join("、");
  const llm = result.sections.filter((s) => s.source === "llm").length;
  const lines = [
    `${out ? M.written(out) : ""}${M.sections(result.sections.length, llm)}`,
    M.items(names(result.check.missing), names(result.check.weak)),
    M.ungrounded(result.ungrounded.length),
  ];
  for (const u of result.ungrounded) {
    lines.push(M.ungroundedItem(u.value, M.ungroundedReason[u.reason], u.context));
  }
  for (const f of result.failures) {
    lines.push(M.failed(template.section(f.section)?.title ?? f.section, f.reason, f.detail));
  }
  return `${lines.join("\n")}\n`;
}
