#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through the `prepare` script). With
// FAZHI_RUN_SOURCE=1 it runs the TypeScript sources through tsx instead (development, tests).
import { existsSync } from "node:fs";

const fromSource = process.env.FAZHI_RUN_SOURCE === "1";
const entry = new URL(fromSource ? "../src/cli/main.ts" : "../dist/cli/main.js", import.meta.url);
if (fromSource) {
  const { register } = await import("tsx/esm/api");
  register();
} else if (!existsSync(entry)) {
  process.stderr.write(
    "找不到编译后的程序（dist/）：请先运行 npm install 或 npm run build。\n" +
      "dist/ is missing: run `npm install` or `npm run build` first.\n",
  );
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
