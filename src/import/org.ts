import type { Segmented } from "../check/segment.js";
import type { OrgKind } from "../domain/types.js";

/** The office a report is by: name, kind and superior as the report itself gives them. */

export interface FoundOrg {
  name: string | null;
  kind: OrgKind | null;
  superior: string | null;
  year: number | null;
}

const UNIT = /((?:[\p{Script=Han}]{2,12}?)(?:街道|乡|镇))(?:人民政府|办事处|党委)?/u;
/** Characters that cannot start an office's name ("我乡", "全镇", "乡镇"). */
const NOT_A_NAME = /[我本全该各每此其乡镇村县市区省州在和与及的了是为对到将把从治个一]/u;
/** Characters no office name holds: a pronoun, a particle, a verb of governing ("依法治镇"). */
const NOT_IN_NAME = /[我本全该各每乡镇村县市区省州在的了是将把从治立和与及委]/u;
/** A county-level superior named in a cited title (《砚山县赋予……》《万州区法治政府……》). */
const SUPERIOR = /《([\p{Script=Han}]{2,4}?(?:县|市|区))(?!区县|县（|县\()/gu;

export function findOrg(doc: Segmented, text: string): FoundOrg {
  const name = nameFromTitle(doc) ?? nameFromSignoff(doc) ?? mostNamed(text);
  return {
    name,
    kind: name ? kindOf(name) : null,
    superior: superiorOf(text),
    year: doc.reportYear,
  };
}

function nameFromTitle(doc: Segmented): string | null {
  const m = doc.title ? /^(?:中共)?(.+?)(?:关于|\d{4})/u.exec(doc.title) : null;
  return m?.[1] ? unitName(m[1]) : null;
}

function nameFromSignoff(doc: Segmented): string | null {
  for (const line of doc.signoff) {
    const name = unitName(line);
    if (name) return name;
  }
  return null;
}

function unitName(text: string): string | null {
  const m = UNIT.exec(text);
  return m?.[1] && !NOT_A_NAME.test(m[1][0] ?? "") ? m[1] : null;
}

/**
 * The name the text uses most: before each 乡/镇/街道, the two to four characters in front are
 * candidates; the most frequent wins, the longer on a tie ("燕山乡" over "山乡").
 */
function mostNamed(text: string): string | null {
  const counts = new Map<string, number>();
  // 乡村, 乡镇, 乡亲 … are words, not the end of a name.
  for (const m of text.matchAll(/(?:街道|乡(?![村镇土亲贤情里])|镇(?![村区街情]))/gu)) {
    for (let len = 2; len <= 4; len++) {
      const prefix = text.slice(m.index - len, m.index);
      if (prefix.length !== len || !/^\p{Script=Han}+$/u.test(prefix)) break;
      if (NOT_A_NAME.test(prefix[0] ?? "") || NOT_IN_NAME.test(prefix)) continue;
      const name = prefix + m[0];
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  let best: [string, number] | null = null;
  for (const entry of counts) {
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0].length > best[0].length)) {
      best = entry;
    }
  }
  return best?.[0] ?? null;
}

function kindOf(name: string): OrgKind {
  if (name.endsWith("街道")) return "街道";
  return name.endsWith("乡") ? "乡" : "镇";
}

/** The county, city or district most cited, the first cited on a tie. */
function superiorOf(text: string): string | null {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(SUPERIOR)) {
    const name = m[1] ?? "";
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  let best: [string, number] | null = null;
  for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
  return best?.[0] ?? null;
}
