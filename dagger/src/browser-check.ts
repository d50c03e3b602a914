/**
 * The post-deploy browser check: `hello-ci browser-check` in the toolkit container with Chromium under it, against an
 * environment's public URL. Headless Chromium loads the console, waits for the API health badge to show pass, and fails
 * on console errors or CSP violations; the report directory holds browser-check.json and screenshot.png.
 */
import { Container, Directory } from "@dagger.io/dagger"

import { APT_SHARING, CACHE_PATHS, aptArchivesCache, aptListsCache } from "./caches.js"
import { base } from "./images.js"
import { OUT_DIR } from "./paths.js"
import { runToolkit, toolkitMessage } from "./toolkit-run.js"

/** Where Debian's chromium package puts the browser; hello-ci reads it from CHROMIUM_PATH. */
export const CHROMIUM_PATH = "/usr/bin/chromium"
/** Debian packages installed for the check: the browser, and fonts so the screenshot shows text rather than boxes. */
export const CHROMIUM_PACKAGES = ["chromium", "fonts-liberation"] as const
/** Where the toolkit writes the report (browser-check.json, screenshot.png). */
export const BROWSER_REPORT_DIR = `${OUT_DIR}/browser`

/**
 * Return the pinned Node image with Chromium installed by apt (download and list caches LOCKED). The apt package
 * versions follow the pinned base image's Debian release (bookworm) and its security updates at install time; they
 * are not pinned one by one (Debian keeps one version of a package per release), so the image digest is the pin.
 */
export function chromiumRuntime(): Container {
  return base("node")
    .withMountedCache(CACHE_PATHS.aptArchives, aptArchivesCache(), { sharing: APT_SHARING })
    .withMountedCache(CACHE_PATHS.aptLists, aptListsCache(), { sharing: APT_SHARING })
    // Debian images delete downloaded packages after every install; keep them in the cache volume instead.
    .withExec(["rm", "-f", "/etc/apt/apt.conf.d/docker-clean"])
    .withExec(["apt-get", "update"])
    .withExec(["apt-get", "install", "-y", "--no-install-recommends", ...CHROMIUM_PACKAGES])
    .withoutMount(CACHE_PATHS.aptArchives)
    .withoutMount(CACHE_PATHS.aptLists)
    .withEnvVariable("CHROMIUM_PATH", CHROMIUM_PATH)
}

/** What to look at (exactly one of `url` and `env`) and how: the wait, and the release the console must show. */
export interface BrowserCheckTarget {
  readonly url?: string
  readonly env?: string
  readonly timeout?: string
  readonly expectVersion?: string
}

/** Build the `browser-check` arguments for a URL or an environment's urls.frontend (exactly one). */
export function browserCheckArgs({ url, env, timeout, expectVersion }: BrowserCheckTarget): string[] {
  if ((url !== undefined) === (env !== undefined)) throw new Error("browser-check: give either --url URL (the console's public URL) or --env NAME (an environment of ci/config/environments.yaml)")
  const target = url !== undefined ? ["--url", url] : ["--env", env!]
  return [
    "browser-check", ...target,
    ...(timeout !== undefined ? ["--timeout", timeout] : []),
    ...(expectVersion !== undefined ? ["--expect-version", expectVersion] : []),
    "--report", BROWSER_REPORT_DIR, "--json",
  ]
}

/**
 * Run the check and return the report directory when it passed. A failed check (exit 1) or a page that did not answer
 * (exit 3) fails the call with the toolkit's line, unless `allowFailure`: then the report (with the failure's
 * screenshot) comes back for export. Invalid input (exit 2) always fails: there is no report.
 */
export async function runBrowserCheck(toolkit: Container, args: readonly string[], opts: { fresh: string; allowFailure: boolean }): Promise<Directory> {
  const run = await runToolkit(toolkit, args, { fresh: opts.fresh })
  if (run.exitCode === 0 || (opts.allowFailure && (run.exitCode === 1 || run.exitCode === 3))) return run.container.directory(BROWSER_REPORT_DIR)
  const line = toolkitMessage(await run.stderr())
  const hint = run.exitCode === 2 ? "" : "\nThe report with the failure's screenshot: the same call with --allow-failure, then export --path …"
  throw new Error(`browser-check failed (exit ${run.exitCode}): ${line}${hint}`)
}
