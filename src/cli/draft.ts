import { accessSync, constants, writeFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Config, loadConfig } from "../config.js";
import { type DraftResult, draftReport } from "../draft/drafter.js";
import { AnswersFileError, requestFromFile } from "../draft/request.js";
import { parseOutline } from "../export/outline.js";
import { LlmClient, llmSettings } from "../llm/client.js";
import { createLogger } from "../log.js";
import { loadTemplate } from "../template/load.js";

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE =
  "用法 / usage: fazhi-report draft --answers FILE [--out FILE.md|FILE.docx] [--json]\n";

/** `fazhi-report draft`: drafts from an answers file without chat. Returns the exit code. */
export async function draftCommand(
  args: string[],
  io: Io,
  config: Config = loadConfig(),
): Promise<number> {
  let values: { answers?: string; out?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { answers: { type: "string" }, out: { type: "string" }, json: { type: "boolean" } },
    }));
  } catch (error) {
    io.stderr(`参数有误 / invalid arguments: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.answers) {
    io.stderr(`缺少 --answers / --answers is required\n${USAGE}`);
    return 2;
  }
  const out = values.out;
  if (out && ![".md", ".docx"].includes(extname(out).toLowerCase())) {
    io.stderr(`--out 只支持 .md 或 .docx / --out must end in .md or .docx\n`);
    return 2;
  }
  if (out && !writableDir(out)) {
    io.stderr(
      `无法写入 ${out}：目录不存在或没有写权限 / cannot write ${out}: no such directory or not writable\n`,
    );
    return 2;
  }
  const template = loadTemplate(config.PROMPTS_DIR);
  let request: ReturnType<typeof requestFromFile>;
  try {
    request = requestFromFile(template, values.answers);
  } catch (error) {
    if (!(error instanceof AnswersFileError)) throw error;
    io.stderr(`${error.message}\n`);
    return 2;
  }
  const settings = llmSettings(config);
  const logger = createLogger(config.LOG_LEVEL);
  const result = await draftReport(
    {
      template,
      ...(settings ? { llm: new LlmClient(settings, logger) } : {}),
      logger,
      now: () => new Date(),
    },
    request,
  );
  if (out) await writeDraft(out, result);
  io.stdout(values.json ? `${JSON.stringify(toJson(result), null, 2)}\n` : out ? "" : result.text);
  io.stderr(summary(result, out));
  return 0;
}

async function writeDraft(out: string, result: DraftResult): Promise<void> {
  if (extname(out).toLowerCase() !== ".docx") return writeFileSync(out, result.markdown);
  // docx is loaded only for a .docx output: a Markdown draft does not pay for it.
  const { toDocx } = await import("../export/docx.js");
  writeFileSync(out, await toDocx(parseOutline(result.text)));
}

/** Checked before drafting, so no LLM call is spent on a draft that cannot be saved. */
function writableDir(file: string): boolean {
  try {
    accessSync(dirname(resolve(file)), constants.W_OK);
    return true;
  } catch {
    return false;
  }
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

function summary(result: DraftResult, out: string | undefined): string {
  const llm = result.sections.filter((s) => s.source === "llm").length;
  const lines = [
    `${out ? `已写入 ${out}。` : ""}共 ${result.sections.length} 节（LLM ${llm} 节，离线 ${result.sections.length - llm} 节）。`,
    `必备要素缺失：${result.check.missing.join("、") || "无"}；较弱：${result.check.weak.join("、") || "无"}。`,
    `未能在回答中找到出处的数值：${result.ungrounded.length} 个。`,
  ];
  for (const f of result.failures)
    lines.push(`“${f.section}”的 LLM 调用失败，已改用离线生成：${f.error}`);
  return `${lines.join("\n")}\n`;
}
