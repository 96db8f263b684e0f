import type { FileFlavor } from "@grammyjs/files";
import type { Context } from "grammy";

/** The bot's context: grammY's, with the files plugin's download methods on getFile. */
export type BotContext = FileFlavor<Context>;
