import type { Update } from "grammy/types";
import { COMMANDS } from "../../src/bot/commands.js";
import { LOCAL_BOT_INFO } from "../../src/bot/local-api.js";
import { CALLBACKS } from "../../src/interview/callbacks.js";
import { questionsOf } from "../../src/interview/progress.js";
import { questionReply } from "../../src/interview/views.js";
import { CHECKING } from "../../src/messages/zh.js";
import { template } from "../helpers/harness.js";
import type { Rng } from "./rng.js";
import {
  giantText,
  mixedText,
  randomCode,
  randomName,
  randomText,
  whitespaceOnly,
} from "./text.js";

/** Who sent an update, as far as the state rules are concerned. */
export type Who =
  | { kind: "orgA" | "orgB" | "stranger"; id: number }
  /** No person: channel posts, polls, messages without `from`, other bots. */
  | { kind: "nobody" };

export type Person = Extract<Who, { id: number }>;

/** The kinds of update the fuzz test sends, with their share of the run. */
export const KIND_WEIGHTS = [
  ["text", 12],
  ["giant text", 2],
  ["command", 16],
  ["unknown command", 4],
  ["command@bot", 4],
  ["callback", 14],
  ["callback without message", 2],
  ["callback in group/channel", 3],
  ["edited message", 4],
  ["channel post", 3],
  ["group message", 7],
  ["no from", 2],
  ["from a bot", 2],
  ["unknown chat", 3],
  ["media", 7],
  ["document", 4],
  ["poll", 2],
  ["chat member", 2],
  ["inline", 2],
  ["reply", 4],
  ["duplicate update_id", 3],
  ["registration step", 3],
  ["other update", 1],
] as const;

export type Kind = (typeof KIND_WEIGHTS)[number][0];

export interface FuzzUpdate {
  kind: Kind;
  who: Who;
  update: Update;
}

/** What the fuzz world holds: the ids the forged updates aim at. */
export interface World {
  a1: number;
  a2: number;
  b1: number;
  /** Org A's invite code: only org B's admin tries it (a stranger would rightly join org A). */
  codeA: string;
  strangers: readonly number[];
  /** File ids getFile answers with a real path; any other id has no file_path. */
  localFiles: readonly string[];
}

type Json = Record<string, unknown>;

const ME: Json = { ...LOCAL_BOT_INFO };
const BOT_NAME = LOCAL_BOT_INFO.username;
/** 10 January 2026, the harness clock, in Unix seconds. */
const NOW_S = 1_768_010_400;
const QUESTIONS = questionsOf(template);
const QUESTION_IDS = QUESTIONS.map((q) => q.id);
const SECTION_IDS = template.sections.map((s) => s.id);
const COMMAND_NAMES = COMMANDS.map((c) => c.command);
const PREFIXES = Object.keys(CALLBACKS);
const OTHER_BOTS = [
  "otherbot",
  "some_other_bot",
  "FAZHI_REPORT_BOT",
  BOT_NAME,
  `${BOT_NAME}x`,
  "fazhi",
  "",
];

/** Builds random and malformed updates; every update is shaped as the Bot API sends it. */
export class UpdateFactory {
  #updateId = 100_000;
  #messageId = 500_000;
  readonly #recent: FuzzUpdate[] = [];

  constructor(
    readonly rng: Rng,
    readonly world: World,
  ) {}

  /** A random update of `kind` from `person` (some kinds have no person: `who` says so). */
  make(kind: Kind, person: Person): FuzzUpdate {
    if (kind === "duplicate update_id") {
      const again = this.#duplicate(person);
      if (again) return again;
      kind = "text";
    }
    const made = this.#build(kind, person);
    const update = { update_id: this.#nextUpdateId(), ...made.fields } as unknown as Update;
    return { kind, who: made.who, update };
  }

  /** Remembers a sent update, for duplicates. */
  sent(update: FuzzUpdate): void {
    this.#recent.push(update);
    if (this.#recent.length > 64) this.#recent.shift();
  }

  #nextUpdateId(): number {
    this.#updateId += this.rng.chance(0.05) ? this.rng.int(2, 1000) : 1;
    return this.#updateId;
  }

  #duplicate(person: Person): FuzzUpdate | undefined {
    const { rng } = this;
    const same = this.#recent.filter((u) => u.who.kind !== "orgA" || person.kind === "orgA");
    if (same.length === 0) return undefined;
    const old = rng.pick(same);
    if (rng.chance(0.6)) return { ...old, kind: "duplicate update_id" };
    // The same update_id with another body.
    const made = this.#build(rng.pick(["text", "command", "callback", "media"] as const), person);
    const update = { update_id: old.update.update_id, ...made.fields } as unknown as Update;
    return { kind: "duplicate update_id", who: made.who, update };
  }

  #build(kind: Exclude<Kind, "duplicate update_id">, person: Person): { who: Who; fields: Json } {
    const { rng } = this;
    const user = this.#user(person);
    const own = this.#privateChat(user);
    const as = (fields: Json): { who: Who; fields: Json } => ({ who: person, fields });
    const nobody = (fields: Json): { who: Who; fields: Json } => ({
      who: { kind: "nobody" },
      fields,
    });
    switch (kind) {
      case "text":
        return as({ message: this.#message(own, user, this.#text(randomText(rng))) });
      case "giant text":
        return as({ message: this.#message(own, user, this.#text(giantText(rng))) });
      case "command":
        return as({ message: this.#message(own, user, this.#text(this.#command(person))) });
      case "unknown command":
        return as({ message: this.#message(own, user, this.#text(this.#unknownCommand())) });
      case "command@bot":
        return as({ message: this.#message(own, user, this.#text(this.#commandAtBot(person))) });
      case "callback":
        return as({
          callback_query: this.#callback(user, this.#botMessage(own), () =>
            this.#callbackData(person),
          ),
        });
      case "callback without message":
        return as({
          callback_query: {
            ...this.#callback(user, undefined, () => this.#callbackData(person)),
            inline_message_id: mixedText(rng, rng.int(1, 30)),
          },
        });
      case "callback in group/channel": {
        const chat = rng.chance(0.8) ? this.#groupChat() : this.#channel();
        return as({
          callback_query: this.#callback(user, this.#botMessage(chat), () =>
            this.#callbackData(person),
          ),
        });
      }
      case "edited message": {
        const chat = rng.chance(0.7) ? own : this.#groupChat();
        const body = rng.chance(0.8) ? this.#text(this.#anyText(person)) : this.#media();
        const message = { ...this.#message(chat, user, body), edit_date: NOW_S + rng.int(1, 99) };
        return as({ edited_message: message });
      }
      case "channel post": {
        const chat = this.#channel();
        const body = rng.chance(0.7) ? this.#text(this.#anyText(person)) : this.#media();
        const message = { ...this.#message(chat, undefined, body), sender_chat: chat };
        return nobody(
          rng.chance(0.7)
            ? { channel_post: message }
            : { edited_channel_post: { ...message, edit_date: NOW_S + 5 } },
        );
      }
      case "group message":
        return as({ message: this.#message(this.#groupChat(), user, this.#groupBody(person)) });
      case "no from": {
        const chat = rng.chance(0.5) ? own : this.#groupChat();
        const body = this.#text(this.#anyText(person));
        const extra = chat.type === "private" ? {} : { sender_chat: chat };
        return nobody({ message: { ...this.#message(chat, undefined, body), ...extra } });
      }
      case "from a bot": {
        const bot = {
          id: rng.int(800_000_001, 800_000_009),
          is_bot: true,
          first_name: randomName(rng),
          username: `fuzz${rng.int(1, 9)}_bot`,
        };
        const chat = rng.chance(0.5) ? this.#privateChat(bot) : this.#groupChat();
        const body = rng.chance(0.7) ? this.#text(this.#anyText(person)) : this.#media();
        return nobody({ message: this.#message(chat, bot, body) });
      }
      case "unknown chat": {
        const chat = {
          id: rng.int(3_000_000_000, 9_000_000_000),
          type: "private",
          first_name: "?",
        };
        return as({ message: this.#message(chat, user, this.#text(this.#anyText(person))) });
      }
      case "media": {
        const chat = rng.chance(0.85) ? own : this.#groupChat();
        return as({ message: this.#message(chat, user, this.#media()) });
      }
      case "document":
        return as({ message: this.#message(own, user, this.#document()) });
      case "poll":
        return this.#poll(person, user, own);
      case "chat member":
        return as(this.#chatMember(user, own));
      case "inline":
        return as(
          rng.chance(0.7)
            ? {
                inline_query: {
                  id: String(rng.int(1, 1e9)),
                  from: user,
                  query: randomText(rng),
                  offset: rng.chance(0.8) ? "" : mixedText(rng, 5),
                  ...(rng.chance(0.5)
                    ? { chat_type: rng.pick(["sender", "private", "group"]) }
                    : {}),
                },
              }
            : {
                chosen_inline_result: {
                  result_id: mixedText(rng, rng.int(1, 64)),
                  from: user,
                  query: randomText(rng),
                },
              },
        );
      case "reply": {
        const body = this.#text(this.#replyText(person));
        const message = { ...this.#message(own, user, body), reply_to_message: this.#replied(own) };
        return as({ message });
      }
      case "other update":
        return this.#other(person, user, own);
      case "registration step":
        return as(this.#registrationStep(user, own));
    }
  }

  /**
   * One plausible step of registering an org, in random order: strangers sometimes finish one
   * and then fuzz as the admin of an org of their own (aiming at org A's members and sections).
   */
  #registrationStep(user: Json, own: Json): Json {
    const { rng } = this;
    const text = (value: string) => ({ message: this.#message(own, user, this.#text(value)) });
    const button = (data: string) => ({
      callback_query: this.#callback(user, this.#botMessage(own), () => data),
    });
    return rng.pick<() => Json>([
      () => text("/start"),
      () => text(`${mixedText(rng, rng.int(1, 6))}${rng.pick(["镇", "乡", "街道"])}`),
      () => button(`kind:${rng.pick(["镇", "乡", "街道"])}`),
      () => text(rng.pick(["东莞市", "砚山县", "武侯区", mixedText(rng, rng.int(2, 10))])),
      () => button(`year:${rng.pick(["2025", "2024"])}`),
      () => text(rng.pick(["2025", "默认", "2025年度"])),
    ])();
  }

  /** Text of any sort: free text, a command, an unknown command, a command for another bot. */
  #anyText(person: Person): string {
    const { rng } = this;
    return rng.weighted<() => string>([
      [() => randomText(rng), 5],
      [() => this.#command(person), 4],
      [() => this.#unknownCommand(), 1],
      [() => this.#commandAtBot(person), 1],
    ])();
  }

  #user(person: Person): Json {
    const { rng } = this;
    const fixed: Record<number, string> = {
      [this.world.a1]: "小王",
      [this.world.a2]: "老李",
      [this.world.b1]: "小赵",
    };
    const name = fixed[person.id];
    return {
      id: person.id,
      is_bot: false,
      first_name: name !== undefined && rng.chance(0.8) ? name : randomName(rng),
      ...(rng.chance(0.3) ? { last_name: randomName(rng) } : {}),
      ...(rng.chance(0.3) ? { username: `u${person.id}` } : {}),
      ...(rng.chance(0.5) ? { language_code: rng.pick(["zh-hans", "en", "ar", "ug"]) } : {}),
    };
  }

  #privateChat(user: Json): Json {
    return { id: user.id, type: "private", first_name: user.first_name };
  }

  #groupChat(): Json {
    const { rng } = this;
    return rng.chance(0.5)
      ? { id: -rng.int(1, 999_999_999), type: "group", title: randomName(rng) }
      : {
          id: -1_000_000_000_000 - rng.int(1, 999_999_999),
          type: "supergroup",
          title: randomName(rng),
          ...(rng.chance(0.3) ? { is_forum: true } : {}),
        };
  }

  #channel(): Json {
    const { rng } = this;
    return { id: -1_000_000_000_000 - rng.int(1, 999_999_999), type: "channel", title: "频道" };
  }

  #message(chat: Json, from: Json | undefined, body: Json): Json {
    const { rng } = this;
    this.#messageId += 1;
    return {
      message_id: rng.chance(0.97) ? this.#messageId : rng.pick([0, 1, 2 ** 31 - 1]),
      date: rng.chance(0.95) ? NOW_S : rng.pick([0, 1, 2 ** 31 - 1]),
      chat,
      ...(from ? { from } : {}),
      ...body,
    };
  }

  /** A message the bot sent, as a callback query or a reply carries it. */
  #botMessage(chat: Json): Json {
    const { rng } = this;
    return {
      message_id: rng.int(0, this.#messageId),
      date: rng.chance(0.9) ? NOW_S : 0,
      chat,
      from: ME,
      text: rng.chance(0.5) ? "" : randomText(rng),
    };
  }

  /** Text with the entities Telegram marks: a leading /command, sometimes formatting. */
  #text(text: string): Json {
    const { rng } = this;
    const entities: Json[] = [];
    const command = /^\/[A-Za-z0-9_@]+/.exec(text);
    if (command) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
    if (text.length > 2 && rng.chance(0.1)) {
      const offset = rng.int(0, text.length - 1);
      const length = rng.int(1, text.length - offset);
      const type = rng.pick(["bold", "italic", "url", "mention", "spoiler", "code", "hashtag"]);
      entities.push({ type, offset, length });
    }
    return { text, ...(entities.length ? { entities } : {}) };
  }

  /** A known command with random arguments, some aimed at org A. */
  #command(person: Person): string {
    const { rng } = this;
    const name = rng.pick(COMMAND_NAMES);
    const arg = this.#commandArg(name, person);
    const separator = rng.pick([" ", " ", " ", "  ", "\n", "\t", "\u3000"]);
    return arg === "" && rng.chance(0.8) ? `/${name}` : `/${name}${separator}${arg}`;
  }

  #commandArg(name: string, person: Person): string {
    const { rng } = this;
    const junk = () => randomText(rng);
    const options: Record<string, (() => string)[]> = {
      start: [() => "", () => this.#code(person), junk],
      join: [() => "", () => this.#code(person), () => this.#code(person), junk],
      edit: [
        () => "",
        () => "xyz",
        () => rng.pick(QUESTION_IDS),
        () => rng.pick(SECTION_IDS),
        junk,
      ],
      history: [() => "", () => "../../", () => rng.pick(QUESTION_IDS), junk],
      revise: [
        () => `9999 ${mixedText(rng, 10)}`,
        () => `${rng.pick(SECTION_IDS)} ${mixedText(rng, rng.int(1, 60))}`,
        () => rng.pick(SECTION_IDS),
        () => `执法 ${mixedText(rng, 5)}`,
        junk,
        () => "",
      ],
      deadline: [
        () => "",
        () => "1900-01-01",
        () => "2026-03-01",
        () => "3月15日",
        () => "2099-12-31",
        () => "2026-02-30",
        () => "13/45",
        () => "0000-00-00",
        () => `${rng.int(1, 12)}/${rng.int(1, 31)}`,
        junk,
      ],
      check: [() => "", junk, () => mixedText(rng, rng.int(500, 5000))],
      export: [() => "", () => "md", () => "markdown", () => "pdf", junk],
      invite: [() => "", () => "once", () => "1", () => "days", junk],
    };
    return rng.pick(options[name] ?? [() => "", junk])();
  }

  /** An invite code to try: random, and org A's real one only from org B's admin. */
  #code(person: Person): string {
    const { rng } = this;
    if (person.kind === "orgB" && rng.chance(0.3)) return this.world.codeA;
    const code = randomCode(rng);
    return code.toUpperCase().includes(this.world.codeA) ? "ABCDEFGH" : code;
  }

  #unknownCommand(): string {
    const { rng } = this;
    const known = rng.pick(COMMAND_NAMES);
    const name = rng.pick([
      "foo",
      "xyz",
      "settings",
      "admin",
      "delete",
      "a".repeat(64),
      "a".repeat(rng.int(65, 300)),
      "_",
      "123",
      known.toUpperCase(),
      known[0]?.toUpperCase() + known.slice(1),
      `${known}s`,
      `${known}_`,
      mixedText(rng, rng.int(1, 10)),
    ]);
    return rng.chance(0.6) ? `/${name}` : `/${name} ${randomText(rng)}`;
  }

  #commandAtBot(person: Person): string {
    const { rng } = this;
    const bot = rng.pick(OTHER_BOTS);
    const command = rng.chance(0.85) ? rng.pick(COMMAND_NAMES) : "foo";
    const arg = this.#commandArg(command, person);
    return `/${command}@${bot}${arg ? ` ${arg}` : ""}`;
  }

  /** Button data: every prefix with ids of org A, org B and strangers, and malformed data. */
  #callbackData(person: Person): string {
    const { rng } = this;
    const { a1, a2, b1, strangers } = this.world;
    const userId = () =>
      String(
        rng.pick<number | string>([
          a1,
          a2,
          b1,
          rng.pick(strangers),
          person.id,
          0,
          "0001002",
          "99999999999999999999",
          -1,
          2 ** 53,
        ]),
      );
    const section = () => (rng.chance(0.8) ? rng.pick(SECTION_IDS) : mixedText(rng, 6));
    const question = () => (rng.chance(0.8) ? rng.pick(QUESTION_IDS) : mixedText(rng, 8));
    const args: Record<string, () => string> = {
      ap: question,
      re: question,
      ed: question,
      sec: section,
      edsec: section,
      kind: () => rng.pick(["乡", "镇", "街道", "市", "", mixedText(rng, 3)]),
      year: () => rng.pick(["2025", "2024", "1999", "2027", "99999", "-1", "", mixedText(rng, 4)]),
      export: () => rng.pick(["docx", "md", "pdf", "", "docx:md"]),
      inv: () => rng.pick(["once", "days", "forever", "", "once:1"]),
      as: section,
      asm: () => `${section()}:${userId()}`,
      rm: userId,
      rmok: userId,
      adm: userId,
      admok: userId,
    };
    return rng.weighted<() => string>([
      [
        () => {
          const prefix = rng.pick(PREFIXES);
          return `${prefix}:${args[prefix]?.() ?? ""}`;
        },
        8,
      ],
      // Over Telegram's 64 bytes.
      [() => `${rng.pick(PREFIXES)}:${"x".repeat(rng.int(60, 600))}`, 1],
      // No colon.
      [() => rng.pick([...PREFIXES, "", "ok", mixedText(rng, 5)]), 1],
      [() => `${rng.pick(PREFIXES)}:${mixedText(rng, rng.int(1, 40))}`, 1],
      [() => rng.pick([":", "::", ":::", "asm::", `asm:enforcement:${a2}:1`, `rmok:${a2}:x`]), 1],
    ])();
  }

  /** A button press; `data` says what the button carries (a few presses carry a game instead). */
  #callback(user: Json, message: Json | undefined, data: () => string): Json {
    const { rng } = this;
    const base = {
      id: String(rng.int(1, 1e12)),
      from: user,
      chat_instance: String(rng.int(-1e12, 1e12)),
      ...(message ? { message } : {}),
    };
    if (rng.chance(0.03)) return { ...base, game_short_name: mixedText(rng, 8) };
    return { ...base, data: data() };
  }

  #groupBody(person: Person): Json {
    const { rng } = this;
    return rng.weighted<() => Json>([
      [() => this.#text(this.#anyText(person)), 6],
      [() => this.#media(), 2],
      [() => ({ new_chat_members: [ME, this.#user(person)] }), 1],
      [() => ({ left_chat_member: rng.chance(0.5) ? ME : this.#user(person) }), 1],
      [() => ({ group_chat_created: true }), 0.5],
      [() => ({ migrate_to_chat_id: -1_000_000_000_000 - rng.int(1, 999) }), 0.5],
      [() => ({ new_chat_title: randomName(rng) }), 0.5],
    ])();
  }

  /** Anything that is not text, with a random caption sometimes. */
  #media(): Json {
    const { rng } = this;
    const file = () => ({
      file_id: `f${rng.int(1, 1e9)}`,
      file_unique_id: `u${rng.int(1, 1e9)}`,
      ...(rng.chance(0.7) ? { file_size: rng.int(0, 50_000_000) } : {}),
    });
    const caption = rng.chance(0.3)
      ? { caption: rng.chance(0.3) ? `/status ${randomText(rng)}` : randomText(rng) }
      : {};
    const body = rng.weighted<() => Json>([
      [
        () => ({
          photo: [
            { ...file(), width: 90, height: 90 },
            { ...file(), width: 1280, height: 960 },
          ],
        }),
        3,
      ],
      [
        () => ({
          sticker: {
            ...file(),
            type: "regular",
            width: 512,
            height: 512,
            is_animated: rng.chance(0.3),
            is_video: false,
            emoji: "😀",
          },
        }),
        3,
      ],
      [() => ({ voice: { ...file(), duration: rng.int(0, 3600), mime_type: "audio/ogg" } }), 2],
      [() => ({ video: { ...file(), width: 640, height: 480, duration: rng.int(0, 600) } }), 1],
      [() => ({ animation: { ...file(), width: 320, height: 240, duration: 3 } }), 1],
      [() => ({ audio: { ...file(), duration: 200, title: randomName(rng) } }), 1],
      [() => ({ video_note: { ...file(), length: 240, duration: 10 } }), 1],
      [
        () => ({
          location: { latitude: rng.next() * 180 - 90, longitude: rng.next() * 360 - 180 },
        }),
        1,
      ],
      [() => ({ contact: { phone_number: mixedText(rng, 11), first_name: randomName(rng) } }), 1],
      [() => ({ dice: { emoji: "🎲", value: rng.int(1, 6) } }), 1],
      [
        () => ({
          venue: {
            location: { latitude: 22.9, longitude: 113.7 },
            title: randomName(rng),
            address: randomText(rng),
          },
        }),
        0.5,
      ],
    ])();
    return { ...body, ...(body.photo || body.video || body.animation ? caption : {}) };
  }

  /** A document with a random name and size; only a few ids can be downloaded. */
  #document(): Json {
    const { rng } = this;
    const name = rng.pick<string | undefined>([
      "报告.docx",
      "report.txt",
      "法治政府建设情况报告.md",
      "REPORT.TXT",
      "x.doc",
      "x.wps",
      "x.pdf",
      "a.docx.exe",
      "../../etc/passwd",
      "no_extension",
      ".docx",
      `${"很长的文件名".repeat(50)}.txt`,
      "nul\u0000.txt",
      "😀.md",
      "\u202Etxt.exe",
      `${mixedText(rng, rng.int(1, 60))}.${rng.pick(["txt", "md", "docx", "zip", ""])}`,
      undefined,
    ]);
    const size = rng.pick<number | undefined>([
      undefined,
      0,
      1,
      rng.int(2, 100_000),
      5 * 1024 * 1024,
      5 * 1024 * 1024 + 1,
      2 ** 31,
      Number.MAX_SAFE_INTEGER,
    ]);
    const local = this.world.localFiles;
    const fileId = local.length > 0 && rng.chance(0.35) ? rng.pick(local) : `doc${rng.int(1, 1e9)}`;
    return {
      document: {
        file_id: fileId,
        file_unique_id: `u${fileId}`,
        ...(name === undefined ? {} : { file_name: name }),
        ...(size === undefined ? {} : { file_size: size }),
        ...(rng.chance(0.5)
          ? { mime_type: rng.pick(["text/plain", "application/octet-stream", "image/png", ""]) }
          : {}),
      },
      ...(rng.chance(0.2) ? { caption: randomText(rng) } : {}),
    };
  }

  #poll(person: Person, user: Json, own: Json): { who: Who; fields: Json } {
    const { rng } = this;
    const poll = {
      id: String(rng.int(1, 1e9)),
      question: randomText(rng).slice(0, 300),
      options: [
        { text: "是", voter_count: rng.int(0, 9) },
        { text: randomName(rng), voter_count: 0 },
      ],
      total_voter_count: rng.int(0, 9),
      is_closed: rng.chance(0.5),
      is_anonymous: rng.chance(0.5),
      type: rng.pick(["regular", "quiz"]),
      allows_multiple_answers: false,
    };
    const choice = rng.int(0, 2);
    if (choice === 0) {
      const chat = rng.chance(0.5) ? own : this.#groupChat();
      return { who: person, fields: { message: this.#message(chat, user, { poll }) } };
    }
    if (choice === 1) return { who: { kind: "nobody" }, fields: { poll } };
    return {
      who: person,
      fields: { poll_answer: { poll_id: poll.id, user, option_ids: [rng.int(0, 1)] } },
    };
  }

  #chatMember(user: Json, own: Json): Json {
    const { rng } = this;
    const chat = rng.chance(0.5) ? own : this.#groupChat();
    const status = () => rng.pick(["member", "kicked", "left", "administrator", "restricted"]);
    const member = (who: Json) => {
      const s = status();
      return {
        user: who,
        status: s,
        ...(s === "kicked" || s === "restricted" ? { until_date: 0 } : {}),
      };
    };
    const change = {
      chat,
      from: user,
      date: NOW_S,
      old_chat_member: member(ME),
      new_chat_member: member(ME),
    };
    return rng.weighted<() => Json>([
      [() => ({ my_chat_member: change }), 3],
      [
        () => ({
          chat_member: { ...change, old_chat_member: member(user), new_chat_member: member(user) },
        }),
        2,
      ],
      [
        () => ({
          chat_join_request: {
            chat: this.#groupChat(),
            from: user,
            user_chat_id: user.id,
            date: NOW_S,
          },
        }),
        1,
      ],
    ])();
  }

  /** Reply text: anything, or what a reply may carry for the check prompt or a question. */
  #replyText(person: Person): string {
    const { rng } = this;
    return rng.chance(0.2) ? whitespaceOnly(rng) : this.#anyText(person);
  }

  /** The message a reply answers: a question, the check prompt, anything, someone else's. */
  #replied(own: Json): Json {
    const { rng } = this;
    const question = rng.pick(QUESTIONS);
    const text = rng.weighted<() => string | undefined>([
      [() => questionReply(template, question, new Map()).text, 3],
      [() => `${CHECKING.prompt}${rng.chance(0.5) ? "" : mixedText(rng, 20)}`, 2],
      [() => randomText(rng), 2],
      [() => undefined, 1],
    ])();
    const from = rng.chance(0.8)
      ? ME
      : { id: rng.pick([this.world.a1, this.world.b1, 42]), is_bot: false, first_name: "某人" };
    return {
      message_id: rng.int(0, this.#messageId),
      date: NOW_S,
      chat: own,
      from,
      ...(text === undefined
        ? { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }
        : { text }),
    };
  }

  #other(person: Person, user: Json, own: Json): { who: Who; fields: Json } {
    const { rng } = this;
    const choice = rng.int(0, 3);
    if (choice === 0) {
      return {
        who: person,
        fields: {
          message_reaction: {
            chat: own,
            message_id: rng.int(1, this.#messageId),
            user,
            date: NOW_S,
            old_reaction: [],
            new_reaction: [{ type: "emoji", emoji: "👍" }],
          },
        },
      };
    }
    if (choice === 1) {
      return {
        who: person,
        fields: {
          pre_checkout_query: {
            id: String(rng.int(1, 1e9)),
            from: user,
            currency: "XTR",
            total_amount: rng.int(1, 100),
            invoice_payload: randomText(rng),
          },
        },
      };
    }
    if (choice === 2) {
      return {
        who: person,
        fields: {
          shipping_query: {
            id: String(rng.int(1, 1e9)),
            from: user,
            invoice_payload: randomText(rng),
            shipping_address: {
              country_code: "CN",
              state: "",
              city: "东莞",
              street_line1: randomText(rng),
              street_line2: "",
              post_code: "523000",
            },
          },
        },
      };
    }
    return {
      who: { kind: "nobody" },
      fields: {
        message_reaction_count: {
          chat: this.#groupChat(),
          message_id: rng.int(1, 1000),
          date: NOW_S,
          reactions: [{ type: { type: "emoji", emoji: "🔥" }, total_count: rng.int(1, 99) }],
        },
      },
    };
  }
}
