// Build step after tsc: loads the shipped prompts/ through the compiled loaders and writes each
// YAML file's validated data, keyed by a hash of its text, to dist/yaml-cache.json (read by
// dist/yaml/read.js: see the comment there).
import { writeFileSync } from "node:fs";
import { loadImportContext } from "../dist/import/context.js";
import { DEFAULT_PROMPTS_DIR, YAML_CACHE_FILE } from "../dist/paths.js";
import { loadTemplate } from "../dist/template/load.js";
import { recordValidatedYaml } from "../dist/yaml/read.js";

const cache = {};
recordValidatedYaml((key, data) => {
  cache[key] = data;
});
// The template loads every YAML file of its folder but one: sections, checklist, checker rules,
// notes; the import context (the bot, `import`, `extract`) reads extract.yaml.
loadImportContext(DEFAULT_PROMPTS_DIR, loadTemplate());
writeFileSync(YAML_CACHE_FILE, JSON.stringify(cache));
console.log(`dist/yaml-cache.json: ${Object.keys(cache).length} validated YAML files of prompts/`);
