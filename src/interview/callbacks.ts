import { ORG_KINDS } from "../domain/types.js";

/**
 * Every kind of inline button the bot makes, in one place: each is defined once with the fields
 * it carries, and the same definition builds its data (`pack`) and parses it back (`unpack`), so
 * no handler reads callback data by hand. The access tests try each kind from a stranger, so none
 * can be forgotten. Data stays "prefix:field:field" (well under Telegram's 64 bytes).
 */

/** One field of a button's data: how it is written and read back (undefined = malformed). */
interface Field<T> {
  // Method syntax: a Field<string> is then also a Field<unknown> for the tuple below.
  write(value: T): string;
  read(raw: string): T | undefined;
}

/** A template id (section or question), as the YAML files spell them. */
const templateId: Field<string> = {
  write: String,
  read: (raw) => (/^[a-z0-9][a-z0-9.-]*$/.test(raw) ? raw : undefined),
};

/** A Telegram user id (0 = nobody) or a year. */
const integer: Field<number> = {
  write: String,
  read: (raw) => (/^\d{1,15}$/.test(raw) ? Number(raw) : undefined),
};

/** The random id of an upload held in memory (features/importing.ts). */
const uploadId: Field<string> = {
  write: String,
  read: (raw) => (/^[A-Za-z0-9_-]{8,24}$/.test(raw) ? raw : undefined),
};

function oneOf<const T extends string>(values: readonly T[]): Field<T> {
  return { write: String, read: (raw) => values.find((v) => v === raw) };
}

type Values<F extends readonly Field<unknown>[]> = Extract<
  { -readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never },
  unknown[]
>;

export interface ButtonKind<P extends string, V extends unknown[]> {
  prefix: P;
  /** What the button does, for maintainers (the registry below). */
  description: string;
  /** Matches this kind's data (for grammY's callbackQuery filter). */
  filter: RegExp;
  pack: (...values: V) => string;
  unpack: (data: string) => V | undefined;
}

function button<const P extends string, const F extends readonly Field<unknown>[]>(
  prefix: P,
  description: string,
  ...fields: F
): ButtonKind<P, Values<F>> {
  return {
    prefix,
    description,
    filter: new RegExp(`^${prefix}:`),
    pack: (...values) => [prefix, ...fields.map((f, i) => f.write(values[i]))].join(":"),
    unpack: (data) => {
      const [head, ...raw] = data.split(":");
      if (head !== prefix || raw.length !== fields.length) return undefined;
      const values = fields.map((f, i) => f.read(raw[i] ?? ""));
      return values.includes(undefined) ? undefined : (values as Values<F>);
    },
  };
}

export const EXPORT_FORMATS = ["docx", "md"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const INVITE_KINDS = ["once", "days"] as const;
export type InviteKind = (typeof INVITE_KINDS)[number];

export const UPLOAD_KINDS = ["check", "last", "material"] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];
export const CANDIDATE_ACTIONS = ["adopt", "edit", "skip"] as const;
export type CandidateAction = (typeof CANDIDATE_ACTIONS)[number];
export const REGISTER_CHOICES = ["adopt", "self"] as const;
export type RegisterChoice = (typeof REGISTER_CHOICES)[number];

export const BUTTONS = {
  append: button("ap", "append to an answer (question)", templateId),
  replace: button("re", "replace an answer (question)", templateId),
  edit: button("ed", "edit an answer (question)", templateId),
  section: button("sec", "go to a section (section)", templateId),
  editSection: button("edsec", "list a section's questions to edit (section)", templateId),
  kind: button("kind", "registration: kind of org", oneOf(ORG_KINDS)),
  year: button("year", "registration: report year", integer),
  export: button("export", "send the latest draft as a file", oneOf(EXPORT_FORMATS)),
  invite: button("inv", "admin: make an invite code", oneOf(INVITE_KINDS)),
  assignSection: button("as", "admin: pick a section to assign (section)", templateId),
  assignMember: button(
    "asm",
    "admin: assign a section to a member (section, user; 0 = nobody)",
    templateId,
    integer,
  ),
  remove: button("rm", "admin: ask to remove a member (user)", integer),
  removeConfirmed: button("rmok", "admin: remove a member (user)", integer),
  handOver: button("adm", "admin: ask to hand over admin (user)", integer),
  handOverConfirmed: button("admok", "admin: hand over admin (user)", integer),
  upload: button(
    "up",
    "an uploaded file is: a report to check, last year's report, a material (upload)",
    uploadId,
    oneOf(UPLOAD_KINDS),
  ),
  candidate: button(
    "cand",
    "adopt, edit or skip a candidate answer from a material (upload, candidate no.)",
    uploadId,
    integer,
    oneOf(CANDIDATE_ACTIONS),
  ),
  register: button(
    "reg",
    "not yet registered: register the office last year's report names, or type it (upload)",
    uploadId,
    oneOf(REGISTER_CHOICES),
  ),
} as const;

export type CallbackPrefix = (typeof BUTTONS)[keyof typeof BUTTONS]["prefix"];

/** Prefix → description of every button kind (the access tests iterate it). */
export const CALLBACKS = Object.fromEntries(
  Object.values(BUTTONS).map((b) => [b.prefix, b.description]),
) as Record<CallbackPrefix, string>;
