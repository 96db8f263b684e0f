import type { Answer, LastYearReport, Member, Org, OrgKind } from "../domain/types.js";
import { type Candidate, findCandidates, type Material } from "../import/candidates.js";
import type { ImportContext } from "../import/context.js";
import { type Completer, extractWithLlm } from "../import/llm-extract.js";
import { type PastReport, readPastReport } from "../import/past-report.js";
import { defaultReportYear } from "../interview/registration.js";
import type { Seat, Store } from "../store/store.js";
import { newInvite } from "../team/invites.js";
import { randomId } from "../text/ids.js";

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

/** The office last year's report names, as a registration records it. */
export interface OfficeFound {
  name: string;
  kind: OrgKind;
  superior: string;
  /** This year's report year: the year after the report's, within what registration accepts. */
  year: number;
}

/** The office of last year's report, offered at registration; undefined when it is not all there. */
export function officeOf(deps: ImportDeps, file: ReadFile): OfficeFound | undefined {
  const { name, kind, superior, year } = readPastReport(file.text, deps.imports).org;
  if (!name || !kind || !superior) return undefined;
  const fallback = defaultReportYear(deps.now());
  const next = year === null ? fallback : year + 1;
  return { name, kind, superior, year: next > fallback + 1 ? fallback : next };
}

/**
 * Someone not yet registered adopts the office found in last year's report (a tap on
 * 采用这些信息): the org is registered as the registration dialogue would (they are its admin,
 * with a 7-day invite code), and the report is stored for it. Undefined when the report does not
 * name the office fully, or the user belongs to an org already.
 */
export async function registerFromLastYear(
  deps: ImportDeps,
  user: { id: number; name: string },
  file: ReadFile,
): Promise<{ seat: Seat; saved: LastYearReport } | undefined> {
  const office = officeOf(deps, file);
  if (!office || (await deps.store.getMember(user.id))) return undefined;
  const at = deps.now();
  const org: Org = {
    id: randomId(6),
    ...office,
    inviteCode: randomId(8),
    admins: [user.id],
    createdAt: at.toISOString(),
  };
  const member: Member = {
    userId: user.id,
    orgId: org.id,
    role: "admin",
    displayName: user.name,
    joinedAt: at.toISOString(),
  };
  await deps.store.createOrg(org, newInvite(org.inviteCode, org.id, user.id, at, "days"));
  await deps.store.addMember(member);
  await deps.store.setRegistration(user.id, null);
  const seat = { member, org };
  const { saved } = await importLastYear(deps, seat, file);
  return { seat, saved };
}
