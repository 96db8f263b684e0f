// Build step after tsc: the parsed data of every YAML file under prompts/, keyed by the hash of
// its text, in dist/yaml-cache.json (read by dist/template/yaml-file.js; see parseYamlText).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PACKAGE_ROOT, YAML_CACHE_FILE } from "../dist/paths.js";
import { yamlCacheKey } from "../dist/template/yaml-file.js";

const files = readdirSync(join(PACKAGE_ROOT, "prompts"), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".yaml"))
  .map((entry) => join(entry.parentPath, entry.name));
const cache = {};
for (const file of files) {
  const text = readFileSync(file, "utf8");
  cache[yamlCacheKey(text)] = parse(text);
}
writeFileSync(YAML_CACHE_FILE, JSON.stringify(cache));
console.log(`dist/yaml-cache.json: ${files.length} YAML files of prompts/`);
