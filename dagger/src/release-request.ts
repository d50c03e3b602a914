/**
 * What a release is asked to do (validated before anything runs) and what its checks produced before publishing:
 * the types the release steps (release.ts) and the report (release-report.ts) share.
 */
import { Container, Directory, Secret } from "@dagger.io/dagger"

import { FrontendUrls } from "./build.js"
import { ScanOutcome } from "./scan.js"
import { ScanPolicy } from "./scan-policy.js"
import { Signing } from "./sign.js"
import { Variant } from "./variants.js"

/** Release steps that may be skipped (`release --skip tests,smoke`). */
export enum ReleaseStep {
  /** The test stages, e.g. when CI already ran them on this commit. */
  Tests = "tests",
  /** The smoke test of the release images run as services. */
  Smoke = "smoke",
}

/** Everything one release needs, already validated. */
export interface ReleaseRequest {
  readonly source: Directory
  readonly toolkit: Container
  readonly version: string
  readonly revision: string
  /** `ghcr.io/<owner>`: images are `<registry>/helloagents-backend` and `…-frontend`. */
  readonly registry: string
  /** Repository web URL for the `org.opencontainers.image.source`/`url` labels and the signer identity in the summary. */
  readonly repositoryUrl?: string
  /** Registry credentials: both or neither (`with-registry-auth`). */
  readonly username?: string
  readonly password?: Secret
  readonly platforms: readonly string[]
  /** The console's build-time URLs (`with-frontend-urls`), baked into the frontend images. */
  readonly frontendUrls?: FrontendUrls
  readonly dryRun: boolean
  readonly skipTests: boolean
  readonly skipSmoke: boolean
  readonly policy: ScanPolicy
  readonly signing: Signing
  /** Run the test stages; throws when one fails. */
  readonly runTests: () => Promise<unknown>
  /** Changes every run so no gate, plan or signature is served from a cached layer. */
  readonly cacheBuster: string
  /** RFC 3339 time the release started (the provenance's `startedOn`). */
  readonly startedOn: string
  /** Identifier of the run (e.g. the CI run URL), the provenance's `invocationId`. */
  readonly invocationId?: string
}

/** What the checks before publishing produced. */
export interface Prepared {
  readonly variants: Variant[]
  readonly scan: ScanOutcome
  /** The smoke report (Markdown), or undefined when the smoke step was skipped. */
  readonly smoke?: string
  readonly sbomDir: Directory
}
