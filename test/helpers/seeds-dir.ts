import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The published reports live in shared/seeds beside the repository (CI lays a copy of shared/
 * next to its clone); they are not ours to copy into the repository. FAZHI_SEEDS_DIR overrides.
 */
export function seedsDir(): string {
  const candidates = [
    process.env.FAZHI_SEEDS_DIR,
    fileURLToPath(new URL("../../../shared/seeds", import.meta.url)),
  ].filter((d): d is string => Boolean(d));
  const found = candidates.find((d) => existsSync(`${d}/panlong-2023.txt`));
  if (!found) throw new Error(`the seed reports are missing; looked in ${candidates.join(", ")}`);
  return found;
}
