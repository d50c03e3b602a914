/** The `hello-ci provenance` argv the release passes for the frontend image, shared by the end-to-end tests. */

export const PYTHON_PIN = "python:3.11.15-slim-bookworm@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3";
export const NODE_PIN = "node:20-slim@sha256:6db5e436948af8f0244488a1f658c2c8e55a3ae51ca2e1686ed042be8f25f70a";
export const NGINX_PIN = "nginxinc/nginx-unprivileged:1.28.0-alpine@sha256:c97ff0bf7cbae369953c6da1232ec14ad9f971d66360c5698db0856a4cd657a0";

/** `provenance …` for ghcr.io/acme/helloagents-frontend v1.2.3 on both platforms, with fixed times and these base images. */
export function frontendProvenanceArgs(baseImages: readonly string[], extra: readonly string[] = []): string[] {
  return [
    "provenance",
    "--image", "ghcr.io/acme/helloagents-frontend",
    "--version", "v1.2.3",
    "--sha", "0123456789abcdef0123456789abcdef01234567",
    "--platform", "linux/amd64",
    "--platform", "linux/arm64",
    "--dockerfile", "frontend/Dockerfile",
    ...baseImages.flatMap((ref) => ["--base-image", ref]),
    "--repository-url", "https://github.com/acme/helloagents",
    "--started-on", "2026-01-31T11:58:00Z",
    "--finished-on", "2026-01-31T12:00:00Z",
    ...extra,
  ];
}
