/**
 * The parts of a report, in the order the regulation lists them: `intro` (the 导语) stands before
 * the five numbered body parts. Sections, the draft outline and the checker all use this list.
 */
export const BODY_PARTS = [
  "measures",
  "first-responsible",
  "shortcomings",
  "next-year",
  "other",
] as const;
export type BodyPart = (typeof BODY_PARTS)[number];

export const PARTS = ["intro", ...BODY_PARTS] as const;
export type Part = (typeof PARTS)[number];
