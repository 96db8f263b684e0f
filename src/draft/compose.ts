import { PLACEHOLDERS } from "../template/schema.js";

/**
 * A question's `compose` sentence filled with the figures of its answer: "全年开展执法人员业务
 * 培训{times}场、{people}人次" + "办了3场，120人次参加" → "全年开展执法人员业务培训3场、120人次".
 * Written here rather than with a template library because the hard part is refusing: the sentence
 * is used only when it provably says everything the answer says —
 * - every figure of the answer stands before a unit and fills exactly one slot of that unit (two
 *   figures of one unit, or a figure no slot takes, and the answer is used as it is);
 * - no figure is qualified (约, 近, 超过, 以上, 左右 …) and the answer quotes no 《title》 or 〔number〕;
 * - every other word of the answer is in the sentence or is a filler word of composer.yaml.
 * Otherwise null: the caller writes the answer itself, cleaned up.
 */

export interface ComposeWords {
  /** Units, longest first. */
  units: readonly string[];
  /** Words the sentence may drop, longest first. */
  filler: readonly string[];
}

interface Figure {
  value: string;
  unit: string;
  start: number;
  end: number;
}

const NUMBER = /\d+(?:[.,]\d+)*/g;
const QUALIFIED_BEFORE = /(?:约|近|超过|超|逾|不足|不到|将近|大约|多达)$/u;
const QUALIFIED_AFTER = /^(?:以上|以下|左右|上下|之多|多)/u;
/** Words of the answer outside the sentence and the filler list that may still be dropped: none. */
const MAX_UNSAID = 0;
const HAN = /\p{Script=Han}/u;

export function composeFigures(
  compose: string,
  answer: string,
  words: ComposeWords,
): string | null {
  if (/[《〔【]/.test(answer)) return null;
  const figures = figuresOf(answer, words.units);
  const slots = slotsOf(compose, words.units);
  if (figures === null || slots.length === 0 || figures.length !== slots.length) return null;
  const values = new Map<string, string>();
  for (const slot of slots) {
    const matching = figures.filter((f) => f.unit === slot.unit);
    if (matching.length !== 1) return null;
    values.set(slot.name, (matching[0] as Figure).value);
  }
  if (unsaid(answer, figures, compose, words.filler) > MAX_UNSAID) return null;
  return compose.replace(/\{([^{}]*)\}/g, (all, name: string) => values.get(name) ?? all);
}

/** The figures of an answer with their units; null when one is qualified (约 80人, 90%以上). */
function figuresOf(answer: string, units: readonly string[]): Figure[] | null {
  const out: Figure[] = [];
  for (const m of answer.matchAll(NUMBER)) {
    const start = m.index ?? 0;
    let end = start + m[0].length;
    let value = m[0];
    if (answer[end] === "余") {
      value += "余";
      end += 1;
    }
    const rest = answer.slice(end).replace(/^\s+/, "");
    const unit = units.find((u) => rest.startsWith(u)) ?? "";
    const after = rest.slice(unit.length);
    if (QUALIFIED_BEFORE.test(answer.slice(0, start)) || QUALIFIED_AFTER.test(after)) return null;
    out.push({ value, unit, start, end: answer.length - after.length });
  }
  return out;
}

function slotsOf(compose: string, units: readonly string[]): { name: string; unit: string }[] {
  const known: readonly string[] = PLACEHOLDERS;
  return [...compose.matchAll(/\{([^{}]*)\}/g)]
    .filter((m) => !known.includes(m[1] ?? ""))
    .map((m) => {
      const after = compose.slice((m.index ?? 0) + m[0].length);
      return { name: m[1] ?? "", unit: units.find((u) => after.startsWith(u)) ?? "" };
    });
}

/** Han characters of the answer, outside its figures and filler words, that the sentence lacks. */
function unsaid(
  answer: string,
  figures: Figure[],
  compose: string,
  filler: readonly string[],
): number {
  let rest = "";
  let at = 0;
  for (const f of figures) {
    rest += `${answer.slice(at, f.start)} `;
    at = f.end;
  }
  rest += answer.slice(at);
  for (const word of filler) rest = rest.split(word).join(" ");
  return [...rest].filter((ch) => HAN.test(ch) && !compose.includes(ch)).length;
}
