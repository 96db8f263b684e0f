import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Child processes the tests spawn (bin/fazhi-report.js) run the sources through tsx, like
    // the tests themselves; test/build/built-cli.test.ts runs the compiled dist/ instead.
    env: { FAZHI_RUN_SOURCE: "1" },
  },
});
