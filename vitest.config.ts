import { defineConfig } from "vitest/config";

// Root harness: engine-free proof of the Dagger module (test/dagger) and the platform end-to-end (test/e2e).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["junit", { outputFile: "reports/root-junit.xml" }]],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
