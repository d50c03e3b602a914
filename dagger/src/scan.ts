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
import { Container, Directory, File, ReturnType, dag } from "@dagger.io/dagger"

import { CACHE_PATHS, TRIVY_DB_SHARING, trivyDbCache } from "./caches.js"
import { base } from "./images.js"
import { OUT_DIR } from "./paths.js"
import { parseScanVerdict } from "./decisions.js"
import { helloCi } from "./toolkit.js"
import { Variant, variantName } from "./variants.js"

/** Severities Trivy assigns; the gate blocks on the ones given. */
export enum Severity {
  Unknown = "UNKNOWN",
  Low = "LOW",
  Medium = "MEDIUM",
  High = "HIGH",
  Critical = "CRITICAL",
}

/** Severities that block a release unless told otherwise. */
export const DEFAULT_SEVERITIES: readonly Severity[] = [Severity.High, Severity.Critical]

/** How to scan and what the gate blocks on. */
export interface ScanOptions {
  /** Vulnerability DB repository (a mirror); Trivy's upstream default when unset. */
  readonly dbRepository?: string
  /** Value of CACHE_BUSTER: a new value forces a fresh scan instead of a cached layer. */
  readonly cacheBuster: string
}

/** Gate policy handed to `hello-ci scan-gate`. */
export interface GatePolicy {
  readonly severities: readonly Severity[]
  readonly ignoreUnfixed: boolean
  readonly ignorefile?: File
}

/** Build the gate policy from the CLI flags: no severities given means the defaults (HIGH, CRITICAL). */
export function gatePolicy(severity: readonly Severity[] | undefined, ignoreUnfixed: boolean, ignorefile?: File): GatePolicy {
  return { severities: severity?.length ? severity : DEFAULT_SEVERITIES, ignoreUnfixed, ...(ignorefile ? { ignorefile } : {}) }
}

/** Where the image tarball is mounted in the scanner. */
export const IMAGE_TAR = "/image.tar"

/** Return the pinned Trivy container with the LOCKED DB cache and a cache-busting variable. */
export function trivy(opts: ScanOptions): Container {
  return base("trivy")
    .withEnvVariable("TRIVY_NO_PROGRESS", "true")
    .withoutEnvVariable("TRIVY_FORMAT")
    .withoutEnvVariable("TRIVY_OUTPUT")
    .withMountedCache(CACHE_PATHS.trivyDb, trivyDbCache(), { sharing: TRIVY_DB_SHARING })
    .withEnvVariable("CACHE_BUSTER", opts.cacheBuster)
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

/** Run one scan in `ctr` and write its JSON, SARIF and table reports as `<stem>.*`; never fails on findings. */
function writeReports(ctr: Container, target: TrivyTarget, stem: string, opts: ScanOptions): Directory {
  const out = `${OUT_DIR}/${stem}`
  const db = opts.dbRepository ? ["--db-repository", opts.dbRepository] : []
  const any = { expect: ReturnType.Any }
  return ctr
    .withExec(["mkdir", "-p", OUT_DIR])
    .withExec(
      ["trivy", target.command, ...target.flags, "--cache-dir", CACHE_PATHS.trivyDb, ...db, "--format", "json", "--output", `${out}.trivy.json`, ...target.args],
      any,
    )
    .withExec(["trivy", "convert", "--format", "sarif", "--output", `${out}.sarif`, `${out}.trivy.json`], any)
    .withExec(["trivy", "convert", "--format", "table", "--output", `${out}.txt`, `${out}.trivy.json`], any)
    .directory(OUT_DIR)
}

/** Scan one variant's tarball and write its JSON, SARIF and table reports; never fails on findings. */
export function scanVariant(variant: Variant, opts: ScanOptions): Directory {
  const ctr = trivy(opts).withMountedFile(IMAGE_TAR, variant.container.asTarball())
  return writeReports(ctr, { command: "image", flags: ["--input", IMAGE_TAR], args: [] }, variantName(variant), opts)
}

/** Scan the source tree: dependency manifests and lockfiles for vulnerabilities, every file for secrets. */
export function scanTree(source: Directory, opts: ScanOptions): Directory {
  const ctr = trivy(opts).withMountedDirectory(SOURCE_DIR, source)
  return writeReports(ctr, { command: "fs", flags: ["--scanners", "vuln,secret"], args: [SOURCE_DIR] }, SOURCE_STEM, opts)
}

/** Scan every variant and gather all reports in one directory. */
export function scanVariants(variants: readonly Variant[], opts: ScanOptions): Directory {
  return variants.reduce((dir, v) => dir.withDirectory(".", scanVariant(v, opts)), dag.directory())
}

/** Run `hello-ci scan-gate` over the JSON report of every stem; the exec always completes, its exit code is the verdict. */
export function scanGate(toolkit: Container, reports: Directory, stems: readonly string[], policy: GatePolicy): Container {
  const reportArgs = stems.flatMap((stem) => ["--report", `/reports/${stem}.trivy.json`])
  const ignore = policy.ignorefile ? ["--ignorefile", "/policy/trivyignore.yaml"] : []
  const unfixed = policy.ignoreUnfixed ? ["--ignore-unfixed"] : []
  let ctr = toolkit.withMountedDirectory("/reports", reports)
  if (policy.ignorefile) ctr = ctr.withMountedFile("/policy/trivyignore.yaml", policy.ignorefile)
  return ctr
    .withExec(["mkdir", "-p", OUT_DIR])
    .withExec(
      helloCi("scan-gate", ...reportArgs, "--severity", policy.severities.join(","), ...unfixed, ...ignore, "--summary", `${OUT_DIR}/scan-summary.md`, "--json"),
      { expect: ReturnType.Any, redirectStdout: `${OUT_DIR}/scan-gate.json` },
    )
}

/** Return the reports plus the gate's summary and JSON verdict. */
export function withGateFiles(reports: Directory, gate: Container): Directory {
  return reports
    .withFile("scan-summary.md", gate.file(`${OUT_DIR}/scan-summary.md`))
    .withFile("scan-gate.json", gate.file(`${OUT_DIR}/scan-gate.json`))
}

/** What one scan-and-gate run produced. */
export interface ScanOutcome {
  /** Every report, `scan-summary.md` and `scan-gate.json`. */
  readonly reports: Directory
  /** `pass` or `block`. */
  readonly decision: "pass" | "block"
  /** Number of findings that block under the policy. */
  readonly blocking: number
  /** Findings by severity over all reports, before the policy. */
  readonly counts: Readonly<Record<string, number>>
}

/** Scan every variant, run the gate, and return the reports with the parsed verdict; throw if the gate could not decide. */
export async function runScan(toolkit: Container, variants: readonly Variant[], opts: ScanOptions, policy: GatePolicy): Promise<ScanOutcome> {
  return gateReports(toolkit, scanVariants(variants, opts), variants.map(variantName), policy)
}

/** Scan the source tree, run the gate, and return the reports with the parsed verdict. */
export async function runSourceScan(toolkit: Container, source: Directory, opts: ScanOptions, policy: GatePolicy): Promise<ScanOutcome> {
  return gateReports(toolkit, scanTree(source, opts), [SOURCE_STEM], policy)
}

/** Gate the reports of these stems and return them with the parsed verdict; throw if the gate could not decide. */
async function gateReports(toolkit: Container, reports: Directory, stems: readonly string[], policy: GatePolicy): Promise<ScanOutcome> {
  const gate = scanGate(toolkit, reports, stems, policy)
  const code = await gate.exitCode()
  if (code !== 0 && code !== 1) {
    throw new Error(`scan-gate could not decide (exit ${code}): ${(await gate.stderr()).trim() || "no output"}`)
  }
  const verdict = parseScanVerdict(await gate.file(`${OUT_DIR}/scan-gate.json`).contents())
  return { reports: withGateFiles(reports, gate), decision: verdict.decision, blocking: verdict.blocking.length, counts: verdict.counts }
}

/** Return the non-zero finding counts by severity, `CRITICAL 2, LOW 9`, or `none`. */
export function findingCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(", ") || "none"
}

/** Return the source scan's one-line verdict; when blocked, throw with the gate's Markdown summary (findings, fixed versions). */
export async function sourceVerdict(scan: ScanOutcome): Promise<string> {
  const counts = findingCounts(scan.counts)
  if (scan.decision === "pass") return `scan-source: pass (all findings: ${counts})`
  const summary = await scan.reports.file("scan-summary.md").contents()
  throw new Error(`scan-source: ${scan.blocking} blocking finding(s) in the source tree (all findings: ${counts})\n\n${summary.trim()}`)
}
