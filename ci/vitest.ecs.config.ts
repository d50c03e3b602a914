import { defineConfig } from "vitest/config";

/**
 * The ECS deploy engine against moto in server mode (started once for the run by test/ecs/moto-setup.ts, stopped by
 * PID at the end) and the scripted service-deployment API of test/ecs/endpoint.ts. Files share the moto server.
 */
export default defineConfig({
  test: {
    include: ["test/ecs/**/*.test.ts"],
    globalSetup: ["test/support/build.ts", "test/ecs/moto-setup.ts"],
    fileParallelism: false,
    reporters: ["default", ["junit", { outputFile: "reports/ecs-junit.xml" }]],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
