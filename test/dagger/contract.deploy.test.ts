// Tier 3: what `deploy`, `rollback` and `status` ask the engine for: the release's tags resolved to digests before
// anything runs, hello-ci in the toolkit container with the kubeconfig as a mounted secret file, the webhook and
// runtime Secret values as secret variables, a tunnel to a loopback API server, never a cached run, and a failed
// deploy that fails the call with the toolkit's line and report.
import type { Directory } from "@dagger.io/dagger"
import { describe, expect, it } from "vitest"

import { call } from "./support/call.ts"
import { argChain, envAt, findOp } from "./support/chains.ts"
import { installDeployFakes } from "./support/deploy-fakes.ts"
import type { Chain } from "./support/fake-engine.ts"
import { useFakeEngine } from "./support/module.ts"
import { lastExec, secret } from "./support/release-fakes.ts"
import { secretArg, serviceArg } from "./support/session.ts"

const h = useFakeEngine()
const CLI = ["node", "/opt/hello-ci/bin/hello-ci.js"]
const runsOf = (verb: string): Chain[] => h.engine.chains().filter((c) => lastExec(c).slice(0, 3).join(" ") === `${CLI.join(" ")} ${verb}`)
const flag = (argv: readonly string[], name: string) => argv[argv.indexOf(name) + 1]

describe("deploy (tier 3)", () => {
  it("resolves the release's tags to digests on the engine, then deploys by digest only", async () => {
    installDeployFakes(h.engine)
    await h.run(async (m) => (await call<Directory>(m, "deploy", { env: "staging", version: "v1.2.3", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "apiVersion: v1")) })).id())
    const froms = h.engine.requests.filter((r) => r.leaf.field === "imageRef").map((r) => String(r.chain.find((op) => op.field === "from")?.args.address))
    expect(froms.sort()).toEqual(["ghcr.io/helloagents/helloagents-backend:1.2.3", "ghcr.io/helloagents/helloagents-frontend:1.2.3"])
    const argv = lastExec(runsOf("deploy")[0]!)
    expect(flag(argv, "--backend-image")).toBe(`ghcr.io/helloagents/helloagents-backend@sha256:${"0".repeat(64)}`)
    expect(flag(argv, "--frontend-image")).toBe(`ghcr.io/helloagents/helloagents-frontend@sha256:${"0".repeat(64)}`)
    expect(argv.filter((a) => /:1\.2\.3$/.test(a))).toEqual([]) // no tag reaches the deploy
    expect(argv.slice(2, 6)).toEqual(["deploy", "--env", "staging", "--version"])
    expect(argv).not.toContain("--yes")
  })

  it("mounts the kubeconfig as a secret file, points KUBECONFIG at it, and never serves the run from the cache", async () => {
    installDeployFakes(h.engine)
    await h.run(async (m) => (await call<Directory>(m, "deploy", { env: "staging", version: "v1.2.3", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")), yes: true, actor: "octocat" })).id())
    const chain = runsOf("deploy")[0]!
    const mount = chain[findOp(chain, "withMountedSecret", (op) => op.args.path === "/run/secrets/kubeconfig")]!
    expect(mount).toBeDefined()
    expect(argChain(h.engine, mount, "source")).toEqual([{ field: "<arg>", args: { name: "kubeconfig" } }])
    expect(envAt(chain).KUBECONFIG).toBe("/run/secrets/kubeconfig")
    expect(envAt(chain).CACHE_BUSTER).toMatch(/^\d{4}-\d\d-\d\dT/)
    const argv = lastExec(chain)
    expect(argv).toEqual(expect.arrayContaining(["--kubeconfig", "/run/secrets/kubeconfig", "--yes", "--actor", "octocat", "--json", "--report", "/out/report.md", "--backup", "/out/backup.json"]))
    expect(chain.at(-1)!.args).toMatchObject({ expect: "ANY", redirectStdout: "/out/report.json" })
  })

  it("reaches a loopback API server through a tunnel bound as kube-api, keeping the kubeconfig's host for TLS", async () => {
    installDeployFakes(h.engine)
    const apiServer = serviceArg(h.engine.argument("apiServer"))
    await h.run(async (m) => (await call<Directory>(m, "deploy", { env: "staging", version: "v1.2.3", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")), apiServer })).id())
    const chain = runsOf("deploy")[0]!
    const binding = chain[findOp(chain, "withServiceBinding", (op) => op.args.alias === "kube-api")]!
    expect(argChain(h.engine, binding, "service")).toEqual([{ field: "<arg>", args: { name: "apiServer" } }])
    expect(flag(lastExec(chain), "--server")).toBe("https://kube-api:6443")
  })

  it("hands the webhook URL and runtime Secret values over as secret variables, named by --secret-from-env", async () => {
    installDeployFakes(h.engine)
    await h.run(async (m) => {
      const mod = m
        .withDeployWebhook(secretArg(h.engine.secretArgument("webhook", "https://hooks.example/T/B/x")))
        .withRuntimeSecret("OPENAI_API_KEY", secretArg(h.engine.secretArgument("openai", "sk-1")))
        .withRuntimeSecret("DATABASE_URL", secretArg(h.engine.secretArgument("db", "postgresql://u:p@db/x")))
      return (await call<Directory>(mod, "deploy", { env: "staging", version: "v1.2.3", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")) })).id()
    })
    const chain = runsOf("deploy")[0]!
    const secrets = chain.filter((op) => op.field === "withSecretVariable").map((op) => `${String(op.args.name)}=${argChain(h.engine, op, "secret")[0]!.args.name}`)
    expect(secrets).toEqual(["HELLO_CI_WEBHOOK_URL=webhook", "HELLO_CI_RUNTIME_0=openai", "HELLO_CI_RUNTIME_1=db"])
    const argv = lastExec(chain)
    expect(argv.filter((_, i) => argv[i - 1] === "--secret-from-env")).toEqual(["OPENAI_API_KEY=HELLO_CI_RUNTIME_0", "DATABASE_URL=HELLO_CI_RUNTIME_1"])
  })

  it("fails the call when the deploy did not go live, with the toolkit's line and the Markdown report", async () => {
    installDeployFakes(h.engine, { failDeploy: 1 })
    const error = await h.run((m) => call(m, "deploy", { env: "staging", version: "v1.2.3", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")) })).then(() => undefined, (e: unknown) => e as Error)
    expect(error?.message).toMatch(/^deploy failed \(exit 1\): hello-ci: deploy staging: rejected: wait for ready: /)
    expect(error?.message).toContain("# Deploy of v1.2.3 to staging: rejected before the switch (live untouched)")
  })

  it("refuses an unknown environment through the toolkit before resolving any image", async () => {
    installDeployFakes(h.engine)
    h.engine.failExec({ matches: (a) => a[2] === "deploy-images", exitCode: 2, stderr: 'hello-ci: deploy-images: --env: unknown environment "qa"; known environments: production, staging' })
    await expect(h.run((m) => call(m, "deploy", { env: "qa", version: "v1.2.3", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")) }))).rejects.toThrow(
      /^deploy refused the input \(exit 2\): hello-ci: deploy-images: --env: unknown environment "qa"; known environments: production, staging$/,
    )
    expect(h.engine.requests.some((r) => r.leaf.field === "imageRef")).toBe(false)
  })
})

describe("rollback and status (tier 3)", () => {
  it("rollback passes --to-revision only when given, and runs uncached with the kubeconfig secret", async () => {
    installDeployFakes(h.engine)
    await h.run(async (m) => (await call<Directory>(m, "rollback", { env: "production", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")), yes: true })).id())
    await h.run(async (m) => (await call<Directory>(m, "rollback", { env: "production", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")), toRevision: 7, yes: true })).id())
    const runs = runsOf("rollback").map((c) => lastExec(c).slice(2).join(" "))
    expect(new Set(runs)).toEqual(new Set([
      "rollback --env production --kubeconfig /run/secrets/kubeconfig --yes --json --report /out/report.md --backup /out/backup.json",
      "rollback --env production --kubeconfig /run/secrets/kubeconfig --to-revision 7 --yes --json --report /out/report.md --backup /out/backup.json",
    ]))
    for (const chain of runsOf("rollback")) expect(envAt(chain).CACHE_BUSTER).toMatch(/^\d{4}-/)
  })

  it("status prints what the toolkit prints, never cached", async () => {
    installDeployFakes(h.engine)
    h.engine.onLeaf((chain, leaf) => (leaf.field === "stdout" && lastExec(chain)[2] === "status" ? "# production\n\nLive: **green v1.2.3**\n" : undefined))
    const text = await h.run((m) => call<string>(m, "status", { env: "production", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")) }))
    expect(text).toBe("# production\n\nLive: **green v1.2.3**\n")
    expect(lastExec(runsOf("status")[0]!).slice(2)).toEqual(["status", "--env", "production", "--kubeconfig", "/run/secrets/kubeconfig"])
  })

  it("with-registry-auth credentials resolve private images (withRegistryAuth on the resolving container)", async () => {
    installDeployFakes(h.engine)
    await h.run(async (m) => (await call<Directory>(m.withRegistryAuth("octocat", secret("ghcr", "ghp_x")), "deploy", { env: "staging", version: "v1.2.3", kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")) })).id())
    const resolving = h.engine.requests.filter((r) => r.leaf.field === "imageRef").map((r) => r.chain)
    expect(resolving).toHaveLength(2)
    for (const chain of resolving) expect(chain.find((op) => op.field === "withRegistryAuth")?.args).toMatchObject({ address: "ghcr.io", username: "octocat" })
  })
})

describe("ECS environments (tier 3)", () => {
  const aws = (m: Parameters<Parameters<typeof h.run>[0]>[0], token = true) =>
    m.withAwsCredentials(secretArg(h.engine.secretArgument("aws-id", "AKIA")), secretArg(h.engine.secretArgument("aws-secret", "s")), ...(token ? [secretArg(h.engine.secretArgument("aws-token", "t"))] : []))

  it("deploy hands the AWS credentials over as the SDK's secret variables, with no kubeconfig, still by digest", async () => {
    installDeployFakes(h.engine, { target: "ecs" })
    await h.run(async (m) => (await call<Directory>(aws(m), "deploy", { env: "staging", version: "v1.2.3", yes: true })).id())
    const chain = runsOf("deploy")[0]!
    const secrets = chain.filter((op) => op.field === "withSecretVariable").map((op) => `${String(op.args.name)}=${argChain(h.engine, op, "secret")[0]!.args.name}`)
    expect(secrets).toEqual(["AWS_ACCESS_KEY_ID=aws-id", "AWS_SECRET_ACCESS_KEY=aws-secret", "AWS_SESSION_TOKEN=aws-token"])
    expect(chain.some((op) => op.field === "withMountedSecret")).toBe(false)
    const argv = lastExec(chain)
    expect(argv).not.toContain("--kubeconfig")
    expect(envAt(chain).KUBECONFIG).toBeUndefined()
    expect(flag(argv, "--backend-image")).toBe(`ghcr.io/helloagents/helloagents-backend@sha256:${"0".repeat(64)}`)
    expect(envAt(chain).CACHE_BUSTER).toMatch(/^\d{4}-/)
  })

  it("rollback and status pass the credentials the same way; a session token is optional", async () => {
    installDeployFakes(h.engine, { target: "ecs" })
    await h.run(async (m) => (await call<Directory>(aws(m, false), "rollback", { env: "production", yes: true })).id())
    await h.run((m) => call<string>(aws(m), "status", { env: "production" }))
    const names = (verb: string) => runsOf(verb)[0]!.filter((op) => op.field === "withSecretVariable").map((op) => String(op.args.name))
    expect(names("rollback")).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
    expect(names("status")).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"])
    expect(lastExec(runsOf("status")[0]!).slice(2)).toEqual(["status", "--env", "production"])
  })

  it.each([
    ["an ECS environment without AWS credentials", "ecs", false, false, /^deploy: environment staging deploys to ECS: give AWS credentials first, e\.g\. with-aws-credentials --access-key-id env:\/\/AWS_ACCESS_KEY_ID/],
    ["an ECS environment with a kubeconfig", "ecs", true, true, /^deploy: environment staging deploys to ECS: drop --kubeconfig and give AWS credentials with with-aws-credentials$/],
    ["a Kubernetes environment without a kubeconfig", "kubernetes", false, true, /^deploy: environment staging deploys to Kubernetes: give --kubeconfig file:\/\/… \(a kubeconfig with embedded credentials\)$/],
  ] as const)("refuses %s before resolving any image", async (_name, target, kubeconfig, withAws, message) => {
    installDeployFakes(h.engine, { target })
    const run = h.run(async (m) => {
      const mod = withAws ? aws(m) : m
      return call(mod, "deploy", { env: "staging", version: "v1.2.3", ...(kubeconfig ? { kubeconfig: secretArg(h.engine.secretArgument("kubeconfig", "k")) } : {}) })
    })
    await expect(run).rejects.toThrow(message)
    expect(h.engine.requests.some((r) => r.leaf.field === "imageRef")).toBe(false)
    expect(runsOf("deploy")).toEqual([])
  })
})
