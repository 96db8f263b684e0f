import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/check/types.js";
import { checkReport } from "../helpers/checker.js";
import { SEED_NAMES, seedText } from "./seeds.js";
import {
  decimalNumbering,
  headless,
  partNumbering,
  renumber,
  reordered,
  shiftedNumbering,
  unnumbered,
} from "./variants.js";

/** The same report with its parts reordered, renumbered or stripped of headings. */

const PART_ITEMS = [
  "measures",
  "shortcomings",
  "causes",
  "first-responsible",
  "next-year",
  "figures",
  "plan-answers-problems",
  "title",
  "signoff",
];

function statuses(result: CheckResult): Record<string, string> {
  return Object.fromEntries(
    result.items.filter((i) => PART_ITEMS.includes(i.id)).map((i) => [i.id, i.status]),
  );
}

const VARIANTS: [string, (text: string) => string][] = [
  ["parts in reverse order", reordered],
  ["top level numbered 第一部分", (t) => renumber(t, partNumbering)],
  ["every level one style down (（一）/1./（1）/①)", (t) => renumber(t, shiftedNumbering)],
  ["outline numbering 1. / 1.1 / 1.1.1", (t) => renumber(t, decimalNumbering)],
  ["headings without numbering", unnumbered],
  ["no headings at all", headless],
];

describe.each(SEED_NAMES)("%s variants", (name) => {
  const original = seedText(name);
  const expected = statuses(checkReport(original));

  it.each(VARIANTS)("%s: the variant really differs from the original", (_label, make) => {
    expect(make(original)).not.toBe(original);
  });

  it.each(VARIANTS)("%s: same verdicts on the parts", (_label, make) => {
    expect(statuses(checkReport(make(original)))).toEqual(expected);
  });
});

describe("variant builders", () => {
  const sample =
    "标题报告\n一、甲部分\n（一）子项\n1.细项\n（1）小项\n二、乙部分\n（一）子项二。正文在此，较长的一句话。";

  it("renumber in the 第一部分 style", () => {
    expect(renumber(sample, partNumbering)).toBe(
      "标题报告\n第一部分 甲部分\n（一）子项\n1.细项\n（1）小项\n第二部分 乙部分\n（一）子项二。正文在此，较长的一句话。",
    );
  });

  it("renumber one style down and as an outline", () => {
    expect(renumber(sample, shiftedNumbering)).toBe(
      "标题报告\n（一）甲部分\n1.子项\n（1）细项\n①小项\n（二）乙部分\n1.子项二。正文在此，较长的一句话。",
    );
    expect(renumber(sample, decimalNumbering)).toBe(
      "标题报告\n1.甲部分\n1.1 子项\n1.1.1 细项\n1.1.1.1 小项\n2.乙部分\n2.1 子项二。正文在此，较长的一句话。",
    );
  });

  it("removes numbering, or whole heading lines", () => {
    expect(unnumbered(sample)).toBe(
      "标题报告\n甲部分\n子项\n细项\n小项\n乙部分\n子项二。正文在此，较长的一句话。",
    );
    expect(headless(sample)).toBe("标题报告\n子项二。正文在此，较长的一句话。");
  });

  it("reverses the top-level parts and renumbers them", () => {
    expect(reordered(sample)).toBe(
      "标题报告\n一、乙部分\n（一）子项二。正文在此，较长的一句话。\n二、甲部分\n（一）子项\n1.细项\n（1）小项",
    );
  });
});
