import type { Message, Update } from "grammy/types";
import { LOCAL_BOT_INFO } from "../../src/bot/local-api.js";
import { MAX_ANSWER_CHARS } from "../../src/interview/engine.js";
import { CHECKING } from "../../src/messages/zh.js";
import { parseDeadline } from "../../src/team/schedule.js";
import type { Template } from "../../src/template/load.js";
import { cleanText } from "../../src/text/sanitize.js";

/**
 * Whether an update from a member of org A should leave every stored byte as it is: what the
 * fuzz test lets org A's own members send. It errs on the side of "no": an update it calls
 * read-only and that changes anything fails the test.
 *
 * Read-only: reading commands (/status, /missing, /members, /history, /drafts, /export, /check…),
 * /edit or /revise of nothing, /deadline with no valid date, /start and /cancel with nothing
 * pending (they re-ask the current question, storing the same cursor), join attempts, menus,
 * stale or forged buttons, text that is empty or over the limit, commands for another bot or
 * in the wrong case, media, edits, and anything in a group except a valid group command.
 * Not read-only: answers, /next /skip /back, /draft, /invite, valid /edit, /revise, /deadline,
 * and the buttons that answer, navigate, invite, assign, remove or hand over.
 */
export interface OrgAView {
  template: Template;
  admin: number;
  colleague: number;
  reportYear: number;
  now: Date;
}

const GROUP_COMMANDS = new Set([
  "help",
  "status",
  "missing",
  "deadline",
  "signoff",
  "members",
  "check",
]);
const READING = new Set([
  "help",
  "status",
  "missing",
  "members",
  "drafts",
  "export",
  "check",
  "history",
  "sections",
  "assign",
  "start",
  "join",
  "cancel",
]);

export function readOnlyForOrgA(update: Update, userId: number, a: OrgAView): boolean {
  const admin = userId === a.admin;
  const query = update.callback_query;
  if (query) {
    const type = query.message?.chat.type;
    if (type !== undefined && type !== "private") return true; // refused in groups, ignored in channels
    return query.data === undefined || buttonIsReadOnly(query.data, admin, a);
  }
  const message = update.message;
  if (!message || message.text === undefined) return true;
  const command = leadingCommand(message);
  if (message.chat.type !== "private") {
    if (!command || !isForMe(command) || !GROUP_COMMANDS.has(command.name)) return true;
  }
  if (command) return commandIsReadOnly(command, admin, a);
  const replied = message.reply_to_message;
  if (replied?.from?.id === LOCAL_BOT_INFO.id && replied.text?.startsWith(CHECKING.prompt))
    return true;
  // As the interview measures it: after taking out the characters it never stores.
  const text = cleanText(message.text);
  return text === "" || Array.from(text).length > MAX_ANSWER_CHARS;
}

interface Command {
  /** As typed, without the slash and the @bot. */
  name: string;
  /** The @bot it is addressed to, if any. */
  bot: string | undefined;
  arg: string;
}

function leadingCommand(message: Message): Command | undefined {
  const text = message.text ?? "";
  const entity = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  if (!entity) return undefined;
  const [name = "", bot] = text.slice(1, entity.length).split("@");
  return { name, bot, arg: text.slice(entity.length).trim() };
}

function isForMe(command: Command): boolean {
  return command.bot === undefined || command.bot.toLowerCase() === LOCAL_BOT_INFO.username;
}

function commandIsReadOnly(command: Command, admin: boolean, a: OrgAView): boolean {
  // A command for another bot, unknown, or in the wrong case is not for this bot: nothing saved.
  if (!isForMe(command)) return true;
  const { name, arg } = command;
  if (READING.has(name)) return true;
  switch (name) {
    case "edit":
      return a.template.question(arg) === undefined;
    case "revise": {
      const [target = "", ...rest] = arg.split(/\s+/);
      return findSection(a.template, target) === undefined || rest.join(" ").trim() === "";
    }
    case "deadline":
      return arg === "" || !admin || parseDeadline(arg, a.reportYear, a.now) === undefined;
    case "signoff":
      return arg === "" || !admin; // an admin's date, or "默认", may change the org
    case "invite":
      return !admin || arg === ""; // the bare command only shows the two kinds
    case "next":
    case "skip":
    case "back":
    case "draft":
      return false;
    default:
      return true; // unknown, or a known one typed in another case
  }
}

/** As /revise finds a section: by id, or by a unique part of its title. */
function findSection(template: Template, key: string) {
  if (key === "") return undefined;
  const byId = template.section(key);
  if (byId) return byId;
  const matches = template.sections.filter((s) => s.title.includes(key));
  return matches.length === 1 ? matches[0] : undefined;
}

function buttonIsReadOnly(data: string, admin: boolean, a: OrgAView): boolean {
  if (/^export:(docx|md)$/.test(data)) return true;
  if (/^inv:(once|days)$/.test(data)) return !admin;
  if (/^(rm|adm):(\d+)$/.test(data)) return true;
  const take = /^(rmok|admok):(\d+)$/.exec(data);
  if (take) return !admin || Number(take[2]) !== a.colleague;
  if (/^as:([a-z0-9-]+)$/.test(data)) return true;
  const assign = /^asm:([a-z0-9-]+):(\d+)$/.exec(data);
  if (assign) {
    const userId = Number(assign[2]);
    const member = userId === 0 || userId === a.admin || userId === a.colleague;
    return !admin || a.template.section(assign[1] ?? "") === undefined || !member;
  }
  const colon = data.indexOf(":");
  const action = colon < 0 ? data : data.slice(0, colon);
  const id = colon < 0 ? "" : data.slice(colon + 1);
  if (action === "ap" || action === "re" || action === "ed") {
    return a.template.question(id) === undefined;
  }
  if (action === "sec") return a.template.section(id) === undefined;
  return true;
}
