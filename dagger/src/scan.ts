/**
 * Scans: Trivy (pinned by digest) over every unpublished image variant, or over the source tree (dependency manifests
 * and lockfiles for vulnerabilities, every file for secrets); reports always written, then the toolkit's `scan-gate`
 * decides from the JSON reports.
 *
 * What each report holds (decided here, not left to Trivy's per-format defaults):
 * - `<variant>.trivy.json`: every finding of every severity (the gate needs the full picture to count);
 * - `<variant>.sarif`: the same complete finding set, converted from the JSON, so GitHub code scanning
 *   shows everything with Trivy's severities; it is *not* filtered by the gate policy (trivy-action's
 *   SARIF gotcha), and a finding there does not by itself mean the release was blocked;
 * - `<variant>.txt`: the same, as Trivy's table for people;
 * - `scan-summary.md` and `scan-gate.json`: the policy's verdict (blocking, ignored, expired ignores).
 */
import { Container, Directory, dag } from "@dagger.io/dagger"

import { CACHE_PATHS, TRIVY_DB_SHARING, trivyDbCache } from "./caches.js"
import { base } from "./images.js"
import { OUT_DIR } from "./paths.js"
import { ScanPolicy } from "./scan-policy.js"
import { execOutput, execSummary, isExecFailure } from "./stages.js"
import { parseScanVerdict } from "./toolkit-json.js"
import { ToolkitRun, okOrThrow, runToolkit } from "./toolkit-run.js"
import { Variant, variantName } from "./variants.js"

/** One scan-and-gate run: its policy, and a value that changes every run so no scan or verdict comes from the cache. */
export interface ScanRun {
  readonly policy: ScanPolicy
  readonly fresh: string
}

/** Where the image tarball is mounted in the scanner. */
export const IMAGE_TAR = "/image.tar"

/** Return the pinned Trivy container with the LOCKED DB cache and a cache-busting variable (a fresh DB check per run). */
export function trivy(fresh: string): Container {
  return base("trivy")
    .withEnvVariable("TRIVY_NO_PROGRESS", "true")
    .withoutEnvVariable("TRIVY_FORMAT")
    .withoutEnvVariable("TRIVY_OUTPUT")
    .withoutEnvVariable("TRIVY_EXIT_CODE") // findings never change Trivy's exit code: only its errors do
    .withMountedCache(CACHE_PATHS.trivyDb, trivyDbCache(), { sharing: TRIVY_DB_SHARING })
    .withEnvVariable("CACHE_BUSTER", fresh)
}

/** Where the source tree is mounted in the scanner. */
export const SOURCE_DIR = "/src"

/** File-name stem of the source-tree reports (`source.trivy.json`, `source.sarif`, `source.txt`). */
export const SOURCE_STEM = "source"

/** What one Trivy run scans: its subcommand, the flags that pick the target, and positional arguments. */
interface TrivyTarget {
  readonly command: "image" | "fs"
  readonly flags: readonly string[]
  readonly args: readonly string[]
}

/**
 * Run one scan in `ctr` and write its JSON, SARIF and table reports as `<stem>.*`; never fails on findings (no
 * `--exit-code`). A Trivy error (no DB, an unreadable image) fails here with Trivy's own message: tolerating it would
 * leave no report, and the gate would blame a missing file instead.
 */
function writeReports(ctr: Container, target: TrivyTarget, stem: string, policy: ScanPolicy): Directory {
  const out = `${OUT_DIR}/${stem}`
  const db = policy.dbRepository ? ["--db-repository", policy.dbRepository] : []
  return ctr
    .withExec(["mkdir", "-p", OUT_DIR])
    .withExec(["trivy", target.command, ...target.flags, "--cache-dir", CACHE_PATHS.trivyDb, ...db, "--format", "json", "--output", `${out}.trivy.json`, ...target.args])
    .withExec(["trivy", "convert", "--format", "sarif", "--output", `${out}.sarif`, `${out}.trivy.json`])
    .withExec(["trivy", "convert", "--format", "table", "--output", `${out}.txt`, `${out}.trivy.json`])
    .directory(OUT_DIR)
}

/** Scan one variant's tarball and write its JSON, SARIF and table reports; never fails on findings. */
export function scanVariant(variant: Variant, run: ScanRun): Directory {
  const ctr = trivy(run.fresh).withMountedFile(IMAGE_TAR, variant.container.asTarball())
  return writeReports(ctr, { command: "image", flags: ["--input", IMAGE_TAR], args: [] }, variantName(variant), run.policy)
}

/** Scan the source tree: dependency manifests and lockfiles for vulnerabilities, every file for secrets. */
export function scanTree(source: Directory, run: ScanRun): Directory {
  const ctr = trivy(run.fresh).withMountedDirectory(SOURCE_DIR, source)
  return writeReports(ctr, { command: "fs", flags: ["--scanners", "vuln,secret"], args: [SOURCE_DIR] }, SOURCE_STEM, run.policy)
}

/** Scan every variant and gather all reports in one directory. */
export function scanVariants(variants: readonly Variant[], run: ScanRun): Directory {
  return variants.reduce((dir, v) => dir.withDirectory(".", scanVariant(v, run)), dag.directory())
}

/** Where the gate writes its Markdown summary and its JSON verdict. */
const GATE_SUMMARY = `${OUT_DIR}/scan-summary.md`
const GATE_JSON = `${OUT_DIR}/scan-gate.json`

/** Run `hello-ci scan-gate` over the JSON report of every stem; its exit code is the verdict (0 pass, 1 block). */
export async function scanGate(toolkit: Container, reports: Directory, stems: readonly string[], run: ScanRun): Promise<ToolkitRun> {
  const { policy, fresh } = run
  const reportArgs = stems.flatMap((stem) => ["--report", `/reports/${stem}.trivy.json`])
  const ignore = policy.ignorefile ? ["--ignorefile", "/policy/trivyignore.yaml"] : []
  const unfixed = policy.ignoreUnfixed ? ["--ignore-unfixed"] : []
  let ctr = toolkit.withMountedDirectory("/reports", reports)
  if (policy.ignorefile) ctr = ctr.withMountedFile("/policy/trivyignore.yaml", policy.ignorefile)
  const args = ["scan-gate", ...reportArgs, "--severity", policy.severity.join(","), ...unfixed, ...ignore, "--summary", GATE_SUMMARY, "--json"]
  // Fresh: the verdict depends on the date (ignore entries expire).
  return runToolkit(ctr, args, { fresh, redirectStdout: GATE_JSON })
}

/** Return the reports plus the gate's summary and JSON verdict. */
export function withGateFiles(reports: Directory, gate: ToolkitRun): Directory {
  return reports.withFile("scan-summary.md", gate.file(GATE_SUMMARY)).withFile("scan-gate.json", gate.file(GATE_JSON))
}

/** What one scan-and-gate run produced. */
export interface ScanOutcome {
  /** Every report, `scan-summary.md` and `scan-gate.json`. */
  readonly reports: Directory
  /** `pass` or `block`. */
  readonly decision: "pass" | "block"
  /** Number of findings that block under the policy. */
  readonly blocking: number
  /** The gate's one-line reason, with its finding counts. */
  readonly reason: string
  /** Findings by severity over all reports, before the policy. */
  readonly counts: Readonly<Record<string, number>>
}

/** Scan every variant, run the gate, and return the reports with the parsed verdict; throw if the gate could not decide. */
export async function runScan(toolkit: Container, variants: readonly Variant[], run: ScanRun): Promise<ScanOutcome> {
  return gateReports(toolkit, scanVariants(variants, run), variants.map(variantName), run)
}

/** Scan the source tree, run the gate, and return the reports with the parsed verdict. */
export async function runSourceScan(toolkit: Container, source: Directory, run: ScanRun): Promise<ScanOutcome> {
  return gateReports(toolkit, scanTree(source, run), [SOURCE_STEM], run)
}

/** Gate the reports of these stems and return them with the parsed verdict; throw if the gate could not decide. */
async function gateReports(toolkit: Container, reports: Directory, stems: readonly string[], run: ScanRun): Promise<ScanOutcome> {
  const gate = await scanGate(toolkit, reports, stems, run).catch((err: unknown) => {
    // The gate runs on the reports, so a failed scan surfaces here: name Trivy's command and show what it said.
    if (isExecFailure(err)) throw new Error(`scan failed: ${execSummary(err)}\n${execOutput(err)}`)
    throw err
  })
  await okOrThrow(gate, { accept: [0, 1], refusal: "scan-gate could not decide" })
  const verdict = parseScanVerdict(await gate.file(GATE_JSON).contents())
  return { reports: withGateFiles(reports, gate), ...verdict }
}

/** Return the source scan's verdict line; when blocked, throw with the gate's Markdown summary (findings, fixed versions). */
export async function sourceVerdict(scan: ScanOutcome): Promise<string> {
  if (scan.decision === "pass") return `scan-source: ${scan.reason}`
  const summary = await scan.reports.file("scan-summary.md").contents()
  throw new Error(`scan-source: ${scan.reason}\n\n${summary.trim()}`)
}
