import type { OrgKind } from "../domain/types.js";
import type { Template } from "../template/load.js";

/** How an office of one kind names itself, its Party committee and its head. */
export interface KindWording {
  /** 我镇 / 我乡 / 我街道 */
  self: string;
  /** 镇党委 / 乡党委 / 街道党工委 */
  party: string;
  /** 镇长 / 乡长 / 办事处主任 */
  head: string;
  /** 本镇 / 本乡 / 本街道: "this office" in a question */
  org: string;
}

export const KIND_WORDING: Readonly<Record<OrgKind, KindWording>> = {
  镇: { self: "我镇", party: "镇党委", head: "镇长", org: "本镇" },
  乡: { self: "我乡", party: "乡党委", head: "乡长", org: "本乡" },
  街道: { self: "我街道", party: "街道党工委", head: "办事处主任", org: "本街道" },
};

/** Before the kind is known (no org yet): words that fit any office, never "镇（乡、街道）". */
const ANY_KIND: KindWording = {
  self: "本单位",
  party: "党组织",
  head: "主要负责人",
  org: "本单位",
};

const PLACEHOLDER = /\{(self|party|head|org)\}/g;

/** Fills a template text's {self}, {party}, {head} and {org} with the office's own words. */
export function forKind(text: string, kind: OrgKind | undefined): string {
  const words = kind ? KIND_WORDING[kind] : ANY_KIND;
  return text.replace(PLACEHOLDER, (_, key: keyof KindWording) => words[key]);
}

const rendered = new WeakMap<Template, Map<string, Template>>();

/**
 * The template as an office of `kind` reads it: question texts, hints and section titles with
 * their placeholders filled. Made once per template and kind (it is on every message's path).
 */
export function templateForKind(template: Template, kind: OrgKind | undefined): Template {
  let byKind = rendered.get(template);
  if (!byKind) {
    byKind = new Map();
    rendered.set(template, byKind);
  }
  const key = kind ?? "";
  const cached = byKind.get(key);
  if (cached) return cached;
  const sections = template.sections.map((s) => ({
    ...s,
    title: forKind(s.title, kind),
    questions: s.questions.map((q) => ({
      ...q,
      text: forKind(q.text, kind),
      hint: forKind(q.hint, kind),
    })),
  }));
  const sectionMap = new Map(sections.map((s) => [s.id, s]));
  const questionMap = new Map(sections.flatMap((s) => s.questions.map((q) => [q.id, q])));
  const result: Template = {
    ...template,
    sections,
    section: (id) => sectionMap.get(id),
    question: (id) => questionMap.get(id),
  };
  byKind.set(key, result);
  return result;
}
