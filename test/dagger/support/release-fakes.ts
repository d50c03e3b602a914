// Toolkit answers for release contract tests: the release plan the real planner computes from the exec's own
// flags, a canned scan verdict (pass or block), and the index a throwaway registry would return after a push.
import { Context, GitRef, Secret, dag } from "@dagger.io/dagger"

import { parseImageName } from "../../../ci/src/core/release/image.ts"
import { buildReleasePlan } from "../../../ci/src/core/release/plan.ts"
import { parseReleaseVersion } from "../../../ci/src/core/release/version.ts"

import type { Chain, FakeEngine, Op } from "./fake-engine.ts"

/** The args of the last exec in a chain. */
export function lastExec(chain: Chain): string[] {
  const op = [...chain].reverse().find((o) => o.field === "withExec")
  return op ? (op.args.args as string[]) : []
}

/** Values of a repeated flag in an argv. */
function flagValues(argv: readonly string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1]!] : []))
}

/**
 * The plan `hello-ci release-plan --json` prints for this argv, computed by the toolkit's own planner
 * (ci/src/core/release/plan.ts), so the module is tested against the toolkit's real answer, not a copy of it.
 */
export function planFor(argv: readonly string[]): object {
  const version = parseReleaseVersion(flagValues(argv, "--version")[0])
  if (!version.ok) throw new Error(`fake release-plan: ${version.reason}`)
  const images = flagValues(argv, "--image").map((name) => {
    const parsed = parseImageName(name)
    if (!parsed.ok) throw new Error(`fake release-plan: ${parsed.reason}`)
    return parsed
  })
  const [source] = flagValues(argv, "--source")
  const [url] = flagValues(argv, "--url")
  const [licenses] = flagValues(argv, "--licenses")
  return buildReleasePlan({ version: version.value, sha: flagValues(argv, "--sha")[0] ?? "", created: "2026-01-31T12:00:00Z", images, metadata: { source, url, licenses } })
}

/** A scan-gate verdict with `blocking` blocking findings, its reason worded as the toolkit's gate words it. */
export function verdictFor(blocking: number): object {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`
  const finding = { kind: "vulnerability", id: "CVE-2026-0001", severity: "CRITICAL", report: "r", artifact: "a", target: "t" }
  return {
    schema: "hello-ci/scan-verdict@1",
    decision: blocking > 0 ? "block" : "pass",
    reason: blocking > 0 ? `blocked: ${plural(blocking, "finding")} at CRITICAL,HIGH (${blocking} CRITICAL) in 1 of 1 report` : "passed: no finding at CRITICAL,HIGH in 1 report",
    policy: { severities: ["HIGH", "CRITICAL"], ignoreUnfixed: false, evaluatedAt: "2026-01-31T12:00:00Z" },
    counts: { CRITICAL: blocking, HIGH: 0, MEDIUM: 4, LOW: 9, UNKNOWN: 0 },
    reports: [],
    blocking: Array.from({ length: blocking }, () => finding),
    ignored: [],
    expiredIgnores: [],
  }
}

/** The `--platform` values of a `hello-ci image-index` argv. */
function wantedPlatforms(argv: readonly string[]): string[] {
  return argv.flatMap((a, i) => (argv[i - 1] === "--platform" ? [a] : []))
}

/** Install the toolkit answers: plan, verdict (blocking when `block` > 0; the gate exec then exits 1), pushed index. */
export function installReleaseFakes(engine: FakeEngine, opts: { block?: number; indexPlatforms?: string[] } = {}): void {
  const blocking = opts.block ?? 0
  const platforms = opts.indexPlatforms ?? ["linux/amd64", "linux/arm64"]
  if (blocking > 0) engine.failExec({ matches: (a) => a.includes("scan-gate"), exitCode: 1 })
  engine.failExec({
    matches: (a) => a.includes("image-index") && wantedPlatforms(a).some((p) => !platforms.includes(p)),
    exitCode: 1,
    stderr: "hello-ci: image-index: http://registry:5000/v2/acme/x/manifests/sha256:… lacks linux/arm64 (it lists linux/amd64)\n",
  })
  engine.onLeaf((chain: Chain, leaf: Op) => {
    const argv = lastExec(chain)
    if (leaf.field === "stdout" && argv.includes("release-plan")) return JSON.stringify(planFor(argv))
    if (leaf.field === "stdout" && argv.includes("image-index")) {
      const found = Object.fromEntries(platforms.map((p, i) => [p, `sha256:${String(i).repeat(64)}`]))
      const url = argv[argv.indexOf("--url") + 1]
      return JSON.stringify({ schema: "hello-ci/image-index@1", url, platforms: found, missing: [] })
    }
    const last = chain.at(-1)
    if (leaf.field === "contents" && last?.field === "file" && last.args.path === "/out/scan-gate.json") return JSON.stringify(verdictFor(blocking))
    return undefined
  })
}

/** A contextual GitRef argument, built the way the module runtime builds arguments. */
export function gitRefArg(engine: FakeEngine): GitRef {
  return new GitRef(new Context().selectNode(engine.argument("head"), "GitRef"))
}

/** A Secret created in the session, as `--password env://X` would arrive (only call inside a session). */
export function secret(name: string, plaintext: string): Secret {
  return dag.setSecret(name, plaintext)
}
