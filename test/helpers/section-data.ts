import { DATA_END, DATA_START } from "../../src/draft/messages.js";
import type { StubRequest } from "../stub/openai-stub.js";

/** The data block of a drafting call, as the drafter wrote it between its markers. */
export type SectionData = Record<string, unknown> & {
  本节: string;
  本节材料: { 回答: string }[];
};

/** The data block a drafting call sent, parsed back. */
export function dataOf(req: StubRequest): SectionData {
  const text = String(req.body.messages.at(-1)?.content);
  return JSON.parse(
    text.slice(text.indexOf(DATA_START) + DATA_START.length, text.indexOf(DATA_END)),
  );
}

/** A model that writes only what it was given: the answers of its own section, in order. */
export function faithful(req: StubRequest): string {
  return dataOf(req)
    .本节材料.map((f) => f.回答)
    .join("\n");
}
