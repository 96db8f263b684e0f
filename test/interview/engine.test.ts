import { describe, expect, it } from "vitest";
import type { Answer, Org, OrgKind } from "../../src/domain/types.js";
import { BUTTONS } from "../../src/interview/callbacks.js";
import { MAX_ANSWER_CHARS, respond } from "../../src/interview/engine.js";
import { questionsOf } from "../../src/interview/progress.js";
import type { Input, InterviewContext, Outcome } from "../../src/interview/types.js";
import { HELP_TEXT } from "../../src/messages/commands.js";
import { templateForKind } from "../../src/messages/wording.js";
import { INTERVIEW, REGISTRATION, TEXT } from "../../src/messages/zh.js";
import { loadTemplate } from "../../src/template/load.js";

/** respond() on its own: no grammY, no store. Each row is a context, an input and what follows. */

const raw = loadTemplate();
const NOW = new Date("2026-01-10T02:00:00Z");
const USER = { id: 7, name: "小王" };

function orgOf(kind: OrgKind): Org {
  const name = { 镇: "洪梅镇", 乡: "盘龙乡", 街道: "城关街道" }[kind];
  return {
    id: "org1",
    name,
    kind,
    superior: "东莞市",
    year: 2025,
    inviteCode: "ABCDEFGH",
    admins: [USER.id],
    createdAt: NOW.toISOString(),
  };
}

function answer(questionId: string, text: string): Answer {
  return {
    questionId,
    text,
    author: USER.id,
    authorName: USER.name,
    at: NOW.toISOString(),
    history: [],
  };
}

/** A member of a 镇 (or of `kind`) with `answers`, asked the first question. */
function member(kind: OrgKind = "镇", answers: Answer[] = []): InterviewContext {
  const org = orgOf(kind);
  const template = templateForKind(raw, kind);
  return {
    template,
    now: NOW,
    user: USER,
    member: { userId: USER.id, orgId: org.id, role: "admin", displayName: USER.name, joinedAt: "" },
    org,
    registration: undefined,
    cursor: { questionId: questionsOf(template)[0]?.id ?? null, pending: null },
    answers: new Map(answers.map((a) => [a.questionId, a])),
    assignments: {},
    fresh: { orgId: "new-org", inviteCode: "NEWCODE1" },
  };
}

function stranger(registration?: InterviewContext["registration"]): InterviewContext {
  return {
    ...member(),
    template: templateForKind(raw, undefined),
    member: undefined,
    org: undefined,
    cursor: undefined,
    registration,
  };
}

const [q1, q2] = questionsOf(raw);
const enforcement = raw.section("enforcement")?.questions ?? [];
const text = (t: string): Input => ({ kind: "text", text: t });
const command = (name: Extract<Input, { kind: "command" }>["name"], arg = ""): Input => ({
  kind: "command",
  name,
  arg,
});
const button = (data: string): Input => ({ kind: "button", data });

interface Row {
  name: string;
  ctx: () => InterviewContext;
  input: Input;
  effects: string[];
  /** Each reply's text must contain the matching string. */
  replies: string[];
  check?: (outcome: Outcome) => void;
}

const ROWS: Row[] = [
  {
    name: "/help answers anyone with the help text",
    ctx: () => stranger(),
    input: command("help"),
    effects: [],
    replies: [HELP_TEXT],
  },
  {
    name: "a stranger's text is refused",
    ctx: () => stranger(),
    input: text("你好"),
    effects: [],
    replies: [TEXT.notMember],
  },
  {
    name: "a stranger's button is stale",
    ctx: () => stranger(),
    input: button(BUTTONS.append.pack(q1?.id ?? "")),
    effects: [],
    replies: [TEXT.staleButton],
  },
  {
    name: "/start begins a registration",
    ctx: () => stranger(),
    input: command("start"),
    effects: ["setRegistration"],
    replies: [REGISTRATION.welcome],
  },
  {
    name: "the name step asks the kind, with a button per kind",
    ctx: () => stranger({ step: "name" }),
    input: text("盘龙乡"),
    effects: ["setRegistration"],
    replies: [REGISTRATION.askKind("盘龙乡", "乡")],
    check: (o) =>
      expect(o.replies[0]?.buttons?.[0]?.map((b) => b.data)).toEqual([
        BUTTONS.kind.pack("乡"),
        BUTTONS.kind.pack("镇"),
        BUTTONS.kind.pack("街道"),
      ]),
  },
  {
    name: "a kind button is read as the kind",
    ctx: () => stranger({ step: "kind", name: "盘龙乡" }),
    input: button(BUTTONS.kind.pack("乡")),
    effects: ["setRegistration"],
    replies: [REGISTRATION.askSuperior("盘龙乡")],
  },
  {
    name: "a malformed kind button is not a kind",
    ctx: () => stranger({ step: "kind", name: "盘龙乡" }),
    input: button("kind:村"),
    effects: [],
    replies: [TEXT.staleButton],
  },
  {
    name: "the year button registers the office and asks its first question in its wording",
    ctx: () => stranger({ step: "year", name: "盘龙乡", kind: "乡", superior: "砚山县" }),
    input: button(BUTTONS.year.pack(2025)),
    effects: ["createOrg", "addMember", "setRegistration", "setCursor"],
    replies: [
      "已登记：盘龙乡（乡，上级：砚山县）",
      templateForKind(raw, "乡").sections[0]?.questions[0]?.text ?? "",
    ],
  },
  {
    name: "an answer is saved, acknowledged with 补充/重答, and the next question asked",
    ctx: () => member(),
    input: text("  《实施方案》  "),
    effects: ["saveAnswer", "setCursor"],
    replies: [INTERVIEW.ack("new", q1?.text ?? ""), q2?.text ?? ""],
    check: (o) => {
      expect(o.effects[0]).toEqual({
        kind: "saveAnswer",
        questionId: q1?.id,
        text: "《实施方案》",
        mode: "replace",
      });
      expect(o.replies[0]?.buttons?.[0]?.map((b) => b.data)).toEqual([
        BUTTONS.append.pack(q1?.id ?? ""),
        BUTTONS.replace.pack(q1?.id ?? ""),
      ]);
    },
  },
  {
    name: "an answer to an answered question is an update",
    ctx: () => member("镇", [answer(q1?.id ?? "", "旧")]),
    input: text("新"),
    effects: ["saveAnswer", "setCursor"],
    replies: [INTERVIEW.ack("replace", q1?.text ?? ""), q2?.text ?? ""],
  },
  {
    name: "an empty answer saves nothing",
    ctx: () => member(),
    input: text("   "),
    effects: [],
    replies: [TEXT.emptyText],
  },
  {
    name: "an answer over the limit saves nothing",
    ctx: () => member(),
    input: text("字".repeat(MAX_ANSWER_CHARS + 1)),
    effects: [],
    replies: [TEXT.tooLong(MAX_ANSWER_CHARS + 1, MAX_ANSWER_CHARS)],
  },
  {
    name: "补充 sets a pending append",
    ctx: () => member("镇", [answer(q1?.id ?? "", "旧")]),
    input: button(BUTTONS.append.pack(q1?.id ?? "")),
    effects: ["setCursor"],
    replies: [INTERVIEW.pending("append", q1?.text ?? "")],
    check: (o) =>
      expect(o.effects[0]).toMatchObject({
        cursor: { pending: { mode: "append", questionId: q1?.id } },
      }),
  },
  {
    name: "a button for a question that does not exist is stale",
    ctx: () => member(),
    input: button(BUTTONS.append.pack("intro.nothing")),
    effects: [],
    replies: [TEXT.staleButton],
  },
  {
    name: "data of no button kind is stale",
    ctx: () => member(),
    input: button("zz:1:2"),
    effects: [],
    replies: [TEXT.staleButton],
  },
  {
    name: "/back on the first question says so",
    ctx: () => member(),
    input: command("back"),
    effects: [],
    replies: [TEXT.noPrevious],
  },
  {
    name: "/skip moves on to the next question",
    ctx: () => member(),
    input: command("skip"),
    effects: ["setCursor"],
    replies: [TEXT.skipped(q1?.text ?? ""), q2?.text ?? ""],
  },
  {
    name: "/history takes a section name and the question number users see",
    ctx: () => member("镇", [answer(enforcement[2]?.id ?? "", "执法人员18名")]),
    input: command("history", "执法 3"),
    effects: [],
    replies: [INTERVIEW.versions(enforcement[2]?.text ?? "", 1)],
  },
  {
    name: "/history of a question without answer says so",
    ctx: () => member(),
    input: command("history", "执法 1"),
    effects: [],
    replies: [INTERVIEW.noAnswerYet(enforcement[0]?.text ?? "")],
  },
  {
    name: "/history of something unknown explains the Chinese usage",
    ctx: () => member(),
    input: command("history", "执法 99"),
    effects: [],
    replies: [TEXT.historyUsage],
  },
  {
    name: "/edit 执法 2 asks for a new answer to that question",
    ctx: () => member(),
    input: command("edit", "执法 2"),
    effects: ["setCursor"],
    replies: [INTERVIEW.pending("replace", enforcement[1]?.text ?? "")],
  },
  {
    name: "/edit with a section name lists its questions",
    ctx: () => member(),
    input: command("edit", "执法"),
    effects: [],
    replies: ["【（五）坚持严格规范公正文明执法】"],
    check: (o) => expect(o.replies[0]?.buttons).toHaveLength(enforcement.length),
  },
  {
    name: "/cancel with nothing pending says so",
    ctx: () => member(),
    input: command("cancel"),
    effects: [],
    replies: [TEXT.nothingToCancel],
  },
  {
    name: "/cancel drops a pending edit and re-asks the current question",
    ctx: () => ({
      ...member(),
      cursor: { questionId: q1?.id ?? null, pending: { mode: "append", questionId: q2?.id ?? "" } },
    }),
    input: command("cancel"),
    effects: ["setCursor", "setCursor"],
    replies: [TEXT.cancelled, q1?.text ?? ""],
  },
  {
    name: "a code that cannot be used is refused",
    ctx: () => stranger(),
    input: { kind: "join", code: "WRONG123", lookup: { problem: "unknown" } },
    effects: [],
    replies: [TEXT.joinRefused("WRONG123", "unknown")],
  },
  {
    name: "a valid code joins the org and asks a question",
    ctx: () => stranger(),
    input: { kind: "join", code: "ABCDEFGH", lookup: { org: orgOf("街道") } },
    effects: ["useInvite", "addMember", "setRegistration", "setCursor"],
    replies: [
      INTERVIEW.joined("城关街道", 2025),
      templateForKind(raw, "街道").sections[0]?.questions[0]?.text ?? "",
    ],
  },
  {
    name: "a member's code is not looked at",
    ctx: () => member(),
    input: { kind: "join", code: "ABCDEFGH", lookup: { problem: "unknown" } },
    effects: [],
    replies: [INTERVIEW.alreadyMember("洪梅镇")],
  },
];

describe("respond()", () => {
  it.each(ROWS)("$name", (row) => {
    const outcome = respond(row.ctx(), row.input);
    expect(outcome.effects.map((e) => e.kind)).toEqual(row.effects);
    expect(outcome.replies).toHaveLength(row.replies.length);
    row.replies.forEach((expected, i) => {
      expect(outcome.replies[i]?.text).toContain(expected);
    });
    row.check?.(outcome);
  });

  it("never shows a question's id", () => {
    const ctx = member();
    for (const input of [
      command("next"),
      command("sections"),
      command("missing"),
      command("status"),
    ]) {
      for (const reply of respond(ctx, input).replies) {
        expect(reply.text).not.toMatch(/\b[a-z]+(?:-[a-z]+)*\.[a-z]+(?:-[a-z]+)*\b/);
      }
    }
  });
});

describe("wording per kind of office", () => {
  const party = questionsOf(raw).find(
    (q) => q.text.includes("{party}") && q.text.includes("{head}"),
  );
  it.each([
    ["镇", "镇党委书记、镇长"],
    ["乡", "乡党委书记、乡长"],
    ["街道", "街道党工委书记、办事处主任"],
  ] as const)("a %s reads its own committee and head", (kind, words) => {
    const ctx = { ...member(kind), cursor: { questionId: party?.id ?? null, pending: null } };
    // /start re-asks the current question (/next would go to a required one first).
    const reply = respond(ctx, command("start")).replies.at(-1);
    const [partyWord, headWord] = words.split("书记、");
    expect(reply?.text).toContain(partyWord);
    expect(reply?.text).toContain(headWord);
    expect(reply?.text).not.toMatch(/[{}]|（乡、街道）|党委（党工委）/);
  });
});
