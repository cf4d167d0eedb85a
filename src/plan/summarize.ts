// Short words for a diff and counts for a plan, shared by every renderer. Pure.

import type { DslDiff } from '../dsl/index.js';
import type { Plan, PlanAction } from './types.js';

/** "2 nodes changed, 1 added; 1 edge rewired; 1 other change", or "no differences". */
export function describeDiff(diff: DslDiff): string {
  const { nodes, edges, variables, other } = diff.summary;
  const parts: string[] = [];
  const group = (noun: string, counts: [number, string][]): void => {
    const said = counts.filter(([n]) => n > 0).map(([n, verb]) => `${n} ${verb}`);
    if (said.length > 0) parts.push(`${noun}: ${said.join(', ')}`);
  };
  group('nodes', [[nodes.added, 'added'], [nodes.removed, 'removed'], [nodes.changed, 'changed']]);
  group('edges', [[edges.added, 'added'], [edges.removed, 'removed'], [edges.rewired, 'rewired']]);
  group('variables', [[variables.added, 'added'], [variables.removed, 'removed'], [variables.changed, 'changed']]);
  if (other > 0) parts.push(`${other} other change${other === 1 ? '' : 's'}`);
  return parts.length === 0 ? (diff.summary.total === 0 ? 'no differences' : `${diff.summary.total} changes`) : parts.join('; ');
}

export const ACTION_ORDER: readonly PlanAction[] = ['error', 'replace-required', 'create', 'update', 'update-model-config', 'draft-only-drift', 'no-op'];

export function countActions(plan: Plan): Record<PlanAction, number> {
  const counts = Object.fromEntries(ACTION_ORDER.map((action) => [action, 0])) as Record<PlanAction, number>;
  for (const entry of plan.entries) counts[entry.action] += 1;
  return counts;
}

export function planHasChanges(plan: Plan): boolean {
  return plan.entries.some((entry) => entry.changes);
}

export function planIsBlocked(plan: Plan): boolean {
  return plan.entries.some((entry) => entry.blocked);
}
