import type { OrgBasics, OrgKind } from "../domain/types.js";
import { KIND_WORDING } from "../messages/wording.js";
import type { Replacement } from "../template/composer.js";
import type { Question } from "../template/load.js";
import { titleSpans } from "../text/titles.js";

/**
 * Formal written Chinese (公文 register) from staff answers, without changing a fact: whitespace,
 * punctuation, first-person plural and relative years are normalised; figures, dates and
 * 《titles》 are never touched (a title's inside is not even re-punctuated).
 */

/** How the org names itself in its own report: 我乡, 我镇, 我街道. */
export function selfName(kind: OrgKind): string {
  return KIND_WORDING[kind].self;
}

/**
 * Fills {self} {party} {head} {org} (the office's words for its kind), {name} {year} {next} and
 * {superior} of a template sentence; other braces stay as written.
 */
export function fillPlaceholders(text: string, org: OrgBasics): string {
  const values: Record<string, string> = {
    ...KIND_WORDING[org.kind],
    name: org.name,
    year: String(org.year),
    next: String(org.year + 1),
    superior: org.superior,
  };
  return text.replace(/\{([^{}]*)\}/g, (placeholder, key: string) => values[key] ?? placeholder);
}

const HAN = /\p{Script=Han}/u;
const DIGIT = /[0-9０-９]/;
const ASCII_WORD = /[A-Za-z0-9]/;
/** Closing marks a Chinese sentence may end with before its full stop. */
const SENTENCE_END = /[。！？]$/;

/** Paragraph-like blocks of a free text: separated by blank lines. */
export function splitBlocks(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t\u3000]*\n/)
    .map((block) => block.trim())
    .filter(Boolean);
}

/** Non-empty lines of a text. */
export function splitLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** What formalize may use besides the org's self-name. */
export interface FormalOptions {
  /** Colloquial words and their report wording (composer.yaml `formal`), longest first. */
  wording?: readonly Replacement[];
  /** The year plans are for: 明年/下一年度 become "{next}年" instead of 下一年度. */
  next?: number;
}

/**
 * An answer in formal register, ending with "。": lines become "；"-joined clauses, the answer's
 * own numbering (一是, （一）, 1.) goes, whitespace and half-width punctuation are tidied,
 * 我们/咱们 become `self`, 今年/去年/明年 become 本年度/上一年度/下一年度 (or the plan year), a
 * leading 有，/是的， is dropped, colloquial words are reworded from the data list. Every digit run
 * of the answer is kept verbatim; should a rule ever break that, the answer is only trimmed and
 * punctuated instead.
 */
export function formalize(text: string, self: string, options: FormalOptions = {}): string {
  // The answer's own numbering (1. 2.) is no figure of it: it goes before anything is compared.
  const lines = splitLines(text).map(withoutNumbering).filter(Boolean);
  if (lines.length === 0) return "";
  const formal = joinClauses(lines.map((line, i) => formalLine(line, self, i === 0, options)));
  return keepsDigits(lines.join("\n"), formal) ? formal : joinClauses(lines.map(plainLine));
}

/** An item's own numbering at the start of a line: 一是, （一）, (1), 1. 1、 一、 ①. */
const OWN_NUMBERING =
  /^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d)|[一二三四五六七八九十]+、|[①-⑳])\s*/u;

/** A line without its own numbering. */
export function withoutNumbering(line: string): string {
  return line.replace(OWN_NUMBERING, "");
}

/** Lines as one sentence: "；" between clauses, "：" kept where a line introduces the next. */
function joinClauses(clauses: string[]): string {
  let out = "";
  for (const clause of clauses.filter(Boolean)) {
    if (out === "" || /[：:]$/.test(out)) out += clause;
    else out += `；${clause}`;
  }
  return endSentence(tidyPunctuation(out));
}

function endSentence(text: string): string {
  if (text === "") return text;
  const body = text.replace(/[，、；,;\s]+$/u, "");
  if (SENTENCE_END.test(body) || /[。！？][”’」』]$/.test(body)) return body;
  return `${body}。`;
}

function plainLine(line: string): string {
  return line.replace(/\s+/g, " ").replace(/[。；，、,;\s]+$/u, "");
}

function formalLine(line: string, self: string, first: boolean, options: FormalOptions): string {
  let text = line.replace(/^[-•·*●▪◦–—]+\s*/u, "");
  if (first) text = text.replace(/^(?:是的|是|有的|有|对|嗯|好的)[，,、：:\s]+(?=\S)/u, "");
  text = outsideTitles(text, (plain) => reword(formalWords(plain, self, options.next), options));
  text = collapseWhitespace(text);
  text = punctuate(text);
  return text.replace(/[。；，、,;.\s]+$/u, "");
}

/** Colloquial words of the answer that a report writes differently. */
function formalWords(text: string, self: string, next: number | undefined): string {
  const nextYear = next === undefined ? "下一年度" : `${next}年`;
  return text
    .replace(/(?:我们|咱们|俺们)(?=村|组|社区)/g, "本")
    .replace(/(?:我们|咱们|俺们)(?:镇|乡|街道)?/g, self)
    .replace(/今年以来/g, "本年度")
    .replace(/今年/g, "本年度")
    .replace(/去年/g, "上一年度")
    .replace(/明年|下一?年度/g, nextYear);
}

/** The data list's rewording, in one pass so that a replacement is never replaced again. */
function reword(text: string, options: FormalOptions): string {
  const list = options.wording ?? [];
  if (list.length === 0) return text;
  const to = new Map(list.map((r) => [r.from, r.to]));
  const pattern = new RegExp(list.map((r) => escapeRegExp(r.from)).join("|"), "g");
  return text.replace(pattern, (word, at: number) => {
    const formal = to.get(word) ?? word;
    // "请县" → "邀请县" must leave a written "邀请县" as it is.
    const prefix = formal.endsWith(word) ? formal.slice(0, formal.length - word.length) : "";
    return prefix !== "" && text.slice(at - prefix.length, at) === prefix ? word : formal;
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Applies `fn` to the parts of `text` outside 《…》 (nesting allowed; unclosed 《 is plain). */
export function outsideTitles(text: string, fn: (plain: string) => string): string {
  const spans = titleSpans(text);
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    out += fn(text.slice(at, start)) + text.slice(start, end);
    at = end;
  }
  return out + fn(text.slice(at));
}

/** True when offset `i` of `text` lies inside a 《title》. */
function inTitle(spans: [number, number][], i: number): boolean {
  return spans.some(([start, end]) => i >= start && i < end);
}

/**
 * Whitespace between Chinese words becomes "，" (staff use it as a separator), whitespace next to
 * a figure or punctuation goes, one space stays between two ASCII words. Titles keep theirs.
 */
function collapseWhitespace(text: string): string {
  const spans = titleSpans(text);
  return text.replace(/[\s\u3000]+/g, (space, index: number) => {
    if (inTitle(spans, index)) return space;
    const left = text[index - 1];
    const right = text[index + space.length];
    if (left === undefined || right === undefined) return "";
    if (ASCII_WORD.test(left) && ASCII_WORD.test(right)) return " ";
    if (DIGIT.test(left) || DIGIT.test(right)) return "";
    if ((HAN.test(left) || left === "%" || left === "％") && HAN.test(right)) return "，";
    return "";
  });
}

/** Half-width punctuation in Chinese text to full width; 1,471 and 8:30 and 96.74 stay. */
function punctuate(text: string): string {
  const spans = titleSpans(text);
  const chars = [...text];
  let offset = 0;
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const left = chars[i - 1] ?? "";
    const right = chars[i + 1] ?? "";
    const protectedChar = inTitle(spans, offset);
    offset += ch.length;
    if (protectedChar) {
      out.push(ch);
      continue;
    }
    const betweenDigits = DIGIT.test(left) && DIGIT.test(right);
    if (ch === "," && !betweenDigits) out.push("，");
    else if (ch === ":" && !betweenDigits) out.push("：");
    else if (ch === ";") out.push("；");
    else if (ch === "?") out.push("？");
    else if (ch === "!") out.push("！");
    else if (ch === "." && (HAN.test(left) || /[”）》]/.test(left)) && !ASCII_WORD.test(right)) {
      out.push("。");
    } else out.push(ch);
  }
  return outsideTitles(out.join(""), (plain) =>
    plain.replace(/\(([^()]*\p{Script=Han}[^()]*)\)/gu, "（$1）").replace(/"([^"]*)"/g, "“$1”"),
  );
}

/** Doubled or clashing punctuation left by joining: "。。", "；。", "，；". */
function tidyPunctuation(text: string): string {
  return outsideTitles(text, (plain) =>
    plain
      .replace(/([。；，、])\1+/g, "$1")
      .replace(/[，、；]+(?=[。；])/g, "")
      .replace(/。；/g, "。")
      .replace(/：[；，]/g, "："),
  );
}

/** Every digit run of `source` appears in `result`. */
function keepsDigits(source: string, result: string): boolean {
  return (source.match(/\d+/g) ?? []).every((run) => result.includes(run));
}

/**
 * A none answer: 没有, 无, 否, 不涉及, 无需备案, 未制定, 未纳入, 本年度未发生 … — short, without any
 * figure or title. "未组织考试" or "没有，但审核了3件合同" are real answers; "没有统计" and "未统计"
 * say the figure is not at hand, not that there was nothing (a staff note: staff-notes.ts).
 */
export function isNoneAnswer(text: string): boolean {
  const bare = text.replace(/[\s。，、；！!.,;：:…]+/g, "").replace(/^(?:回答|答)/, "");
  if (bare === "" || /\d|《|统计/.test(bare)) return false;
  return /^(?:本年度|今年|全年|年内|本年)?(?:均|都|暂|也|尚|还)?(?:没有|没|无|否|不涉及|无需备案|未[\p{Script=Han}]{1,2})(?:发生|开展|相关情况|此类情况|情况|案件)?$/u.test(
    bare,
  );
}

/**
 * What a missing required answer is, short, from its question: the first question of the text,
 * with 本镇（乡、街道） made the org's own and asides in brackets dropped.
 */
export function missingLabel(question: Question, org: OrgBasics): string {
  // The raw template (an answers file) still holds {org} {party} {head}: words any office reads.
  const text = question.text
    .replace(/\{org\}/g, selfName(org.kind))
    .replace(/\{party\}/g, "党委")
    .replace(/\{head\}/g, "主要负责人");
  const first = text.split(/[？?。]/)[0] ?? text;
  const head = org.kind === "街道" ? "办事处主任" : `${org.kind}长`;
  const label = first
    .replace(/本镇（乡、街道）/g, selfName(org.kind))
    .replace(/镇（乡）长/g, head)
    .replace(/镇（乡、街道）|镇（乡）/g, org.kind)
    .replace(/（[^（）]*）/g, "")
    .replace(/您说的/g, "")
    .split("，")
    .filter((clause) => !clause.includes("您"))
    .join("，")
    .replace(/^如果[^，]*?(?:概括|说明)/, "")
    .replace(/^本年度/, "")
    .replace(/今年/g, "本年度")
    .replace(/明年/g, "下一年度")
    .replace(/^[，、\s]+|[，、\s]+$/g, "");
  return label.length > 40 ? `${label.slice(0, 39)}…` : label;
}

/** The visible marker of a missing required fact. */
export function missingMarker(what: string): string {
  return `【待补充：${what}】`;
}
