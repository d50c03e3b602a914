import { defineConfig } from "vitest/config";

/**
 * The deploy engine against the real Kubernetes control plane of ci/test/k8s (started once for the run by
 * test/deploy/cluster-setup.ts, stopped by PID at the end). Files run one after another: they share the cluster.
 */
export default defineConfig({
  test: {
    include: ["test/deploy/**/*.test.ts"],
    globalSetup: ["test/support/build.ts", "test/deploy/cluster-setup.ts"],
    fileParallelism: false,
    reporters: ["default", ["junit", { outputFile: "reports/deploy-junit.xml" }]],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
