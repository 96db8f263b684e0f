import type { Rng } from "./rng.js";

/** Pieces random text is made of: every kind of character that tends to break text handling. */
const PIECES = {
  emoji: ["😀", "👨‍👩‍👧‍👦", "🇨🇳", "🏳️‍🌈", "👍🏽", "🧑🏿‍🚀", "❤️", "🀄", "\u{1F9D1}\u200D\u{1F4BB}"],
  rtl: ["مرحبا بالعالم", "שלום", "\u202E", "\u202B", "\u200F", "\u061C", "العربية123"],
  zeroWidth: ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u180E"],
  loneSurrogate: ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "a\uD83Db", "\uDE00\uD83D"],
  control: ["\u0000", "\u0007", "\u0008", "\u001B[31m", "\r", "\r\n", "\u0085", "\u007F", "\u2028"],
  whitespace: [" ", "\t", "\n", "\u3000", "\u00A0", "\u2003", "\u2029", "\u000B", "\u000C"],
  combining: ["e\u0301", "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358", "\u0300\u0301\u0302"],
  tricky: [
    "../../",
    "..\\..\\",
    "%s%n%x",
    "$" + "{process.exit()}",
    "{{7*7}}",
    "<b>粗</b>",
    "<script>alert(1)</script>",
    "*bold* _it_ `code` [l](http://x)",
    "'; DROP TABLE answers; --",
    "__proto__",
    "constructor",
    "null",
    "undefined",
    "NaN",
    "-1",
    "1e309",
    "0x1F",
    "99999999999999999999",
    "【待补充】",
    "/start",
    "@fazhi_report_bot",
    "fazhi:org:",
    '{"a":1}',
    "\\u0000",
    "第一章",
  ],
  chineseWords: [
    "法治政府建设",
    "执法人员",
    "行政复议",
    "持证率100%",
    "2025年",
    "共计",
    "镇",
    "乡",
    "街道",
    "东莞市",
    "3月15日",
    "一、",
    "（二）",
    "。",
    "，",
  ],
} as const;

/** Printable ASCII and CJK ideographs are drawn from ranges, the rest from the lists above. */
type PieceKind = keyof typeof PIECES | "ascii" | "cjk";

const KIND_WEIGHTS: readonly (readonly [PieceKind, number])[] = [
  ["ascii", 6],
  ["cjk", 6],
  ["chineseWords", 4],
  ["emoji", 2],
  ["rtl", 1],
  ["zeroWidth", 1],
  ["loneSurrogate", 1],
  ["control", 1],
  ["whitespace", 2],
  ["combining", 1],
  ["tricky", 2],
];

function piece(rng: Rng, kind: PieceKind): string {
  switch (kind) {
    case "ascii":
      return String.fromCharCode(...Array.from({ length: rng.int(1, 8) }, () => rng.int(32, 126)));
    case "cjk":
      return String.fromCodePoint(
        ...Array.from({ length: rng.int(1, 6) }, () => rng.int(0x4e00, 0x9fa5)),
      );
    default:
      return rng.pick(PIECES[kind]);
  }
}

/** Random text of about `length` UTF-16 units, mixing every kind of piece. */
export function mixedText(rng: Rng, length: number): string {
  const parts: string[] = [];
  let size = 0;
  // One kind dominates a run, so some texts are all emoji, all RTL, all whitespace…
  const dominant = rng.weighted(KIND_WEIGHTS);
  while (size < length) {
    const kind = rng.chance(0.6) ? dominant : rng.weighted(KIND_WEIGHTS);
    const p = piece(rng, kind);
    parts.push(p);
    size += p.length;
  }
  return parts.join("").slice(0, Math.max(length, 1));
}

/** Whitespace only, as JavaScript's trim() removes it (the bot's "empty" test). */
export function whitespaceOnly(rng: Rng): string {
  return Array.from({ length: rng.int(1, 30) }, () => rng.pick(PIECES.whitespace)).join("");
}

/** Text of a random shape: empty-ish, short, typical, long, or over Telegram's limit. */
export function randomText(rng: Rng): string {
  const shape = rng.weighted([
    ["whitespace", 1],
    ["tiny", 3],
    ["short", 6],
    ["medium", 3],
    ["long", 1],
    ["giant", 0.3],
  ] as const);
  switch (shape) {
    case "whitespace":
      return whitespaceOnly(rng);
    case "tiny":
      return mixedText(rng, rng.int(1, 3));
    case "short":
      return mixedText(rng, rng.int(2, 40));
    case "medium":
      return mixedText(rng, rng.int(40, 600));
    case "long":
      return mixedText(rng, rng.int(600, 4096));
    case "giant":
      return giantText(rng);
  }
}

/** Over Telegram's 4096-character limit: up to 20,000 units, sometimes one repeated character. */
export function giantText(rng: Rng): string {
  const length = rng.pick([4097, 4100, 8192, 10_000, rng.int(4097, 20_000)]);
  if (rng.chance(0.3)) return rng.pick(["a", "法", "😀", "\u200B", " ", "\n"]).repeat(length);
  return mixedText(rng, length);
}

const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** Something that looks like an invite code, or does not. */
export function randomCode(rng: Rng): string {
  return rng.weighted<() => string>([
    [() => Array.from({ length: 8 }, () => rng.pick([...CODE_ALPHABET])).join(""), 4],
    [
      () =>
        Array.from({ length: 8 }, () => rng.pick([...CODE_ALPHABET]))
          .join("")
          .toLowerCase(),
      1,
    ],
    [() => mixedText(rng, rng.int(1, 20)), 2],
    [() => "A".repeat(rng.int(60, 300)), 1],
    [() => rng.pick(["../../", "0", "-1", "NULL", "%00", "ABCDEFGH"]), 1],
  ])();
}

/** A random display name (Telegram allows almost anything, up to 64 characters). */
export function randomName(rng: Rng): string {
  return mixedText(rng, rng.int(1, 64));
}
