/**
 * Input hygiene, in one place: every text a user stores (answers, names, revise instructions)
 * and every text written into an export passes through here.
 *
 * - Characters XML 1.0 forbids (C0 controls other than tab and line breaks, lone surrogates,
 *   U+FFFE, U+FFFF) would make the exported document.xml ill-formed; Unicode non-characters
 *   (U+FDD0–U+FDEF, U+nFFFE/U+nFFFF) and the other controls (DEL, C1) are never text either.
 * - A text that is empty once invisible characters are removed (zero-width spaces and joiners,
 *   word joiners, byte-order marks, fillers) counts as empty.
 */

/** Removed everywhere: XML 1.0's forbidden characters, non-characters, DEL and C1 controls. */
const FORBIDDEN = /(?![\t\n\r])\p{Cc}|\p{Cs}|\p{Noncharacter_Code_Point}/gu;

/**
 * Characters that show nothing: white space, format characters (U+200B–U+200F, U+2060, U+FEFF,
 * U+00AD …), the combining grapheme joiner, variation selectors (alternatives: they combine), and the Hangul and Braille
 * blanks people paste to fake an empty name.
 */
const INVISIBLE =
  /[\p{White_Space}\p{Cf}\u115F\u1160\u2800\u3164\uFFA0]|\u034F|\p{Variation_Selector}/gu;

/** `text` without the characters XML 1.0 forbids and without non-characters. */
export function stripForbidden(text: string): string {
  return text.replace(FORBIDDEN, "");
}

/** Whether `text` shows nothing at all. */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, "") === "";
}

/**
 * A user's text as it is stored: forbidden characters removed, white space trimmed, and ""
 * when nothing visible is left.
 */
export function cleanText(text: string): string {
  const clean = stripForbidden(text).trim();
  return isBlank(clean) ? "" : clean;
}

/** Every string inside `value` (plain objects and arrays) through stripForbidden. */
export function stripForbiddenDeep<T>(value: T): T {
  if (typeof value === "string") return stripForbidden(value) as T;
  if (Array.isArray(value)) return value.map((v) => stripForbiddenDeep(v)) as T;
  if (
    value !== null &&
    typeof value === "object" &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, stripForbiddenDeep(v)]),
    ) as T;
  }
  return value;
}
