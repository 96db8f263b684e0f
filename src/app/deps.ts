import type { DrafterDeps } from "../draft/drafter.js";
import type { ImportContext } from "../import/context.js";
import type { Store } from "../store/store.js";
import type { Template } from "../template/load.js";

/** What every use case may need; channels (bot, terminal chat, CLI) build it once. */
export interface AppDeps {
  store: Store;
  /** The report type in use, as registered (placeholders unfilled). */
  template: Template;
  now: () => Date;
  drafter: DrafterDeps;
  /** Reading last year's report and materials; with it, checks and drafts account for last year's plans. */
  imports?: ImportContext;
}
