import { defineConfig } from "vitest/config"

// Engine-free proof of the Dagger module only (tiers 1-3 + workflows), with its own JUnit report.
// Same settings as the root vitest.config.ts, narrowed to test/dagger.
export default defineConfig({
  root: new URL("../..", import.meta.url).pathname,
  test: {
    include: ["test/dagger/**/*.test.ts"],
    reporters: ["default", ["junit", { outputFile: "reports/dagger-junit.xml" }]],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
