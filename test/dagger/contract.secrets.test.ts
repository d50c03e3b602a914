// Tier 3: no secret value leaves the engine's secret store. Every function that takes a Secret is run with canary
// values handed over the way the CLI hands them (`--password env://X`: an opaque id), and the test fails when a canary
// (or its base64, or base64 of `user:canary`) shows in any query, exec argument, env variable, file, label, or returned
// value. The only credential-like plain value allowed is the throwaway test database's password.
import { dag, type Directory, type Secret } from "@dagger.io/dagger"
import { beforeAll, describe, expect, it } from "vitest"

import type { Helloagents } from "../../dagger/src/index.ts"
import { ReleaseStep } from "../../dagger/src/release-request.ts"
import { DATABASE_URL, THROWAWAY_DB_PASSWORD } from "../../dagger/src/services.ts"
import { call } from "./support/call.ts"
import { canaryLeaks, secretForms } from "./support/chains.ts"
import { useFakeEngine } from "./support/module.ts"
import { installDeployFakes } from "./support/deploy-fakes.ts"
import { gitRefArg, installReleaseFakes } from "./support/release-fakes.ts"
import { secretArg } from "./support/session.ts"
import { loadSurface } from "./support/surface.mjs"

const h = useFakeEngine()
const USER = "octocat"
const CREDENTIAL_NAME = /PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|PRIVATE_KEY|CREDENTIAL/i
const ALLOWED = new Map([["POSTGRES_PASSWORD", THROWAWAY_DB_PASSWORD]])

/** A canary for one Secret argument, handed to the module as an opaque argument id. */
function canary(name: string): { secret: Secret; value: string } {
  const value = `canary-${name}-4c1d7e9b`
  return { secret: secretArg(h.engine.secretArgument(name, value)), value }
}

type Scenario = { name: string; covers: string[]; target?: "ecs"; run: (m: Helloagents, secret: (name: string) => Secret) => Promise<unknown> }

const release = (m: Helloagents, dryRun = false) =>
  call<Directory>(m, "release", { version: "v1.2.3", platforms: ["linux/amd64"], dryRun, skip: [ReleaseStep.Tests], head: gitRefArg(h.engine) }).then((d) => d.id())

/** Every way a Secret reaches the module, each run through the function that consumes it. */
const scenarios: Scenario[] = [
  {
    name: "release with registry auth and a cosign key",
    covers: ["withRegistryAuth.password", "withCosignKey.key", "withCosignKey.password"],
    run: (m, s) => release(m.withRegistryAuth(USER, s("password")).withCosignKey(s("cosign-key"), s("cosign-password"))),
  },
  {
    name: "release with registry auth, signed keylessly",
    covers: ["withRegistryAuth.password", "withKeylessSigning.oidcRequestUrl", "withKeylessSigning.oidcRequestToken"],
    run: (m, s) => release(m.withRegistryAuth(USER, s("password")).withKeylessSigning(s("oidc-url"), s("oidc-token"))),
  },
  {
    name: "dry-run release with registry auth",
    covers: ["withRegistryAuth.password"],
    run: (m, s) => release(m.withRegistryAuth(USER, s("password")), true),
  },
  {
    name: "deploy with a kubeconfig, a webhook, runtime Secret values and registry auth",
    covers: ["deploy.kubeconfig", "withDeployWebhook.url", "withRuntimeSecret.value", "withRegistryAuth.password"],
    run: (m, s) =>
      call<Directory>(m.withRegistryAuth(USER, s("password")).withDeployWebhook(s("webhook")).withRuntimeSecret("OPENAI_API_KEY", s("openai")), "deploy", {
        env: "staging", version: "v1.2.3", kubeconfig: s("kubeconfig"),
      }).then((d) => d.id()),
  },
  {
    name: "rollback with a kubeconfig and a webhook",
    covers: ["rollback.kubeconfig", "withDeployWebhook.url"],
    run: (m, s) => call<Directory>(m.withDeployWebhook(s("webhook")), "rollback", { env: "production", kubeconfig: s("kubeconfig"), yes: true }).then((d) => d.id()),
  },
  {
    name: "deploy, rollback and status of an ECS environment with AWS credentials",
    covers: ["withAwsCredentials.accessKeyId", "withAwsCredentials.secretAccessKey", "withAwsCredentials.sessionToken", "withDeployWebhook.url"],
    target: "ecs",
    run: async (m, s) => {
      const aws = m.withAwsCredentials(s("aws-key-id"), s("aws-secret-key"), s("aws-session-token")).withDeployWebhook(s("webhook"))
      const deployed = await call<Directory>(aws, "deploy", { env: "staging", version: "v1.2.3" }).then((d) => d.id())
      const rolledBack = await call<Directory>(aws, "rollback", { env: "staging" }).then((d) => d.id())
      return [deployed, rolledBack, await call<string>(aws, "status", { env: "staging" })]
    },
  },
  {
    name: "status with a kubeconfig",
    covers: ["status.kubeconfig"],
    run: (m, s) => call<string>(m, "status", { env: "production", kubeconfig: s("kubeconfig") }),
  },
]

let secretArgs: string[] = []
beforeAll(async () => {
  const surface = (await loadSurface()) as { objects: Record<string, { functions: { name: string; args: { name: string; type: string }[] }[] }> }
  secretArgs = Object.values(surface.objects).flatMap((o) => o.functions.flatMap((f) => f.args.filter((a) => a.type === "Secret").map((a) => `${f.name}.${a.name}`)))
}, 60_000)

describe("secrets (tier 3, canary values)", () => {
  it("exercises every Secret argument the module declares", () => {
    expect(secretArgs.length).toBeGreaterThan(0)
    expect([...new Set(scenarios.flatMap((s) => s.covers))].sort()).toEqual([...secretArgs].sort())
  })

  it.each(scenarios.map((s) => [s.name, s] as const))("%s leaks no canary anywhere", async (_name, scenario) => {
    installReleaseFakes(h.engine)
    installDeployFakes(h.engine, scenario.target ? { target: scenario.target } : {})
    const values: string[] = []
    const returned = await h.run((m) =>
      scenario.run(m, (name) => {
        const c = canary(name)
        values.push(c.value)
        return c.secret
      }),
    )
    expect(values.length).toBeGreaterThan(0)
    const forms = values.flatMap((v) => secretForms(v, [USER]))
    expect(canaryLeaks(h.engine, forms, [returned])).toEqual([])
    for (const chain of h.engine.chains()) {
      for (const op of chain.filter((o) => o.field === "withEnvVariable" && CREDENTIAL_NAME.test(String(o.args.name)))) {
        expect(ALLOWED.get(String(op.args.name)), `${String(op.args.name)} set in plain text`).toBe(op.args.value)
      }
    }
  })

  it("catches a planted leak: a canary read in plain text and put into an env variable and an argv", async () => {
    const { secret, value } = canary("planted")
    await h.run(async () => {
      const plain = await secret.plaintext()
      await dag.container().from("alpine").withEnvVariable("TOKEN", plain).withExec(["login", "--password", plain]).sync()
    })
    const leaks = canaryLeaks(h.engine, secretForms(value))
    expect(leaks).toEqual(expect.arrayContaining(["env TOKEN contains a secret value", "exec args contains a secret value"]))
    expect(leaks.some((l) => l.startsWith("query selecting"))).toBe(true)
    expect(canaryLeaks(h.engine, secretForms("a-value-never-used"))).toEqual([])
  })

  it("uses the throwaway password only inside the test database URL", () => {
    expect(DATABASE_URL).toBe(`postgresql://postgres:${THROWAWAY_DB_PASSWORD}@db:5432/helloagents`)
  })
})
