import { defineConfig } from "vitest/config";

// Root harness: the platform end-to-end check (test/e2e) and repository rules (test/repo). The engine-free proof of
// the Dagger module has its own config (test/dagger/vitest.config.ts). `--outputFile.junit=…` overrides the path.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/dagger/**", "**/node_modules/**"],
    reporters: ["default", "junit"],
    outputFile: { junit: "reports/root-junit.xml" },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
