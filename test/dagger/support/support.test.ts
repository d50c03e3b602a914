// The fake engine and matchers are test code too: prove they see what they claim to see.
import { dag, ExecError, ReturnType } from "@dagger.io/dagger"
import { describe, expect, it } from "vitest"

import { chainRunning, execIndex, oneLine, render, secretLeaks, secretPlaintexts } from "./chains.ts"
import { useFakeEngine } from "./module.ts"
import { withEngine } from "./session.ts"

const h = useFakeEngine()
const run = <T>(fn: () => Promise<T>) => withEngine(h.engine, fn)

describe("FakeEngine", () => {
  it("records a chain through the SDK's real session client and answers leaves", async () => {
    const out = await run(() => dag.container().from("alpine:3").withExec(["echo", "hi"]).stdout())
    expect(out).toBe("")
    const req = h.engine.requests.at(-1)!
    expect(req.leaf.field).toBe("stdout")
    expect(oneLine(h.engine, req.chain)).toBe('container() → from(address: "alpine:3") → withExec(args: ["echo", "hi"])')
  })

  it("issues content-addressed ids and resolves node(id:) back to the chain", async () => {
    const [a, b] = await run(() => Promise.all([dag.directory().withNewDirectory("x").id(), dag.directory().withNewDirectory("x").id()]))
    expect(a).toBe(b)
    const synced = await run(async () => (await dag.container().from("alpine:3").sync()).withExec(["true"]).exitCode())
    expect(synced).toBe(0)
    expect(h.engine.requests.at(-1)!.chain.map((op) => op.field)).toEqual(["container", "from", "withExec"])
  })

  it("expands id arguments when rendering", async () => {
    await run(() => dag.container().withMountedCache("/c", dag.cacheVolume("k")).sync())
    expect(render(h.engine, h.engine.requests.at(-1)!.chain)).toContain('cache: { cacheVolume(key: "k") }')
  })

  it("fails a matching exec with an SDK ExecError, unless the exec tolerates any exit code", async () => {
    h.engine.failExec({ matches: (a) => a[0] === "false", exitCode: 3, stderr: "nope" })
    const err = await run(() => dag.container().withExec(["false"]).sync()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ExecError)
    expect((err as ExecError).exitCode).toBe(3)
    const code = await run(() => dag.container().withExec(["false"], { expect: ReturnType.Any }).exitCode())
    expect(code).toBe(3)
  })

  it("measures concurrency of delayed leaves", async () => {
    h.engine.delayLeaf("exitCode", 100)
    await run(() => Promise.all([1, 2, 3].map((n) => dag.container().withExec(["sleep", String(n)]).exitCode())))
    expect(h.engine.peakConcurrency("exitCode")).toBe(3)
  })

  it("rejects requests without the session token", async () => {
    const res = await fetch(`http://127.0.0.1:${h.engine.port}/query`, { method: "POST", body: "{}" })
    expect(res.status).toBe(401)
  })

  it("validates queries against the 0.21.8 schema when it is available", async () => {
    await run(() => dag.container().from("alpine:3").sync())
    expect(h.engine.validationErrors).toEqual([])
  })
})

describe("matchers", () => {
  it("finds the chain running a command and its position", async () => {
    await run(() => dag.container().withWorkdir("/w").withExec(["make", "test"]).sync())
    const chain = chainRunning(h.engine, ["make", "test"])
    expect(execIndex(chain, ["make", "test"])).toBe(2)
    expect(() => chainRunning(h.engine, ["make", "lint"])).toThrow(/no recorded chain/)
  })

  it("detects a secret plaintext copied into an env var, an exec argument or a file", async () => {
    await run(async () => {
      const token = dag.setSecret("token", "s3cr3t-value")
      await dag.container().withSecretVariable("TOKEN", token).withEnvVariable("LEAK", "s3cr3t-value").sync()
      await dag.container().withExec(["curl", "-H", "auth: s3cr3t-value"]).sync()
      await dag.container().withNewFile("/f", "s3cr3t-value").sync()
    })
    const plaintexts = secretPlaintexts(h.engine)
    expect(plaintexts).toEqual(["s3cr3t-value"])
    expect(secretLeaks(h.engine, plaintexts).sort()).toEqual(["env LEAK contains a secret value", "exec args contains a secret value", "file /f contains a secret value"])
  })
})
