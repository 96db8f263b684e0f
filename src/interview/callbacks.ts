/**
 * Every kind of inline-button data the bot makes, in one place: buttons are built from these
 * prefixes only, and the access tests try each one from a stranger, so none can be forgotten.
 */
export const CALLBACKS = {
  ap: "append to an answer (ap:question)",
  re: "replace an answer (re:question)",
  ed: "edit an answer (ed:question)",
  sec: "go to a section (sec:section)",
  edsec: "list a section's questions to edit (edsec:section)",
  kind: "registration: kind of org (kind:镇)",
  year: "registration: report year (year:2025)",
  export: "send the latest draft as a file (export:docx|md)",
  inv: "admin: make an invite code (inv:once|days)",
  as: "admin: pick a section to assign (as:section)",
  asm: "admin: assign a section to a member (asm:section:user, user 0 = nobody)",
  rm: "admin: ask to remove a member (rm:user)",
  rmok: "admin: remove a member (rmok:user)",
  adm: "admin: ask to hand over admin (adm:user)",
  admok: "admin: hand over admin (admok:user)",
} as const;

export type CallbackPrefix = keyof typeof CALLBACKS;

export function callbackData(prefix: CallbackPrefix, ...args: (string | number)[]): string {
  return [prefix, ...args].join(":");
}
