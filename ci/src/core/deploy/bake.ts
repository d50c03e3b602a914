/**
 * The bake after a switch: a round of the environment's public health checks every probe interval for the bake time.
 * A round fails when its verdict is fail or unreachable, or when the new colour stopped being ready. More failed rounds
 * than the allowed share of the planned rounds is a high error rate: flip back. Like Flagger's failure threshold, the
 * decision comes as soon as the outcome is certain, not at the end of the window.
 */

export interface BakeRound {
  at: string;
  ok: boolean;
  detail: string;
}

export type BakeDecision = { state: "continue" } | { state: "passed"; detail: string } | { state: "failed"; detail: string };

/** How many rounds a bake of `bakeMs` at `intervalMs` runs (at least one, so a zero bake still probes once). */
export function plannedRounds(bakeMs: number, intervalMs: number): number {
  return Math.max(1, Math.floor(bakeMs / intervalMs));
}

/** Decide after each round. */
export function bakeDecision(rounds: readonly BakeRound[], planned: number, maxFailureRatio: number): BakeDecision {
  const failed = rounds.filter((r) => !r.ok);
  // The epsilon keeps a share that floating point lands just under a whole number (0.57 × 100 = 56.99…) at that number.
  const allowed = Math.floor(planned * maxFailureRatio + 1e-9);
  if (failed.length > allowed) {
    const last = failed.at(-1)!;
    return { state: "failed", detail: `high error rate: ${failed.length} of ${rounds.length} health rounds failed (at most ${allowed} of ${planned} allowed); last: ${last.detail}` };
  }
  if (rounds.length >= planned) return { state: "passed", detail: `${rounds.length - failed.length} of ${rounds.length} health rounds passed (${failed.length} failed, ${allowed} allowed)` };
  return { state: "continue" };
}
