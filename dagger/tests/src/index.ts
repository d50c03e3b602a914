/**
 * Real-engine tests of the helloagents module: each function drives the module through its generated bindings and
 * checks what an engine really produced. Run them all with `dagger -m dagger/tests call all` (CI does, on main).
 * Where no engine runs (the development machines), this module is only type-checked against offline bindings.
 */
import { Container, HelloagentsReleaseStep, dag, func, object } from "@dagger.io/dagger"

/** Platforms every release image is built for. */
const PLATFORMS = ["linux/amd64", "linux/arm64"]

/** A version for rehearsals: a prerelease, so no `latest` or short tags are planned. */
const REHEARSAL = "v0.0.0-enginetest.1"

/**
 * A release step as the engine names it. The 0.21 generated client sends the members of an enum list by value
 * (`tests`), which the engine refuses ("invalid enum member"); the CLI's `--skip tests` is unaffected. Seen on the
 * engine lab (ci/test/engine).
 */
function step(value: HelloagentsReleaseStep): HelloagentsReleaseStep {
  return value.toUpperCase() as HelloagentsReleaseStep
}

/** Fail with `message` unless `ok`. */
function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message)
}

/** Return the message of a rejected call, or fail because it succeeded. */
async function rejection(call: Promise<unknown>, what: string): Promise<string> {
  try {
    await call
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  throw new Error(`${what} succeeded but should have failed`)
}

/** Run `node -e script` in a container built on the toolkit (the module's one image with an HTTP client, fetch). */
function fetchFrom(ctr: Container, script: string): Promise<string> {
  return ctr.withExec(["node", "--input-type=module", "-e", script]).stdout()
}

@object()
export class HelloagentsTests {
  /** Run every test in parallel and name each one that failed. */
  @func()
  async all(): Promise<string> {
    const tests: Array<[string, () => Promise<string>]> = [
      ["test-reports", () => this.testReports()],
      ["build", () => this.build()],
      ["dev", () => this.dev()],
      ["smoke-images", () => this.smokeImages()],
      ["release-dry-run", () => this.releaseDryRun()],
      ["release-refuses-bad-version", () => this.releaseRefusesBadVersion()],
    ]
    const results = await Promise.allSettled(tests.map(([, run]) => run()))
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [`${tests[i]![0]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : []))
    if (failed.length > 0) throw new Error(`${failed.length} of ${tests.length} tests failed:\n${failed.join("\n")}`)
    return results.map((r, i) => `ok ${tests[i]![0]}: ${r.status === "fulfilled" ? r.value : ""}`).join("\n")
  }

  /** Check that test-reports holds the JUnit and coverage files of both apps. */
  @func()
  async testReports(): Promise<string> {
    const files = await dag.helloagents().testReports().glob("**/*") // the engine's glob has no {a,b} alternatives
    const want = ["backend/junit.xml", "backend/coverage.xml", "frontend/reports/junit.xml", "frontend/coverage/cobertura-coverage.xml", "frontend/coverage/lcov.info"]
    for (const file of want) check(files.includes(file), `test-reports lacks ${file} (has: ${files.join(", ")})`)
    return `${files.length} report files`
  }

  /** Check that build returns one backend and one frontend image per platform, each for its platform. */
  @func()
  async build(): Promise<string> {
    const build = dag.helloagents().build()
    check(JSON.stringify(await build.platforms()) === JSON.stringify(PLATFORMS), "build did not default to linux/amd64,linux/arm64")
    for (const images of [await build.backend(), await build.frontend()]) {
      const platforms = await Promise.all(images.map((image) => image.platform()))
      check(JSON.stringify(platforms) === JSON.stringify(PLATFORMS), `images built for ${platforms.join(", ")}`)
    }
    return "4 images, each for its platform"
  }

  /** Check that the dev stack serves the console's health and proxies /api/ to a backend that reaches PostgreSQL. */
  @func()
  async dev(): Promise<string> {
    const client = dag.helloagents().toolkit().withServiceBinding("stack", dag.helloagents().dev())
    const script = [
      "const get = async (p) => { const r = await fetch('http://stack:8080' + p); return [r.status, await r.text()] }",
      "const [web, db] = [await get('/health'), await get('/api/health/db')]",
      "if (web[0] !== 200 || db[0] !== 200 || JSON.parse(db[1]).status !== 'pass') { console.error(JSON.stringify({ web, db })); process.exit(1) }",
      "console.log('console ' + web[0] + ', /api/health/db ' + JSON.parse(db[1]).status)",
    ].join(";")
    return (await fetchFrom(client, script)).trim()
  }

  /** Check that the freshly built images pass the smoke suite when run as services. */
  @func()
  async smokeImages(): Promise<string> {
    const report = await dag.helloagents().smokeImages()
    check(report.trim() !== "", "smoke-images returned an empty report")
    return "smoke suite passed"
  }

  /** Check a dry-run release: every index lists both platforms, provenance and report are written, nothing is signed. */
  @func()
  async releaseDryRun(): Promise<string> {
    const report = dag
      .helloagents()
      .withRepositoryUrl("https://github.com/helloagents/helloagents")
      .release(REHEARSAL, { dryRun: true, skip: [step(HelloagentsReleaseStep.Tests)] })
    const record = JSON.parse(await report.file("release.json").contents()) as {
      tags: string[]; dryRun: boolean; signed: boolean; source?: string
      images: Array<{ name: string; digest: string; provenance?: string; platforms: Array<{ platform: string; digest: string | null }> }>
    }
    check(record.dryRun && !record.signed, "a dry run must not sign")
    check(record.tags[0] === "0.0.0-enginetest.1" && !record.tags.includes("latest"), `unexpected tags ${record.tags.join(", ")}`)
    check(record.source === "https://github.com/helloagents/helloagents", "release.json lacks the repository URL")
    check(record.images.length === 2, `expected 2 images, got ${record.images.length}`)
    for (const image of record.images) {
      check(/^sha256:[0-9a-f]{64}$/.test(image.digest), `${image.name} has no index digest`)
      const read = image.platforms.map((p) => `${p.platform}=${p.digest ? "ok" : "missing"}`).join(", ")
      check(image.platforms.length === 2 && image.platforms.every((p) => p.digest !== null), `${image.name}: ${read}`)
      const predicate = JSON.parse(await report.file(image.provenance ?? "missing").contents()) as { buildDefinition: { externalParameters: { image: string } } }
      check(predicate.buildDefinition.externalParameters.image === image.name, `${image.name}: provenance names another image`)
    }
    check((await report.file("summary.md").contents()).includes("dry run"), "summary.md does not say it was a dry run")
    return `published ${record.images.map((i) => i.name).join(" and ")} to the throwaway registry, ${record.tags.length} tags`
  }

  /** Check that a malformed version fails the release with the toolkit's one-line hint, before anything is built. */
  @func()
  async releaseRefusesBadVersion(): Promise<string> {
    const message = await rejection(dag.helloagents().release("1.2", { dryRun: true, skip: [step(HelloagentsReleaseStep.Tests)] }).sync(), "release --version 1.2")
    check(message.includes("expected vMAJOR.MINOR.PATCH"), `unexpected error: ${message}`)
    return "refused 1.2 with the version hint"
  }
}
