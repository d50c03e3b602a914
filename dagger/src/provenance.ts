/**
 * Provenance: one SLSA v1 predicate per released image, written by `hello-ci provenance` (the toolkit owns its shape)
 * from what the module knows: the image, version, commit, platforms, Dockerfile and the pinned base images.
 */
import { Container, File } from "@dagger.io/dagger"

import { ImageName, imageRef } from "./images.js"
import { BACKEND, FRONTEND, OUT_DIR } from "./paths.js"
import { okOrThrow, runToolkit } from "./toolkit-run.js"
import { App } from "./variants.js"

/** The images each app's Dockerfile builds FROM: its `ARG *_IMAGE` defaults (test/repo/pins.test.ts keeps them equal). */
export const BASE_IMAGES: Readonly<Record<App, readonly ImageName[]>> = {
  [App.Backend]: ["python"],
  [App.Frontend]: ["node", "nginx"],
}

/** The Dockerfile each app is built from, relative to the repository root. */
export const DOCKERFILES: Readonly<Record<App, string>> = {
  [App.Backend]: `${BACKEND}/Dockerfile`,
  [App.Frontend]: `${FRONTEND}/Dockerfile`,
}

/** What the predicate of one image is made from. */
export interface ProvenanceInput {
  readonly app: App
  /** Published repository, e.g. `ghcr.io/acme/helloagents-backend`. */
  readonly image: string
  /** The version as given, `v1.2.3`. */
  readonly version: string
  readonly revision: string
  readonly platforms: readonly string[]
  readonly repositoryUrl?: string
  /** RFC 3339 time the release started. */
  readonly startedOn: string
  /** Identifier of the run, e.g. the CI run URL. */
  readonly invocationId?: string
}

/** File name of an app's predicate in the report's `provenance/` folder. */
export function provenanceFileName(app: App): string {
  return `${app}.slsa.json`
}

/** Return the `hello-ci provenance` argv for one image. */
export function provenanceArgs(input: ProvenanceInput): string[] {
  return [
    "provenance", "--image", input.image, "--version", input.version, "--sha", input.revision,
    ...input.platforms.flatMap((p) => ["--platform", p]),
    "--dockerfile", DOCKERFILES[input.app],
    ...BASE_IMAGES[input.app].flatMap((name) => ["--base-image", imageRef(name)]),
    ...(input.repositoryUrl ? ["--repository-url", input.repositoryUrl] : []),
    ...(input.invocationId ? ["--invocation-id", input.invocationId] : []),
    "--started-on", input.startedOn,
    "--out", `${OUT_DIR}/${provenanceFileName(input.app)}`,
  ]
}

/** Write one image's predicate with the toolkit; a refused input throws with the toolkit's one-line reason. */
export async function writeProvenance(toolkit: Container, input: ProvenanceInput, cacheBuster: string): Promise<File> {
  const run = await okOrThrow(await runToolkit(toolkit, provenanceArgs(input), { fresh: cacheBuster }), { refusal: `provenance of ${input.image} was refused` })
  return run.file(`${OUT_DIR}/${provenanceFileName(input.app)}`)
}
