import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Vitest's default on 2 cores is one worker (cores − 1): the files would run one after
    // another although most of them wait on child processes, sockets and stub latency. Two
    // workers keep both cores busy; no test times anything, so a busy core only slows them.
    maxWorkers: 2,
    // Child processes the tests spawn (bin/fazhi-report.js) run the sources through tsx, like
    // the tests themselves; test/build/built-cli.test.ts runs the compiled dist/ instead.
    env: { FAZHI_RUN_SOURCE: "1" },
  },
});
