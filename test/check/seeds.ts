import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { seedsDir } from "../helpers/seeds-dir.js";

/** The three published reports of shared/seeds and my labels for them. */

export const SEED_NAMES = ["jinshandian-2024-plan", "panlong-2023", "yanshan-2020"] as const;
export type SeedName = (typeof SEED_NAMES)[number];

const SEEDS_DIR = seedsDir();
const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export function seedText(name: SeedName): string {
  return readFileSync(`${SEEDS_DIR}/${name}.txt`, "utf8");
}

export function fixturePath(relative: string): string {
  return `${FIXTURES}${relative}`;
}

export interface Label {
  status: "present" | "weak" | "missing";
  reason: string;
}

export function seedLabels(name: SeedName): Record<string, Label> {
  const file = JSON.parse(readFileSync(fixturePath(`labels/${name}.json`), "utf8")) as {
    labels: Record<string, Label>;
  };
  return file.labels;
}

const ASCII: Record<string, string> = {
  "，": ",",
  "；": ";",
  "：": ":",
  "（": "(",
  "）": ")",
  "？": "?",
  "！": "!",
  "“": '"',
  "”": '"',
};

/**
 * A report as copied from a web page that uses ASCII punctuation: full-width commas,
 * semicolons, colons, parentheses, question and exclamation marks and double quotes as ASCII.
 * Written here, independently of the checker's own normalisation.
 */
export function toAsciiPunctuation(text: string): string {
  return text.replace(/[，；：（）？！“”]/gu, (c) => ASCII[c] ?? c);
}
