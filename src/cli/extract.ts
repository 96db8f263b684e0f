import { writeFileSync } from "node:fs";
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
import {
  type CommandIo,
  type CommandSpec,
  type Flag,
  inputError,
  readArgs,
  writableDir,
} from "./args.js";

/**
 * `fazhi-report extract FILE [FILE…] [--json] [--answers OUT.json]`: candidate answers from an
 * office's materials. Exit codes as for `check`: 0 ran, 2 bad usage or input, 1 otherwise.
 */

const M = CLI.extract;
const E = CLI.check;

const ARGS = {
  flags: {
    json: { type: "boolean" },
    answers: {
      type: "string",
      check: (v) => (v?.toLowerCase().endsWith(".json") ? undefined : M.needOut),
    },
  },
  help: M.help,
  usage: M.usage,
  noFile: M.noFile,
} satisfies CommandSpec<Record<string, Flag>>;

export async function extractCommand(
  args: string[],
  io: CommandIo,
  config: Config,
): Promise<number> {
  const parsed = readArgs(args, ARGS, io);
  if (typeof parsed === "number") return parsed;
  const { files, values } = parsed;
  if (values.answers && !writableDir(values.answers)) {
    const m = M.notWritable(values.answers);
    io.stderr(E.error(m.zh, m.en));
    return 2;
  }
  // Every file is read before any is searched: one bad file stops the run with nothing printed.
  const materials: Material[] = [];
  try {
    for (const file of files) materials.push(await readMaterialFile(file));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return inputError(io, error);
  }
  const dir = config.PROMPTS_DIR ?? DEFAULT_TEMPLATE_DIR;
  const ctx = loadImportContext(dir, loadTemplate(dir));
  const candidates = await candidatesOf(materials, ctx, config, io);
  if (values.answers) {
    const built = answersFileOf(candidates, orgOf(materials, ctx), new Date().getFullYear() - 1);
    writeFileSync(values.answers, `${JSON.stringify(built.file, null, 2)}\n`);
    io.stderr(M.written(values.answers, Object.keys(built.file.answers).length));
    if (built.missing.length > 0) io.stderr(M.fillOrg(values.answers, built.missing.join("、")));
  }
  io.stdout(
    values.json ? `${JSON.stringify({ candidates }, null, 2)}\n` : describe(candidates, ctx),
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
