import { loadChecker } from "../../src/check/checker.js";
import type { CheckOptions, CheckResult } from "../../src/check/types.js";
import { DEFAULT_TEMPLATE_DIR } from "../../src/template/load.js";

/** The checker of the default report type (prompts/township-annual), as the app builds it. */
export const checker = loadChecker(DEFAULT_TEMPLATE_DIR);

export function checkReport(text: string, options?: CheckOptions): CheckResult {
  return checker.check(text, options);
}
