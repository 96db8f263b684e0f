import type { Answer, LastYearReport } from "../domain/types.js";
import { type Candidate, findCandidates, type Material } from "../import/candidates.js";
import type { ImportContext } from "../import/context.js";
import { type Completer, extractWithLlm } from "../import/llm-extract.js";
import { type PastReport, readPastReport } from "../import/past-report.js";
import type { Seat, Store } from "../store/store.js";

/**
 * The import use cases shared by the bot, the terminal chat and the CLI: read last year's report
 * and keep its plan items and shortcomings for the org; find candidate answers in this year's
 * materials; adopt a candidate (only ever on a member's tap) with its source in the history.
 * A file's text is read once and never stored: only what is listed here is.
 */

export interface ImportDeps {
  store: Store;
  imports: ImportContext;
  /** Absent: candidates are found offline. */
  llm?: Completer;
  now: () => Date;
}

export interface ReadFile {
  text: string;
  fileName: string;
}

/** Reads last year's report and stores its plan items and shortcomings for the seat's org. */
export async function importLastYear(
  deps: ImportDeps,
  seat: Seat,
  file: ReadFile,
): Promise<{ report: PastReport; saved: LastYearReport }> {
  const report = readPastReport(file.text, deps.imports);
  const saved: LastYearReport = {
    fileName: file.fileName,
    year: report.org.year,
    shortcomings: report.shortcomings,
    plans: report.plans,
    importedBy: seat.member.userId,
    importedAt: deps.now().toISOString(),
  };
  await deps.store.setLastYear(seat.org.id, saved);
  return { report, saved };
}

/** Candidate answers in one material: one LLM call per section when configured, else offline. */
export async function proposeCandidates(deps: ImportDeps, file: ReadFile): Promise<Candidate[]> {
  const material: Material = { text: file.text, source: file.fileName };
  if (!deps.llm) return findCandidates(material, deps.imports);
  return (await extractWithLlm(material, deps.imports, deps.llm)).candidates;
}

/**
 * A member adopts a candidate: it becomes the answer, or is appended to an existing one, and its
 * source (file name, quote) stays in the answer's history. `text`: the member's edited wording.
 */
export async function adoptCandidate(
  deps: ImportDeps,
  seat: Seat,
  candidate: Candidate,
  text: string = candidate.text,
): Promise<Answer> {
  const existing = await deps.store.getAnswer(seat.org, candidate.questionId);
  const mode = existing && existing.text.trim() !== "" ? "append" : "replace";
  return deps.store.saveAnswer(
    seat.org,
    candidate.questionId,
    {
      text,
      author: seat.member.userId,
      authorName: seat.member.displayName,
      at: deps.now().toISOString(),
      source: { file: candidate.source, quote: candidate.quote },
    },
    mode,
  );
}
