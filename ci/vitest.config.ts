import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // test/deploy needs the Kubernetes control plane (vitest.deploy.config.ts runs it), test/ecs moto (vitest.ecs.config.ts).
    exclude: ["test/deploy/**", "test/ecs/**", "**/node_modules/**"],
    // test/e2e runs the built CLI: compile it once before any test file.
    globalSetup: ["test/support/build.ts"],
    reporters: ["default", ["junit", { outputFile: "reports/junit.xml" }]],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
