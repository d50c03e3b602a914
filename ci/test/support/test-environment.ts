/**
 * The `test` environment's URLs and health checks, as the deploy tests (Kubernetes and ECS) write them into their
 * environments.yaml: the public URL of the local stack, one sample, the backend's liveness and database checks and
 * the frontend's.
 */
export function environmentBody(publicUrl: string): Record<string, unknown> {
  return {
    urls: { frontend: publicUrl, backend: `${publicUrl}/api` },
    health: {
      samples: 1,
      timeout: "2s",
      checks: [
        { name: "backend-liveness", target: "backend", path: "/health", assert: ['$.status == "pass"'] },
        { name: "backend-database", target: "backend", path: "/health/db", assert: ['$.status == "pass"'] },
        { name: "frontend", target: "frontend", path: "/health" },
      ],
    },
  };
}
