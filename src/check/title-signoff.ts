import type { CheckerRules } from "./rules.js";
import type { Segmented } from "./segment.js";
import { matchesAny, quote } from "./text.js";
import type { Verdict } from "./types.js";
import { yearsIn } from "./year.js";

/** The title (unit, year, topic) and the sign-off at the end (unit and date). */

export function judgeTitle(doc: Segmented, rules: CheckerRules): Verdict {
  const title = doc.title;
  if (!title) return { status: "missing", evidence: "没有标题，开头直接是正文" };
  const lacking: string[] = [];
  if (!hasUnit(title, rules)) lacking.push("单位名称");
  if (yearsIn(title).length === 0) lacking.push("年度");
  if (!rules.title.topic.test(title)) lacking.push(`“${rules.title.topicName}”`);
  if (lacking.length === 0) return { status: "present", evidence: quote(title) };
  return { status: "weak", evidence: `标题${quote(title)}没有写明${lacking.join("、")}` };
}

/**
 * The unit stands before 关于 or the year ("××镇关于2024年度……", "盘龙彝族乡2023年……"), or
 * between the year and the topic ("2024年度××镇法治政府……"); 全区/本镇 are not names.
 */
function hasUnit(title: string, rules: CheckerRules): boolean {
  return titleUnit(title, rules) !== null;
}

/** The unit a title names, or null. */
export function titleUnit(title: string, rules: CheckerRules): string | null {
  const year = /\d{4}\s*年度?/u.exec(title);
  const cut = title.search(/关于|\d{4}\s*年/u);
  const candidates = [cut >= 0 ? title.slice(0, cut) : title];
  if (year) {
    const after = title.slice(year.index + year[0].length);
    candidates.push(after.slice(0, Math.max(0, after.search(rules.title.topic))));
  }
  const unit = candidates.find(
    (c) => rules.title.unit.test(c) && !/^[全本我][乡镇区县市]$/u.test(c.trim()),
  );
  return unit?.trim() ?? null;
}

export function judgeSignoff(doc: Segmented, rules: CheckerRules): Verdict {
  // Joint sign-offs put each unit on its own line (中共××镇委员会 / ××镇人民政府).
  const units = doc.signoff.filter((line) => rules.signoff.unit.test(line));
  const unit = units.length > 0 ? units.join(" ") : undefined;
  const date = doc.signoff.find((line) => matchesAny(line, rules.signoff.date));
  if (unit && date) return { status: "present", evidence: `${unit} ${date}` };
  if (unit) return { status: "weak", evidence: `落款有单位${quote(unit)}，但没有日期` };
  if (date) return { status: "weak", evidence: `落款有日期${quote(date)}，但没有发文单位` };
  return { status: "missing", evidence: "文末没有落款（发文单位和日期）" };
}
