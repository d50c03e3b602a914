// GitHub workflows: actionlint 1.7.12 (the release the module's `lint` runs, built from the Go module proxy by
// ci/test/tools/build-tools.sh) with shellcheck finds nothing, and every action is pinned to a commit with its version.
import { execFileSync, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"

import { booleanFlags, checkCall, segments, type Surface } from "./support/dagger-call.ts"
import { loadSurface } from "./support/surface.mjs"

const ROOT = join(import.meta.dirname, "../..")
const WORKFLOWS = join(ROOT, ".github/workflows")
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f))
const USES = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/

interface Finding { message: string; filepath: string; line: number; column: number; kind: string }

let actionlint = ""
let shellcheck = ""
let surface: Surface

beforeAll(async () => {
  surface = (await loadSurface()) as typeof surface
  const built = execFileSync("bash", [join(ROOT, "ci/test/tools/build-tools.sh"), "actionlint"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
  actionlint = built.split("\n").find((l) => l.startsWith("actionlint "))?.slice("actionlint ".length) ?? ""
  shellcheck = spawnSync("sh", ["-c", "command -v shellcheck"], { encoding: "utf8" }).stdout.trim()
}, 600_000)

/** Run actionlint (with shellcheck) on files, or on a workflow given on stdin; return its findings. */
function lint(args: string[], stdin?: string): Finding[] {
  const run = spawnSync(actionlint, ["-format", "{{json .}}", "-shellcheck", shellcheck, ...args], { cwd: ROOT, encoding: "utf8", input: stdin })
  if (run.status !== 0 && run.status !== 1) throw new Error(`actionlint failed (exit ${run.status}): ${run.stderr}`)
  return JSON.parse(run.stdout || "[]") as Finding[]
}

const show = (f: Finding) => `${f.filepath}:${f.line}:${f.column} ${f.message} [${f.kind}]`

/** deploy.yml's "Browser check verdict" script (the same in every deploy job: expectBrowserCheckAfter checks that). */
const VERDICT_SCRIPT = (() => {
  const wf = parse(readFileSync(join(WORKFLOWS, "deploy.yml"), "utf8")) as { jobs: Record<string, { steps: Array<{ name?: string; run?: string }> }> }
  const run = wf.jobs["staging"]?.steps.find((s) => s.name === "Browser check verdict")?.run
  if (!run) throw new Error("deploy.yml: the staging job has no 'Browser check verdict' step")
  return run
})()

describe(".github/workflows", () => {
  it("calls only module functions and flags that exist, with every required flag", () => {
    const calls = files.flatMap((file) => {
      const wf = parse(readFileSync(join(WORKFLOWS, file), "utf8")) as { jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }> }
      return Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith("dagger/dagger-for-github@") && s.with?.call && !s.with.module).map((s) => `${file}: ${s.with!.call!}`))
    })
    expect(calls.length).toBeGreaterThanOrEqual(4)
    for (const line of calls) expect(checkCall(surface, line.slice(line.indexOf(": ") + 2)), line).toEqual([])
    expect(checkCall(surface, "release --registry ghcr.io/x --version v1")).toEqual(["release takes no --registry"])
    expect(checkCall(surface, "with-registry-auth --username me release --version v1")).toEqual(["with-registry-auth needs --password"])
  })

  it("has at least the CI workflow, and the linters it needs (actionlint 1.7.12, shellcheck: `npm run setup`)", () => {
    expect(files).toContain("ci.yml")
    expect(spawnSync(actionlint, ["-version"], { encoding: "utf8" }).stdout).toMatch(/^1\.7\.12\n/)
    expect(shellcheck, "shellcheck is not installed: run `npm run setup` (apt package shellcheck)").not.toBe("")
  })

  it.each(files)("%s passes actionlint and shellcheck", (file) => {
    expect(lint([`.github/workflows/${file}`]).map(show)).toEqual([])
  })

  it("catches what it should: an untrusted expression in a script, an unquoted variable, an unknown permission", () => {
    const broken = [
      "on: pull_request",
      "permissions: { contents: read, attestation: write }",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      '      - run: echo "${{ github.event.pull_request.title }}"',
      "      - run: cat $FILE",
      "",
    ].join("\n")
    const kinds = lint(["-"], broken).map((f) => `${f.kind}: ${f.message}`)
    expect(kinds).toEqual(expect.arrayContaining([
      expect.stringMatching(/^permissions: unknown permission scope "attestation"/),
      expect.stringMatching(/^expression: "github\.event\.pull_request\.title" is potentially untrusted/),
      expect.stringMatching(/^shellcheck: shellcheck reported issue in this script: SC2086/),
    ]))
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

  type CiJob = { "timeout-minutes": number; needs?: string; if?: string; env?: Record<string, string>; steps: Array<{ uses?: string; run?: string; with?: Record<string, string> }> }
  const ci = () => parse(readFileSync(join(WORKFLOWS, "ci.yml"), "utf8")) as {
    concurrency: { "cancel-in-progress": boolean }
    permissions: Record<string, string>
    jobs: Record<string, CiJob>
  }
  const daggerSteps = (job: CiJob) => job.steps.filter((s) => s.uses?.startsWith("dagger/dagger-for-github@"))

  it("runs every job's Dagger steps on the pinned action and CLI 0.21.9, with cancel-in-progress, timeouts and reports kept", () => {
    const wf = ci()
    expect(wf.concurrency["cancel-in-progress"]).toBe(true)
    expect(wf.permissions).toEqual({ contents: "read" })
    expect(Object.keys(wf.jobs)).toEqual(["check", "rehearse-release", "engine-tests"])
    for (const job of Object.values(wf.jobs)) {
      expect(job["timeout-minutes"]).toBeGreaterThan(0)
      for (const step of daggerSteps(job)) {
        expect(step.uses).toBe("dagger/dagger-for-github@27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77")
        expect(step.with?.version).toBe("0.21.9")
      }
    }
    for (const name of ["check", "rehearse-release"]) expect(wf.jobs[name]!.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@")), name).toBe(true)
    expect(daggerSteps(wf.jobs.check!).some((s) => s.with?.verb === "check")).toBe(true)
  })

  it("runs the real-engine test module on main after the checks, as one Dagger step", () => {
    const job = ci().jobs["engine-tests"]!
    expect(job.needs).toBe("check")
    expect(job.if).toBe("${{ github.event_name != 'pull_request' }}")
    expect(daggerSteps(job).map((s) => s.with)).toEqual([{ version: "0.21.9", "cloud-token": "${{ secrets.DAGGER_CLOUD_TOKEN }}", module: "dagger/tests", call: "all" }])
  })

  it("rehearses the release on main after the checks: one --dry-run step, values through env, never on pull requests", () => {
    const job = ci().jobs["rehearse-release"]!
    expect(job.needs).toBe("check")
    expect(job.if).toBe("${{ github.event_name != 'pull_request' }}")
    const [release, ...others] = daggerSteps(job)
    expect(others).toEqual([])
    const call = release!.with!.call!
    expect(call).toMatch(/^with-repository-url --url "\$REPOSITORY_URL"\s+release --version "\$REHEARSAL_VERSION" --dry-run --skip tests\s+export --path release$/)
    expect(checkCall(surface, call)).toEqual([])
    expect(call).not.toContain("${{")
    expect(job.env?.REHEARSAL_VERSION).toBe("v0.0.0-ci.${{ github.run_number }}")
    expect(job.steps.some((s) => s.run?.includes('cat release/summary.md >> "$GITHUB_STEP_SUMMARY"'))).toBe(true)
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
    const releases = job!.steps.filter((s) => s.with?.call && segments(s.with.call, booleanFlags(surface)).some((c) => c.fn === "release"))
    expect(releases).toHaveLength(1)
    const step = releases[0]!
    expect(step.uses).toBe("dagger/dagger-for-github@27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77")
    expect(step.with?.version).toBe("0.21.9")
    const call = step.with!.call!
    expect(segments(call, booleanFlags(surface))).toEqual([
      { fn: "with-registry", flags: { "--address": "$RELEASE_REGISTRY" } },
      { fn: "with-registry-auth", flags: { "--username": "$RELEASE_ACTOR", "--password": "env://GHCR_TOKEN" } },
      { fn: "with-repository-url", flags: { "--url": "$RELEASE_REPOSITORY_URL" } },
      { fn: "with-keyless-signing", flags: { "--oidc-request-url": "env://ACTIONS_ID_TOKEN_REQUEST_URL", "--oidc-request-token": "env://ACTIONS_ID_TOKEN_REQUEST_TOKEN" } },
      { fn: "release", flags: { "--version": "$RELEASE_VERSION", "--invocation-id": "$RELEASE_RUN_URL" } },
      { fn: "export", flags: { "--path": "release" } },
    ])
    expect(checkCall(surface, call)).toEqual([])
    expect(call).not.toMatch(/\$\{\{/) // no expression interpolated into the command line
    expect(job!.env.RELEASE_REGISTRY).toBe("ghcr.io/${{ github.repository_owner }}")
    expect(step.env?.GHCR_TOKEN).toBe("${{ secrets.GITHUB_TOKEN }}")
    const sarif = job!.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!
    expect(sarif.uses).toBe("github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e")
    expect(sarif.with?.sarif_file).toBe("release/scan")
    expect(job!.steps.some((s) => s.run?.includes('cat release/summary.md >> "$GITHUB_STEP_SUMMARY"'))).toBe(true)
    expect(job!.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true)
  })

  /**
   * Right after the deploy step: the browser check of the same environment (one dagger call, only when the deploy
   * succeeded, returning its report also when the check failed), the step that holds the job to the report's verdict,
   * and the report's upload.
   */
  function expectBrowserCheckAfter(job: string, env: string, steps: Array<{ id?: string; if?: string; uses?: string; run?: string; with?: Record<string, string> }>, deploy: number): void {
    const [check, verdict, upload] = steps.slice(deploy + 1, deploy + 4)
    const fns = (step: typeof check) => segments(step?.with?.call ?? "", booleanFlags(surface))
    expect(check?.uses, `${job}: the step after the deploy`).toMatch(/^dagger\/dagger-for-github@[0-9a-f]{40}$/)
    expect(check?.if, job).toBeUndefined() // runs only when the deploy succeeded
    expect(fns(check).map((c) => c.fn), job).toEqual(["browser-check", "export"])
    expect(fns(check)[0]!.flags, job).toEqual({ "--env": env, "--expect-version": "$DEPLOY_VERSION", "--allow-failure": true })
    expect(fns(check)[1]!.flags, job).toEqual({ "--path": "reports/browser" })
    expect(verdict?.if, job).toBeUndefined() // only after a check that returned its report
    expect(verdict?.run, job).toBe(VERDICT_SCRIPT)
    expect(upload?.uses, job).toMatch(/^actions\/upload-artifact@[0-9a-f]{40}$/)
    expect(upload?.if, job).toBe("${{ !cancelled() }}")
    expect(upload?.with?.path, job).toBe("reports/browser/")
  }

  it("the browser check's verdict step passes a pass report and fails the job on fail or unreachable, listing the reasons", () => {
    const dir = mkdtempSync(join(tmpdir(), "verdict-"))
    try {
      mkdirSync(join(dir, "reports/browser"), { recursive: true })
      const runWith = (report: object) => {
        writeFileSync(join(dir, "reports/browser/browser-check.json"), JSON.stringify(report))
        return spawnSync("bash", ["-e", "-o", "pipefail", "-c", VERDICT_SCRIPT], { cwd: dir, encoding: "utf8" })
      }
      const base = { url: "https://staging.example", badge: { status: "pass" }, browser: "131.0", reasons: [] as string[] }
      const pass = runWith({ ...base, verdict: "pass" })
      expect(pass.status, pass.stderr).toBe(0)
      expect(pass.stdout).toContain("browser-check: pass (https://staging.example, badge pass, Chromium 131.0)")
      const fail = runWith({ ...base, verdict: "fail", badge: { status: "fail" }, reasons: ["API health badge shows \"fail\"", "CSP violation: connect-src blocked https://x"] })
      expect(fail.status).toBe(1)
      expect(fail.stdout).toContain("  - CSP violation: connect-src blocked https://x")
      expect(fail.stdout).toContain("::error::post-deploy browser check: fail")
      const down = runWith({ ...base, verdict: "unreachable", badge: { status: null }, reasons: ["page load: net::ERR_CONNECTION_REFUSED"] })
      expect(down.status).toBe(1)
      expect(down.stdout).toContain("badge missing")
      rmSync(join(dir, "reports/browser/browser-check.json"))
      expect(spawnSync("bash", ["-e", "-c", VERDICT_SCRIPT], { cwd: dir, encoding: "utf8" }).status, "no report: the step fails").not.toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("deploys staging after a successful release and production on manual dispatch behind its environment, one dagger step each, on Kubernetes or ECS by a documented switch", () => {
    type Step = { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }
    type Job = { if: string; environment: string; permissions?: Record<string, string>; concurrency: { group: string; "cancel-in-progress": boolean }; "timeout-minutes": number; steps: Step[] }
    const wf = parse(readFileSync(join(WORKFLOWS, "deploy.yml"), "utf8")) as {
      on: { workflow_run: { workflows: string[]; types: string[] }; workflow_dispatch: { inputs: Record<string, { required: boolean; options?: string[] }> } }
      permissions: Record<string, string>
      jobs: Record<string, Job>
    }
    expect(wf.on.workflow_run).toEqual({ workflows: ["release"], types: ["completed"] })
    expect(wf.on.workflow_dispatch.inputs.environment?.options).toEqual(["staging", "production"])
    expect(wf.on.workflow_dispatch.inputs.version?.required).toBe(true)
    expect(wf.permissions).toEqual({ contents: "read", packages: "read" })
    expect(Object.keys(wf.jobs)).toEqual(["staging", "production", "staging-ecs", "production-ecs"])
    for (const [name, job] of Object.entries(wf.jobs)) {
      const env = name.replace(/-ecs$/, "")
      const ecs = name.endsWith("-ecs")
      const variable = `vars.DEPLOY_TARGET_${env.toUpperCase()}`
      expect(job.if, name).toContain(ecs ? `${variable} == 'ecs'` : `${variable} != 'ecs'`)
      expect(job.environment, name).toBe(env)
      expect(job.concurrency, name).toEqual({ group: `deploy-${env}`, "cancel-in-progress": false })
      expect(job["timeout-minutes"], name).toBeGreaterThan(0)
      // One dagger step deploys; the browser check follows it (plus the export of a failed check's report).
      const dagger = job.steps.filter((s) => s.uses?.startsWith("dagger/dagger-for-github@") && / deploy --env /.test(` ${s.with?.call ?? ""}`))
      expect(dagger, name).toHaveLength(1)
      const call = dagger[0]!.with!.call!
      const fns = segments(call, booleanFlags(surface))
      expect(call).not.toMatch(/\$\{\{/)
      expect(job.steps.some((s) => s.run?.includes('cat deploy/report.md >> "$GITHUB_STEP_SUMMARY"')), name).toBe(true)
      const aws = job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))
      if (ecs) {
        // OIDC for the ECS jobs only: short-lived keys of a role, handed to the module as secrets, no kubeconfig
        expect(job.permissions, name).toEqual({ contents: "read", packages: "read", "id-token": "write" })
        expect(aws, name).toHaveLength(1)
        expect(aws[0]!.with).toMatchObject({ "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}", "aws-region": "${{ vars.AWS_REGION }}" })
        expect(aws[0]!.with).not.toHaveProperty("aws-secret-access-key")
        expect(job.steps.indexOf(aws[0]!)).toBeLessThan(job.steps.indexOf(dagger[0]!))
        expect(fns.find((c) => c.fn === "with-aws-credentials")?.flags).toEqual({ "--access-key-id": "env://AWS_ACCESS_KEY_ID", "--secret-access-key": "env://AWS_SECRET_ACCESS_KEY", "--session-token": "env://AWS_SESSION_TOKEN" })
        expect(fns.find((c) => c.fn === "deploy")?.flags).toMatchObject({ "--env": env, "--version": "$DEPLOY_VERSION" })
        expect(fns.find((c) => c.fn === "deploy")?.flags).not.toHaveProperty("--kubeconfig")
        expect(JSON.stringify(job)).not.toContain("KUBECONFIG")
      } else {
        expect(job.permissions, name).toBeUndefined()
        expect(aws, name).toEqual([])
        expect(fns.find((c) => c.fn === "deploy")?.flags).toMatchObject({ "--env": env, "--version": "$DEPLOY_VERSION", "--kubeconfig": "env://KUBECONFIG_DATA" })
        expect(dagger[0]!.env?.KUBECONFIG_DATA).toBe("${{ secrets.KUBECONFIG }}") // a Secret, never a flag value
      }
      expect(fns.find((c) => c.fn === "deploy")?.flags["--yes"], name).toBe(env === "production" ? true : undefined)
      expectBrowserCheckAfter(name, env, job.steps, job.steps.indexOf(dagger[0]!))
    }
    expect(wf.jobs.staging!.if).toContain("github.event.workflow_run.conclusion == 'success'")
    expect(wf.jobs["staging-ecs"]!.if).toContain("github.event.workflow_run.conclusion == 'success'")
    expect(wf.jobs.production!.if).toBe("vars.DEPLOY_TARGET_PRODUCTION != 'ecs' && github.event_name == 'workflow_dispatch' && inputs.environment == 'production'")
    expect(wf.jobs["production-ecs"]!.if).toBe("vars.DEPLOY_TARGET_PRODUCTION == 'ecs' && github.event_name == 'workflow_dispatch' && inputs.environment == 'production'")
  })
})
