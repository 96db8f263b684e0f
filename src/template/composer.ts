import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { readYamlFile } from "../yaml/read.js";

/**
 * The offline composer's word lists (prompts/<report-type>/composer.yaml): colloquial words and
 * their report wording, the verbs that open a themed plan item, the units a figure slot of a
 * `compose` sentence may stand before. Data, so that a report type can word its own.
 */

export class ComposerWordingError extends Error {
  override name = "ComposerWordingError";
}

export interface Replacement {
  from: string;
  to: string;
}

export interface ComposerWording {
  /** Longest `from` first, so that "没有组织" wins over "没有". */
  formal: readonly Replacement[];
  planVerbs: readonly string[];
  /** Longest first: "人次" is tried before "人". */
  units: readonly string[];
  /** Words a compose sentence may drop from an answer, longest first. */
  composeFiller: readonly string[];
  /** Marks of an intro clause that only repeats the opening. */
  introRepeats: readonly string[];
}

export const NO_WORDING: ComposerWording = {
  formal: [],
  planVerbs: [],
  units: [],
  composeFiller: [],
  introRepeats: [],
};

const distinct = (list: string[]) => new Set(list).size === list.length;

const composerFileSchema = z.strictObject({
  formal: z.array(
    z.strictObject({
      from: z
        .string()
        .min(1)
        .refine((s) => !/\d/.test(s), { error: "must hold no figure" }),
      to: z.string(),
    }),
  ),
  planVerbs: z.array(z.string().min(1)).refine(distinct, { error: "duplicate verb" }),
  units: z.array(z.string().min(1).max(3)).min(1).refine(distinct, { error: "duplicate unit" }),
  composeFiller: z.array(z.string().min(1)).refine(distinct, { error: "duplicate word" }),
  introRepeats: z.array(z.string().min(2)).refine(distinct, { error: "duplicate word" }),
});

/** composer.yaml of a report-type folder, validated; no file means no rewording at all. */
export function loadComposerWording(templateDir: string): ComposerWording {
  const file = join(templateDir, "composer.yaml");
  if (!existsSync(file)) return NO_WORDING;
  const raw = readYamlFile(
    file,
    composerFileSchema,
    (message, cause) => new ComposerWordingError(message, { cause }),
  );
  const longestFirst = <T>(list: T[], key: (t: T) => string) =>
    list.toSorted((a, b) => key(b).length - key(a).length);
  return {
    formal: longestFirst(raw.formal, (r) => r.from),
    planVerbs: longestFirst(raw.planVerbs, (v) => v),
    units: longestFirst(raw.units, (u) => u),
    composeFiller: longestFirst(raw.composeFiller, (w) => w),
    introRepeats: raw.introRepeats,
  };
}
