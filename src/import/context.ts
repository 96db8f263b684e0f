import { join } from "node:path";
import { type CheckerRules, loadCheckerRules } from "../check/rules.js";
import type { Template } from "../template/load.js";
import { type ImportRules, loadImportRules } from "./rules.js";

/** Everything the import core reads: the template, the checker's rules and extract.yaml. */
export interface ImportContext {
  template: Template;
  checker: CheckerRules;
  rules: ImportRules;
}

/** Loads the context of a report-type folder (the one `template` was read from). */
export function loadImportContext(dir: string, template: Template): ImportContext {
  const checker = loadCheckerRules(join(dir, "checker.yaml"));
  return { template, checker, rules: loadImportRules(dir, template, checker) };
}
