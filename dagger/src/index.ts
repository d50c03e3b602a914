/**
 * HelloAgents pipeline: test, lint, build and run the platform in containers, the same way on a laptop and in CI.
 */
import { Container, Directory, Platform, Service, argument, check, func, object } from "@dagger.io/dagger"

import { backendTestRun, ruffCheckRun, ruffFormatRun } from "./backend.js"
import { Build, DEFAULT_PLATFORMS, backendImage, buildAll, frontendImage } from "./build.js"
import { devStack } from "./dev.js"
import { npmRun } from "./frontend.js"
import { refreshPins } from "./images.js"
import { actionlintRun } from "./lint.js"
import { FRONTEND_DIR } from "./paths.js"
import { collectReports } from "./reports.js"
import { passed, runStages, verdict } from "./stages.js"

export { Build } from "./build.js"

/** Test, lint, build and run HelloAgents (FastAPI backend, React frontend) in containers. */
@object()
export class Helloagents {
  /** Repository files the pipeline reads (see the constructor's ignore list). */
  source: Directory

  constructor(
    /**
     * Repository to work on; defaults to the git root, keeping only the app folders and CI config.
     */
    @argument({
      defaultPath: "/",
      ignore: [
        "*",
        "!backend",
        "!frontend",
        "!.github",
        "**/node_modules",
        "**/.venv",
        "**/__pycache__",
        "**/.pytest_cache",
        "**/.ruff_cache",
        "**/.mypy_cache",
        "**/.coverage",
        "**/dist",
        "**/coverage",
        "**/reports",
        "**/.nginx-run",
        "**/.git",
        "**/.DS_Store",
      ],
    })
    source: Directory,
  ) {
    this.source = source
  }

  /** Run backend tests, frontend lint, frontend tests and the frontend build in parallel, then summarise. */
  @func({ cache: "session" })
  @check()
  async test(): Promise<string> {
    const results = await runStages([
      ["backend-test", () => this.backendTest()],
      ["frontend-lint", () => this.frontendLint()],
      ["frontend-test", () => this.frontendTest()],
      ["frontend-build", () => this.frontendBuild()],
    ])
    return verdict("test", results)
  }

  /** Collect every JUnit and coverage file, also when tests fail: `test-reports export --path reports`. */
  @func({ cache: "session" })
  testReports(): Directory {
    return collectReports(this.source)
  }

  /** Lint the backend (ruff check, ruff format), the frontend (eslint) and the GitHub workflows (actionlint). */
  @func()
  @check()
  async lint(): Promise<string> {
    const results = await runStages([
      ["ruff-check", () => passed("ruff-check", ruffCheckRun(this.source))],
      ["ruff-format", () => passed("ruff-format", ruffFormatRun(this.source))],
      ["eslint", () => this.frontendLint()],
      ["actionlint", () => passed("actionlint", actionlintRun(this.source))],
    ])
    return verdict("lint", results)
  }

  /** Build the backend image from backend/Dockerfile. */
  @func()
  backendImage(
    /** Target platform, e.g. linux/arm64; defaults to the engine's. */
    platform?: Platform,
  ): Container {
    return backendImage(this.source, platform)
  }

  /** Build the frontend image from frontend/Dockerfile. */
  @func()
  frontendImage(
    /** Target platform, e.g. linux/arm64; defaults to the engine's. */
    platform?: Platform,
  ): Container {
    return frontendImage(this.source, platform)
  }

  /** Build both images for every platform and return them. */
  @func()
  async build(
    /** Platforms to build, comma-separated on the CLI. */
    platforms: string[] = ["linux/amd64", "linux/arm64"],
  ): Promise<Build> {
    return buildAll(this.source, platforms.length > 0 ? platforms : [...DEFAULT_PLATFORMS])
  }

  /** Run the whole stack (PostgreSQL, Redis, backend, frontend on 8080): `dev up --ports 8080:8080`. */
  @func({ cache: "session" })
  dev(): Service {
    return devStack(this.source)
  }

  /** Run the backend tests (`python -m pytest`) against PostgreSQL and Redis; fail with their output. */
  @func({ cache: "session" })
  async backendTest(): Promise<Container> {
    return passed("backend-test", backendTestRun(this.source))
  }

  /** Run the frontend's `npm run lint`. */
  @func()
  async frontendLint(): Promise<Container> {
    return passed("frontend-lint", npmRun(this.source, "lint"))
  }

  /** Run the frontend's `npm test` (with coverage and JUnit). */
  @func()
  async frontendTest(): Promise<Container> {
    return passed("frontend-test", npmRun(this.source, "test"))
  }

  /** Run the frontend's `npm run build` and return `dist`. */
  @func()
  async frontendBuild(): Promise<Directory> {
    const ctr = await passed("frontend-build", npmRun(this.source, "build"))
    return ctr.directory(`${FRONTEND_DIR}/dist`)
  }

  /** Resolve every image tag again and print the pins to paste into dagger/src/images.ts. */
  @func({ cache: "never" })
  async pins(): Promise<string> {
    return refreshPins()
  }
}
