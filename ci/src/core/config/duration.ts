/**
 * Durations as people write them in flags and config: `250ms`, `5s`, `1.5s`, `2m`. A unit is required (a bare `5` would
 * silently be 5 ms), and every duration is at most 24 hours, far below Node's timer limit of 2^31-1 ms, past which a
 * timer fires after 1 ms.
 */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
export const DURATION_EXAMPLES = "250ms, 5s, 2m";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/;
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

export function parseDuration(input: string | number): Parsed<number> {
  const text = typeof input === "number" ? String(input) : input.trim();
  if (typeof input === "number" || BARE_NUMBER.test(text)) return { ok: false, reason: `${JSON.stringify(input)} has no unit: use a unit: ${DURATION_EXAMPLES}` };
  const match = DURATION.exec(text);
  if (!match?.[1] || !match[2]) return { ok: false, reason: `${JSON.stringify(input)} is not a duration (e.g. ${DURATION_EXAMPLES})` };
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (!(ms <= MAX_DURATION_MS)) return { ok: false, reason: `${JSON.stringify(input)} is too long: at most ${MAX_DURATION_MS / 60_000}m (24 hours)` };
  return { ok: true, value: ms };
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)\s*<\s*(.+)$/;

/** `p95 < 300ms` → { percentile: 95, budgetMs: 300 }. */
export function parsePercentileBudget(input: string): Parsed<{ percentile: number; budgetMs: number }> {
  const invalid = (detail?: string): Parsed<never> => ({
    ok: false,
    reason: `${JSON.stringify(input)} is not a percentile budget (e.g. "p95 < 300ms")${detail ? `: ${detail}` : ""}`,
  });
  const match = PERCENTILE.exec(input.trim());
  if (!match?.[1] || !match[2]) return invalid();
  const percentile = Number(match[1]);
  const budget = parseDuration(match[2].trim());
  if (!budget.ok) return invalid(budget.reason);
  if (percentile <= 0 || budget.value <= 0) return invalid();
  return { ok: true, value: { percentile, budgetMs: budget.value } };
}
