import { accessSync, constants, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../check/read-input.js";
import { segment } from "../check/segment.js";
import type { Config } from "../config.js";
import { answersFileOf } from "../import/answers-file.js";
import { type Candidate, findCandidates, type Material } from "../import/candidates.js";
import { type ImportContext, loadImportContext } from "../import/context.js";
import { type Completer, extractWithLlm } from "../import/llm-extract.js";
import { type FoundOrg, findOrg } from "../import/org.js";
import { readMaterialFile } from "../import/read-material.js";
import { LlmClient, llmSettings } from "../llm/client.js";
import { createLogger } from "../log.js";
import { CLI } from "../messages/zh.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate } from "../template/load.js";
import type { CommandIo } from "./check.js";

/**
 * `fazhi-report extract FILE [FILE…] [--json] [--answers OUT.json]`: candidate answers from an
 * office's materials. Exit codes as for `check`: 0 ran, 2 bad usage or input, 1 otherwise.
 */

const M = CLI.extract;
const E = CLI.check;

interface Parsed {
  files: string[];
  json: boolean;
  answers?: string;
}

type Message = { zh: string; en: string };

function parseArgs(args: string[]): Parsed | "help" | Message {
  const files: string[] = [];
  let json = false;
  let answers: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--json") json = true;
    else if (arg === "--answers" || arg.startsWith("--answers=")) {
      answers = arg === "--answers" ? args[++i] : arg.slice("--answers=".length);
      if (!answers?.toLowerCase().endsWith(".json")) return M.needOut;
    } else if (arg.startsWith("-")) return M.unknownOption(arg);
    else files.push(arg);
  }
  if (files.length === 0) return M.noFile;
  return { files, json, ...(answers ? { answers } : {}) };
}

export async function extractCommand(
  args: string[],
  io: CommandIo,
  config: Config,
): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === "help") {
    io.stdout(M.help);
    return 0;
  }
  if ("zh" in parsed) {
    io.stderr(`${E.error(parsed.zh, parsed.en)}${M.usage}`);
    return 2;
  }
  if (parsed.answers && !writableDir(parsed.answers)) {
    const m = M.notWritable(parsed.answers);
    io.stderr(E.error(m.zh, m.en));
    return 2;
  }
  // Every file is read before any is searched: one bad file stops the run with nothing printed.
  const materials: Material[] = [];
  try {
    for (const file of parsed.files) materials.push(await readMaterialFile(file));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr(E.error(error.messageZh, error.messageEn));
    return 2;
  }
  const dir = config.PROMPTS_DIR ?? DEFAULT_TEMPLATE_DIR;
  const ctx = loadImportContext(dir, loadTemplate(dir));
  const candidates = await candidatesOf(materials, ctx, config, io);
  if (parsed.answers) {
    const built = answersFileOf(candidates, orgOf(materials, ctx), new Date().getFullYear() - 1);
    writeFileSync(parsed.answers, `${JSON.stringify(built.file, null, 2)}\n`);
    io.stderr(M.written(parsed.answers, Object.keys(built.file.answers).length));
    if (built.missing.length > 0) io.stderr(M.fillOrg(parsed.answers, built.missing.join("、")));
  }
  io.stdout(
    parsed.json ? `${JSON.stringify({ candidates }, null, 2)}\n` : describe(candidates, ctx),
  );
  return 0;
}

/** With an LLM configured, one call per section and file; otherwise the offline finder. */
async function candidatesOf(
  materials: Material[],
  ctx: ImportContext,
  config: Config,
  io: CommandIo,
): Promise<Candidate[]> {
  const settings = llmSettings(config);
  if (!settings) return materials.flatMap((m) => findCandidates(m, ctx));
  const llm: Completer & { close(): Promise<void> } = new LlmClient(
    settings,
    createLogger(config.LOG_LEVEL),
  );
  try {
    const out: Candidate[] = [];
    for (const material of materials) {
      const result = await extractWithLlm(material, ctx, llm);
      for (const f of result.fallbacks) {
        io.stderr(M.fallback(ctx.template.section(f.section)?.title ?? f.section, f.reason));
      }
      out.push(...result.candidates);
    }
    return out;
  } finally {
    await llm.close();
  }
}

/** The office as the first material that names it says. */
function orgOf(materials: Material[], ctx: ImportContext): FoundOrg {
  const found = materials.map((m) => findOrg(segment(m.text, ctx.checker), m.text));
  const first = <K extends keyof FoundOrg>(key: K): FoundOrg[K] | null =>
    found.find((o) => o[key] !== null)?.[key] ?? null;
  return {
    name: first("name"),
    kind: first("kind"),
    superior: first("superior"),
    year: first("year"),
  };
}

/** Candidates per question, in template order, with the question as users see it. */
function describe(candidates: Candidate[], ctx: ImportContext): string {
  if (candidates.length === 0) return M.none;
  const lines: string[] = [];
  for (const section of ctx.template.sections) {
    for (const q of section.questions) {
      const found = candidates.filter((c) => c.questionId === q.id);
      if (found.length === 0) continue;
      lines.push(M.question(section.title, q.text));
      for (const c of found) lines.push(M.found(c.source, c.quote));
    }
  }
  return `${lines.join("\n")}\n`;
}

function writableDir(file: string): boolean {
  try {
    accessSync(dirname(resolve(file)), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
