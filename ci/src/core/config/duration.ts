/** Durations as people write them in flags and config: `250ms`, `5s`, `1.5s`, `2m`, or a bare number of milliseconds. */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/;

export function parseDuration(input: string | number): number | undefined {
  if (typeof input === "number") return Number.isFinite(input) && input >= 0 ? input : undefined;
  const match = DURATION.exec(input.trim());
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? "ms";
  return unit === "ms" ? value : unit === "s" ? value * 1000 : value * 60_000;
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)\s*<\s*(.+)$/;

/** `p95 < 300ms` → { percentile: 95, budgetMs: 300 }. */
export function parsePercentileBudget(input: string): { percentile: number; budgetMs: number } | undefined {
  const match = PERCENTILE.exec(input.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const percentile = Number(match[1]);
  const budgetMs = parseDuration(match[2]);
  if (percentile <= 0 || budgetMs === undefined || budgetMs <= 0) return undefined;
  return { percentile, budgetMs };
}
