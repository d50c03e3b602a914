/**
 * Every container image the module pulls, in one table: the only file allowed to name an image (or, for deploys, to
 * resolve a release image's tag to its digest: `digestOf`).
 *
 * Each pin is `repository:tag@sha256:<index digest>`. The digest is what the engine pulls; the tag is
 * for people. Digests were copied from docker-library/repo-info (the metadata the official-images
 * bot publishes for every tag), from Dagger's own CI (trivy), or from several independent public
 * repositories that record the same digest (actionlint, cosign, nginx). None was resolved against a registry
 * from this repository's own machines.
 * Refresh: `dagger call pins` resolves each tag again and prints the refs to paste below.
 */
import { dag, Container, Platform, Secret } from "@dagger.io/dagger"

/** One pinned image. */
export interface ImagePin {
  /** Registry repository, e.g. `python` (Docker Hub library) or `rhysd/actionlint`. */
  readonly repository: string
  /** Human-readable tag the digest was taken from. */
  readonly tag: string
  /** OCI image index digest (multi-platform), `sha256:` + 64 hex. */
  readonly digest: string
  /** Version of the main software inside, for reviewers. */
  readonly version: string
  /** Where the digest was read. */
  readonly source: string
}

export const IMAGES = {
  /** Backend tests and lint. Matches backend/pyproject.toml `requires-python >= 3.11`. */
  python: {
    repository: "python",
    tag: "3.11.15-slim-bookworm",
    digest: "sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3",
    version: "CPython 3.11.15, Debian 12",
    source: "github.com/docker-library/repo-info@3effc3e repos/python/remote/3.11.15-slim-bookworm.md",
  },
  /** Frontend lint, tests and build (vite 8 needs Node ^20.19). */
  node: {
    repository: "node",
    tag: "20-slim",
    digest: "sha256:6db5e436948af8f0244488a1f658c2c8e55a3ae51ca2e1686ed042be8f25f70a",
    version: "Node.js 20.19.4, Debian 12",
    source: "repo-info format, repos/node/remote/20-slim.md (NODE_VERSION=20.19.4; read from a mirror of docker-library/repo-info)",
  },
  /** Test and dev database. */
  postgres: {
    repository: "postgres",
    tag: "16-alpine",
    digest: "sha256:44c4ee9810eff91f7eab4d822642e01115b1a9eccce4bcbdde7604752d68eac6",
    version: "PostgreSQL 16.15, Alpine 3.24",
    source: "github.com/docker-library/repo-info@8c2b57b repos/postgres/remote/16-alpine.md",
  },
  /** Test and dev cache. */
  redis: {
    repository: "redis",
    tag: "7-alpine",
    digest: "sha256:ff02b58f971e7d7d156a1267e283fcbbeee91773b6aa36c49dac28ecfe28eadf",
    version: "Redis 7.4.11, Alpine 3.21",
    source: "github.com/docker-library/repo-info@1742085 repos/redis/remote/7-alpine.md",
  },
  /** Workflow linter (a gate: it decides whether CI config is accepted). */
  actionlint: {
    repository: "rhysd/actionlint",
    tag: "1.7.12",
    digest: "sha256:b1934ee5f1c509618f2508e6eb47ee0d3520686341fec936f3b79331f9315667",
    version: "actionlint 1.7.12 with shellcheck 0.11.0",
    source: "two independent public repositories pin this digest, one records it from a measured `docker pull`",
  },
  /** Image scanner and SBOM generator (a gate). 0.69.4 was a malicious release (GHSA-69fq-xp46-6x23): never move to it. */
  trivy: {
    repository: "aquasec/trivy",
    tag: "0.69.3",
    digest: "sha256:bcc376de8d77cfe086a917230e818dc9f8528e3c852f7b1aff648949b6258d1c",
    version: "Trivy 0.69.3",
    source: "github.com/dagger/dagger@v0.21.8 toolchains/security/main.dang (Dagger's own CI pins this exact ref)",
  },
  /** Signs and attests published digests. */
  cosign: {
    repository: "ghcr.io/sigstore/cosign/cosign",
    tag: "v2.4.3",
    digest: "sha256:c77247c92f4dfea851c70555738226498393e34e2f9ca83cb959e51c230e4ad7",
    version: "cosign 2.4.3 (ko-built, distroless, binary at /ko-app/cosign)",
    source: "four unrelated public repositories pin this index digest for v2.4.3 (ghcr.io and gcr.io/projectsigstore mirrors agree)",
  },
  /**
   * Frontend runtime (frontend/Dockerfile `NGINX_IMAGE`) and the compose reverse proxy. The module builds it through the
   * Dockerfile rather than pulling it here; it is in this table so `dagger call pins` refreshes it and
   * test/repo/pins.test.ts keeps the Dockerfile and compose on this exact pin.
   */
  nginx: {
    repository: "nginxinc/nginx-unprivileged",
    tag: "1.28.0-alpine",
    digest: "sha256:c97ff0bf7cbae369953c6da1232ec14ad9f971d66360c5698db0856a4cd657a0",
    version: "nginx 1.28.0, Alpine",
    source: "five unrelated public repositories pin this index digest for 1.28.0-alpine in their Dockerfiles and scripts",
  },
  /** Throwaway OCI registry for `release --dry-run`. */
  registry: {
    repository: "registry",
    tag: "2.8.1",
    digest: "sha256:ce14a6258f37702ff3cd92232a6f5b81ace542d9f1631966999e9f7c1ee6ddba",
    version: "distribution registry 2.8.1, Alpine",
    source: "github.com/docker-library/repo-info@72e4be7 repos/registry/remote/2.8.1.md",
  },
} as const satisfies Record<string, ImagePin>

/** Name of a pinned image. */
export type ImageName = keyof typeof IMAGES

/** Return the pinned reference `repository:tag@digest`. */
export function imageRef(name: ImageName): string {
  const pin: ImagePin = IMAGES[name]
  return `${pin.repository}:${pin.tag}@${pin.digest}`
}

/** Return the floating reference `repository:tag`, used only to look up a fresh digest. */
export function tagRef(name: ImageName): string {
  const pin: ImagePin = IMAGES[name]
  return `${pin.repository}:${pin.tag}`
}

/** Start a container from a pinned image, optionally for another platform. */
export function base(name: ImageName, platform?: Platform): Container {
  return dag.container(platform ? { platform } : {}).from(imageRef(name))
}

/** Resolve every tag again and report which pins moved, as lines to paste into this file. */
export async function refreshPins(): Promise<string> {
  const names = Object.keys(IMAGES) as ImageName[]
  const lines = await Promise.all(
    names.map(async (name) => {
      const fresh = await dag.container().from(tagRef(name)).imageRef()
      const digest = fresh.slice(fresh.lastIndexOf("@") + 1)
      const state = digest === IMAGES[name].digest ? "current" : "moved"
      return `${name.padEnd(10)} ${state.padEnd(7)} ${tagRef(name)}@${digest}`
    }),
  )
  return lines.join("\n")
}

/**
 * Resolve a release image's tag to its digest on the engine (which pulls the manifest, with the registry credentials):
 * `repo:tag` → `repo@sha256:…`. Deploys use it so that nothing is ever deployed by tag.
 */
export async function digestOf(ref: string, auth: { address: string; username: string; password: Secret } | undefined): Promise<string> {
  const base = auth ? dag.container().withRegistryAuth(auth.address, auth.username, auth.password) : dag.container()
  const resolved = await base.from(ref).imageRef()
  const digest = resolved.slice(resolved.lastIndexOf("@") + 1)
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`deploy: ${ref} did not resolve to a digest (got ${resolved})`)
  return `${ref.slice(0, ref.lastIndexOf(":"))}@${digest}`
}
