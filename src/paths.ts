import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root, where prompts/ and dist/ live. This file sits one level below it both as
 * src/paths.ts (tsx) and as dist/paths.js (the build keeps src/'s layout), so data files are
 * found from the root and not from wherever the module using them is compiled to.
 */
const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The report type shipped with the package. */
export const DEFAULT_PROMPTS_DIR = join(PACKAGE_ROOT, "prompts", "township-annual");

/** Parsed YAML of prompts/, written by `npm run build` (scripts/yaml-cache.mjs). */
export const YAML_CACHE_FILE = join(PACKAGE_ROOT, "dist", "yaml-cache.json");
