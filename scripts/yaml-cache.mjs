// Build step after tsc: loads the shipped prompts/ through the compiled loaders and writes each
// YAML file's validated data, keyed by a hash of its text, to dist/yaml-cache.json (read by
// dist/template/yaml-file.js: see the comment there).
import { writeFileSync } from "node:fs";
import { loadChecklist } from "../dist/check/checklist.js";
import { loadCheckerRules } from "../dist/check/rules.js";
import { YAML_CACHE_FILE } from "../dist/paths.js";
import { loadTemplate } from "../dist/template/load.js";
import { recordValidatedYaml } from "../dist/template/yaml-file.js";

const cache = {};
recordValidatedYaml((key, data) => {
  cache[key] = data;
});
loadTemplate();
loadChecklist();
loadCheckerRules();
writeFileSync(YAML_CACHE_FILE, JSON.stringify(cache));
console.log(`dist/yaml-cache.json: ${Object.keys(cache).length} validated YAML files of prompts/`);
