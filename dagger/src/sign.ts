/**
 * Signing: cosign (pinned by digest) signs each published index DIGEST and attests its SBOMs and provenance,
 * keyless with the GitHub OIDC request variables, or with a key; every credential is a Secret.
 */
import { Container, File, Secret, dag } from "@dagger.io/dagger"

import { base } from "./images.js"
import { RegistryAuth } from "./publish.js"

/** How the release is signed. */
export enum SigningMode {
  /** Sigstore keyless: Fulcio certificate from the GitHub Actions OIDC token, logged in Rekor. */
  Keyless = "keyless",
  /** A cosign private key (and its password). */
  Key = "key",
  /** Nothing is signed; the release summary says so loudly. */
  None = "none",
}

/** The credentials for one signing mode. */
export interface Signing {
  readonly mode: SigningMode
  readonly key?: Secret
  readonly keyPassword?: Secret
  readonly oidcRequestUrl?: Secret
  readonly oidcRequestToken?: Secret
}

/** Pick the signing mode: an explicit key wins, then keyless when both OIDC variables are given; half-given fails. */
export function signingFrom(opts: Omit<Signing, "mode">): Signing {
  if ((opts.oidcRequestUrl === undefined) !== (opts.oidcRequestToken === undefined)) {
    throw new Error("release: keyless signing needs both --oidc-request-url and --oidc-request-token (env://ACTIONS_ID_TOKEN_REQUEST_URL, env://ACTIONS_ID_TOKEN_REQUEST_TOKEN)")
  }
  if (opts.keyPassword !== undefined && opts.key === undefined) throw new Error("release: --cosign-password needs --cosign-key")
  if (opts.key) return { mode: SigningMode.Key, key: opts.key, ...(opts.keyPassword ? { keyPassword: opts.keyPassword } : {}) }
  if (opts.oidcRequestUrl) return { mode: SigningMode.Keyless, oidcRequestUrl: opts.oidcRequestUrl, oidcRequestToken: opts.oidcRequestToken! }
  return { mode: SigningMode.None }
}

/** The cosign binary in its image (ko-built, no shell). */
export const COSIGN = "/ko-app/cosign"
/** Where cosign finds registry credentials and the key. */
const DOCKER_CONFIG_DIR = "/cosign/docker"
const KEY_PATH = "/cosign/cosign.key"
/** User cosign runs as here (see `cosign`). */
const ROOT = "0"

/**
 * Turn registry credentials into a docker config.json Secret for cosign (which cannot use Dagger's
 * withRegistryAuth). The plaintext exists only inside this function and the engine's secret store.
 */
export async function dockerConfigSecret(auth: RegistryAuth): Promise<Secret> {
  const token = btoa(`${auth.username}:${await auth.password.plaintext()}`)
  const json = JSON.stringify({ auths: { [auth.address]: { auth: token } } })
  return dag.setSecret(`helloagents-cosign-docker-config-${auth.address}`, json)
}

/** Return the cosign container with credentials for the chosen mode, all as Secrets. */
export function cosign(signing: Signing, dockerConfig: Secret | undefined, cacheBuster: string): Container {
  // Root inside this throwaway container: the distroless image's nonroot user cannot write the tmpfs HOME
  // (Sigstore's TUF cache) or read root-owned secret mounts. Nothing else runs in it.
  let ctr = base("cosign").withUser(ROOT).withEnvVariable("HOME", "/tmp").withMountedTemp("/tmp").withEnvVariable("CACHE_BUSTER", cacheBuster)
  if (dockerConfig) {
    ctr = ctr.withEnvVariable("DOCKER_CONFIG", DOCKER_CONFIG_DIR).withMountedSecret(`${DOCKER_CONFIG_DIR}/config.json`, dockerConfig)
  }
  if (signing.mode === SigningMode.Key) {
    const password = signing.keyPassword ?? dag.setSecret("helloagents-cosign-empty-password", "")
    ctr = ctr.withMountedSecret(KEY_PATH, signing.key!).withSecretVariable("COSIGN_PASSWORD", password)
  }
  if (signing.mode === SigningMode.Keyless) {
    ctr = ctr.withSecretVariable("ACTIONS_ID_TOKEN_REQUEST_URL", signing.oidcRequestUrl!)
      .withSecretVariable("ACTIONS_ID_TOKEN_REQUEST_TOKEN", signing.oidcRequestToken!)
  }
  return ctr
}

/** Return the `--key` arguments of the mode (none for keyless). */
function keyArgs(signing: Signing): string[] {
  return signing.mode === SigningMode.Key ? ["--key", KEY_PATH] : []
}

/** cosign predicate types the release attaches. */
export enum PredicateType {
  CycloneDx = "cyclonedx",
  SpdxJson = "spdxjson",
  SlsaProvenance1 = "slsaprovenance1",
}

/** One attestation to attach: a predicate file and its type. */
export interface Attestation {
  /** File name, unique per signed reference (mounted under /attest/). */
  readonly name: string
  readonly file: File
  readonly type: PredicateType
}

/** Sign one `name@sha256:…` reference and attach each attestation (SBOMs, provenance) to it. */
export async function signDigest(ctr: Container, signing: Signing, digestRef: string, attestations: readonly Attestation[]): Promise<void> {
  if (!/@sha256:[0-9a-f]{64}$/.test(digestRef)) throw new Error(`refusing to sign ${digestRef}: sign digests, never tags`)
  let run = ctr.withExec([COSIGN, "sign", "--yes", ...keyArgs(signing), digestRef])
  for (const attestation of attestations) {
    const path = `/attest/${attestation.name}`
    run = run
      .withMountedFile(path, attestation.file)
      .withExec([COSIGN, "attest", "--yes", ...keyArgs(signing), "--type", attestation.type, "--predicate", path, digestRef])
  }
  await run.sync()
}
