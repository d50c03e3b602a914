/**
 * The scan policy: what Trivy blocks on and where it gets its vulnerability DB. Set once on the module with
 * `with-scan-policy` and used by `scan`, `scan-source` and `release`.
 */
import { File, func, object } from "@dagger.io/dagger"

/** Severities Trivy assigns; the gate blocks on the ones given. */
export enum Severity {
  Unknown = "UNKNOWN",
  Low = "LOW",
  Medium = "MEDIUM",
  High = "HIGH",
  Critical = "CRITICAL",
}

/** Severities that block unless told otherwise. */
export const DEFAULT_SEVERITIES: readonly Severity[] = [Severity.High, Severity.Critical]

/** What the scan gate blocks on, and where the scanner gets its vulnerability DB. */
@object()
export class ScanPolicy {
  /** Severities that block. */
  @func()
  severity: Severity[]

  /** Vulnerabilities without a fixed version never block. */
  @func()
  ignoreUnfixed: boolean

  /** Trivy ignore file: .trivyignore.yaml (entries with expired_at block again once expired) or plain .trivyignore. */
  @func()
  ignorefile?: File

  /** Trivy vulnerability DB repository (a mirror); Trivy's upstream default when unset. */
  @func()
  dbRepository?: string

  constructor(severity: Severity[] = [], ignoreUnfixed = false, ignorefile?: File, dbRepository?: string) {
    this.severity = severity.length > 0 ? severity : [...DEFAULT_SEVERITIES]
    this.ignoreUnfixed = ignoreUnfixed
    this.ignorefile = ignorefile
    this.dbRepository = dbRepository
  }
}

/** Return the policy with `ignorefile` when it sets none (scan-source defaults to the repository's accepted risks). */
export function withDefaultIgnorefile(policy: ScanPolicy, ignorefile: File): ScanPolicy {
  return policy.ignorefile ? policy : new ScanPolicy(policy.severity, policy.ignoreUnfixed, ignorefile, policy.dbRepository)
}
