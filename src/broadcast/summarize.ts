// Totals of a broadcast: passed / failed, counts per status, schema failures, latency
// percentiles (nearest rank) over the apps that got an answer, and tokens. Pure.

import type { AppStatus, BroadcastAppResult, BroadcastTotals, LatencySummary } from './types.js';

export function summarizeResults(results: readonly BroadcastAppResult[]): BroadcastTotals {
  const byStatus: Record<AppStatus, number> = { ok: 0, 'failed-run': 0, error: 0, timeout: 0 };
  for (const result of results) byStatus[result.status] += 1;
  const passed = results.filter((r) => r.passed).length;
  const answered = results.flatMap((r) => ((r.status === 'ok' || r.status === 'failed-run') && r.latencyMs !== null ? [r.latencyMs] : []));
  return {
    apps: results.length,
    passed,
    failed: results.length - passed,
    byStatus,
    invalid: results.filter((r) => r.schema !== null && !r.schema.valid).length,
    latencyMs: latencySummary(answered),
    tokens: results.reduce((sum, r) => sum + (r.usage?.total ?? 0), 0),
  };
}

export function latencySummary(latencies: readonly number[]): LatencySummary | null {
  if (latencies.length === 0) return null;
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1]! };
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty list');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
