import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadTemplate } from "../../src/template/load.js";
import { seedsDir } from "../helpers/seeds-dir.js";

/**
 * The concrete facts (figures and named measures) of each seed report, in our own words, with the
 * question that collects each. `asks`: the words of that question's text or hint that name the
 * fact, so the question asks for it directly; `direct: false`: only an open question catches it.
 */
const factSchema = z.union([
  z.strictObject({ fact: z.string().min(2), question: z.string(), asks: z.string().min(2) }),
  z.strictObject({ fact: z.string().min(2), question: z.string(), direct: z.literal(false) }),
]);
type Fact = z.infer<typeof factSchema>;

const FACTS_DIR = fileURLToPath(new URL("../fixtures/facts", import.meta.url));
const template = loadTemplate();

const reports: { seed: string; facts: Fact[] }[] = readdirSync(FACTS_DIR)
  .filter((name) => name.endsWith(".json"))
  .map((name) => ({
    seed: basename(name, ".json"),
    facts: z
      .array(factSchema)
      .min(20)
      .parse(JSON.parse(readFileSync(join(FACTS_DIR, name), "utf8"))),
  }));

const isDirect = (fact: Fact): boolean => "asks" in fact;

/** Share of facts a question asks for directly, in percent with one decimal. */
function directShare(facts: Fact[]): number {
  return Math.round((facts.filter(isDirect).length / facts.length) * 1000) / 10;
}

describe("facts of the seed reports and the questions that collect them", () => {
  it("has a fact list for every seed report", () => {
    const seeds = readdirSync(seedsDir())
      .filter((name) => name.endsWith(".txt"))
      .map((name) => basename(name, ".txt"));
    expect(reports.map((r) => r.seed).sort()).toEqual(seeds.sort());
  });

  it.each(reports)("$seed: every fact names a question of the template", ({ facts }) => {
    for (const fact of facts) expect(template.question(fact.question), fact.fact).toBeDefined();
  });

  it.each(reports)("$seed: a direct fact is named by its question's text or hint", ({ facts }) => {
    for (const fact of facts.filter((f) => "asks" in f)) {
      const question = template.question(fact.question);
      expect(`${question?.text}\n${question?.hint}`, fact.fact).toContain(fact.asks);
    }
  });

  it.each(reports)("$seed: facts are in our own words, not copied sentences", ({ seed, facts }) => {
    const text = readFileSync(join(seedsDir(), `${seed}.txt`), "utf8");
    for (const fact of facts.filter((f) => f.fact.length >= 12)) {
      expect(text.includes(fact.fact), fact.fact).toBe(false);
    }
  });

  it("asks directly for at least 75% of the facts of each report and of all reports", () => {
    const shares = Object.fromEntries(reports.map((r) => [r.seed, directShare(r.facts)]));
    const all = reports.flatMap((r) => r.facts);
    console.log(
      `facts asked for directly: ${JSON.stringify(shares)}; all ${directShare(all)}% of ${all.length}`,
    );
    for (const [seed, share] of Object.entries(shares))
      expect(share, seed).toBeGreaterThanOrEqual(75);
    expect(directShare(all)).toBeGreaterThanOrEqual(75);
  });
});
