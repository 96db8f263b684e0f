import type { CommandName } from "../interview/types.js";

export { COMMANDS, isKnownCommand } from "../messages/commands.js";

/** Commands the interview core answers (the rest go to the team, drafting and export features). */
export const INTERVIEW_COMMANDS: readonly CommandName[] = [
  "start",
  "join",
  "next",
  "skip",
  "back",
  "sections",
  "edit",
  "status",
  "missing",
  "help",
  "cancel",
  "history",
];
