// Toolkit answers for deploy contract tests: the release's tag references (computed by the toolkit's own code from
// the repository's environments file), an API server tunnel's endpoint, and a deploy that fails as designed.
import { readFileSync } from "node:fs"
import { join } from "node:path"

import { tagOf } from "../../../ci/src/core/deploy/manifests.ts"
import { parseEnvironmentsConfig } from "../../../ci/src/core/config/environments.ts"
import type { Chain, FakeEngine, Op } from "./fake-engine.ts"
import { lastExec } from "./release-fakes.ts"

const CONFIG = join(import.meta.dirname, "../../../ci/config/environments.yaml")

/** The value of a flag in an argv. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag)
  return i >= 0 ? argv[i + 1] : undefined
}

/** What `hello-ci deploy-images --env E --version V` prints, from ci/config/environments.yaml (`target` may be overridden). */
export function imagesFor(argv: readonly string[], target?: "kubernetes" | "ecs"): object {
  const env = flagValue(argv, "--env")!
  const version = flagValue(argv, "--version")!
  const deploy = parseEnvironmentsConfig(readFileSync(CONFIG, "utf8"), CONFIG).environments[env]?.deploy
  if (!deploy) throw new Error(`fake deploy-images: no environment ${env}`)
  const ref = (app: "backend" | "frontend") => `${deploy.images[app]}:${tagOf(version)}`
  return { schema: "helloagents/deploy-images@1", env, target: target ?? deploy.target, version, backend: ref("backend"), frontend: ref("frontend") }
}

/**
 * Install the deploy answers; `failDeploy` makes the deploy exec exit with that code and a report; `target: "ecs"`
 * makes deploy-images say the environment deploys to ECS.
 */
export function installDeployFakes(engine: FakeEngine, opts: { failDeploy?: number; target?: "kubernetes" | "ecs" } = {}): void {
  if (opts.failDeploy) {
    engine.failExec({
      matches: (a) => a[2] === "deploy" || a[2] === "rollback",
      exitCode: opts.failDeploy,
      stderr: "deploy staging: [7] wait for ready: FAILED: …\nhello-ci: deploy staging: rejected: wait for ready: not ready within the progress deadline (300s)",
    })
  }
  engine.onLeaf((chain: Chain, leaf: Op) => {
    const argv = lastExec(chain)
    if (leaf.field === "stdout" && argv[2] === "deploy-images") return JSON.stringify(imagesFor(argv, opts.target))
    if (leaf.field === "endpoint") return "kube-api-tunnel-8f2c:6443"
    if (leaf.field === "contents" && chain.at(-1)?.args.path === "/out/report.md") return "# Deploy of v1.2.3 to staging: rejected before the switch (live untouched)\n"
    return undefined
  })
}
