import { type ImportContext, loadImportContext } from "../../src/import/context.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplate } from "../../src/template/load.js";

/** The import context of the township template, loaded once per test file. */
export function importContext(): ImportContext {
  return loadImportContext(DEFAULT_TEMPLATE_DIR, loadTemplate(DEFAULT_TEMPLATE_DIR));
}
