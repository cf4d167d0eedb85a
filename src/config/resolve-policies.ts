// Policies cascade: built-in defaults < root `policies` < environment < app < app-in-environment.
// Scalar fields override; `ignore` lists accumulate (an app cannot un-ignore what the org ignores).

import type { IgnoreRule, Policies } from './types.js';
import type { WrittenIgnoreRule, WrittenPolicies } from './written-types.js';

export const DEFAULT_POLICIES: Policies = {
  sync: 'auto',
  drift: 'warn',
  prune: false,
  suspend: false,
  allowPendingImport: false,
  reconcileIntervalMs: 10 * 60_000,
  ignore: [],
};

export function mergePolicies(base: Policies, layer: WrittenPolicies | undefined): Policies {
  if (layer === undefined) return base;
  return {
    sync: layer.sync ?? base.sync,
    drift: layer.drift ?? base.drift,
    prune: layer.prune ?? base.prune,
    suspend: layer.suspend ?? base.suspend,
    allowPendingImport: layer.allowPendingImport ?? base.allowPendingImport,
    reconcileIntervalMs: layer.reconcileInterval === undefined ? base.reconcileIntervalMs : parseDuration(layer.reconcileInterval),
    ignore: [...base.ignore, ...(layer.ignore ?? []).map(resolveIgnoreRule)],
  };
}

function resolveIgnoreRule(rule: WrittenIgnoreRule): IgnoreRule {
  const out: IgnoreRule = { path: rule.path };
  if (rule.nodeType !== undefined) out.nodeType = rule.nodeType;
  if (rule.reason !== undefined) out.reason = rule.reason;
  return out;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `10m`, `1h30m`, `250ms` → milliseconds. The schema has already checked the syntax. */
export function parseDuration(text: string): number {
  let total = 0;
  for (const match of text.matchAll(/([0-9]+)(ms|s|m|h)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000);
  }
  return total;
}
