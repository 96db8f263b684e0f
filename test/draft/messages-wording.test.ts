import { describe, expect, it } from "vitest";
import type { Answer, OrgBasics } from "../../src/domain/types.js";
import { buildMessages } from "../../src/draft/messages.js";
import { requestFromAnswers } from "../../src/draft/request.js";
import { template } from "../helpers/harness.js";

/** The drafting call speaks of the office in its own words, never in template placeholders. */

const VILLAGE: OrgBasics = { name: "盘龙乡", kind: "乡", superior: "砚山县", year: 2025 };
const answer = (questionId: string, text: string): Answer => ({
  questionId,
  text,
  author: 1,
  authorName: "小王",
  at: "2025-12-01T00:00:00.000Z",
});

describe("the drafting call's wording for the office's kind", () => {
  it("fills {org}, {self} … in questions sent beside short answers and in the unanswered ones", () => {
    const disputes = template.section("disputes");
    const withOrg = disputes?.questions.find((q) => q.text.includes("{org}"));
    if (!disputes || !withOrg) throw new Error("the disputes section asks no question with {org}");
    // A short answer travels with its question; the other required questions are listed as gaps.
    const request = requestFromAnswers(
      template,
      VILLAGE,
      new Map([[withOrg.id, answer(withOrg.id, "没有")]]),
    );
    const facts = request.sections.find((s) => s.section.id === "disputes");
    if (!facts) throw new Error("no disputes facts");
    const [system, user] = buildMessages(template, VILLAGE, facts);
    const sent = `${system?.content}\n${user?.content}`;
    expect(sent).not.toMatch(/\{(self|party|head|org|name|year|next|superior)\}/);
    expect(user?.content).toContain(JSON.stringify(withOrg.text.replaceAll("{org}", "本乡")));
  });
});
