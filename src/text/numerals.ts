const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** Chinese numeral for 1–99, as used in 公文 headings (一、十一、二十三). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`no heading numeral for ${n}`);
  if (n < 10) return DIGITS[n] as string;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : DIGITS[tens]}十${ones === 0 ? "" : DIGITS[ones]}`;
}

/** Chinese digits, with 两 and 〇/零. */
export const CN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 一 … 九千九百九十九 (两, 〇/零 included); null when not a well-formed numeral. */
export function parseChineseNumber(text: string): number | null {
  if (text === "") return null;
  let total = 0;
  let digit: number | null = null;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const ch of text) {
    const d = CN_DIGIT[ch];
    if (d !== undefined) {
      if (digit !== null && digit !== 0) return null; // 二三: two digits in a row
      digit = d;
      continue;
    }
    const unit = CN_UNIT[ch];
    if (unit === undefined || unit >= lastUnit) return null;
    if (digit === 0) return null; // 零十
    total += (digit ?? 1) * unit;
    digit = null;
    lastUnit = unit;
  }
  return total + (digit ?? 0);
}
