// The pure decisions of reconcile: the cheap "did anything change?" test from one app-list entry
// and the git digest, whether a heal may run now (one attempt per git revision, exponential
// backoff between attempts), and the exit code of a set of outcomes.

import type { DesiredApp } from '../config/types.js';
import type { AppSummary, WorkflowRecord } from '../dify/index.js';
import { ExitCode } from '../exit-codes.js';
import { comparableDsl } from '../plan/comparable.js';
import { canonicalJson, desiredDigest, sha256 } from '../plan/digest.js';
import { documentFromRecord } from '../plan/observe.js';
import { placeholderSecretValues, planSecrets, renderDesiredDsl } from '../plan/render-desired.js';
import type { AppMemory, HealAttempts } from './memory.js';
import type { ReconcileStatus } from './types.js';

/**
 * What the app list says about an app's live state: the published version (id and time), the
 * app row's updated_at (publish, import and metadata edits move it) and, for chat modes, the live
 * model config's updated_at. A UI publish always changes the published version id.
 */
export function fingerprintOf(summary: AppSummary): string {
  const modelConfigUpdated = summary.model_config?.updated_at;
  return canonicalJson({
    mode: summary.mode,
    name: summary.name,
    updatedAt: summary.updated_at,
    workflow: summary.workflow === null ? null : { id: summary.workflow.id, updatedAt: summary.workflow.updated_at ?? null },
    modelConfig: typeof modelConfigUpdated === 'number' || typeof modelConfigUpdated === 'string' ? modelConfigUpdated : null,
  });
}

/** The desired app as git holds it, independent of anything live (secrets by binding, not value). */
export function gitDigest(desired: DesiredApp): string {
  const rendered = renderDesiredDsl(desired, [], placeholderSecretValues(desired));
  const json = canonicalJson(comparableDsl(rendered, desired.policies.ignore));
  return sha256(canonicalJson({ desired: desiredDigest(desired, json, planSecrets(desired, [])), drift: desired.policies.drift }));
}

/** The draft's content (graph, features, variables; secret values blank), for the cheap draft check. */
export function draftDigestOf(summary: AppSummary, draft: WorkflowRecord | null): string | null {
  return draft === null ? null : sha256(canonicalJson(documentFromRecord(summary, draft).workflow));
}

export type Reuse = { kind: 'reuse'; status: 'in-sync' | 'draft-only-drift' } | { kind: 'check-draft' } | { kind: 'read' };

/** Whether the last outcome still holds without reading the app (only calm outcomes are reused). */
export function reuseDecision(memory: AppMemory | undefined, summary: AppSummary, digest: string, isWorkflow: boolean, checkDrafts: boolean): Reuse {
  if (memory === undefined || memory.appId !== summary.id || memory.gitDigest !== digest || memory.fingerprint !== fingerprintOf(summary)) return { kind: 'read' };
  if (memory.status !== 'in-sync' && memory.status !== 'draft-only-drift') return { kind: 'read' };
  if (isWorkflow && checkDrafts) return { kind: 'check-draft' };
  return { kind: 'reuse', status: memory.status };
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 60_000, maxMs: 3_600_000 };

export function backoffMs(failures: number, backoff: Backoff): number {
  if (failures <= 0) return 0;
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures - 1, 30));
}

export type HealDecision = { kind: 'attempt' } | { kind: 'failed-revision'; detail: string } | { kind: 'backoff'; until: Date; detail: string };

/**
 * Argo CD's rule: a revision whose heal ran and failed is not tried again until git changes or a
 * person asks (`retryFailed`). Between attempts (a new revision after failures, or failures before
 * any change) the wait doubles: base, 2×base, 4×base … up to max. A person's retry skips the wait.
 */
export function healDecision(heal: HealAttempts | undefined, revisionKey: string, retryFailed: boolean, now: Date, backoff: Backoff): HealDecision {
  if (heal === undefined || heal.failures === 0 || retryFailed) return { kind: 'attempt' };
  if (heal.failedRevision === revisionKey) {
    return { kind: 'failed-revision', detail: `a heal of this git revision failed at ${heal.lastFailureAt} (${heal.lastError}); not retried until git changes or --retry-failed` };
  }
  const until = new Date(Date.parse(heal.lastFailureAt) + backoffMs(heal.failures, backoff));
  if (until.getTime() > now.getTime()) {
    return { kind: 'backoff', until, detail: `heal postponed until ${until.toISOString()} (backoff after ${heal.failures} failed attempt${heal.failures === 1 ? '' : 's'}: ${heal.lastError})` };
  }
  return { kind: 'attempt' };
}

/** Exit code of one app's outcome (docs/reconcile.md "Exit codes"). */
export function exitCodeOf(status: ReconcileStatus, needsHuman = false): ExitCode {
  switch (status) {
    case 'in-sync':
    case 'healed':
    case 'pruned':
    case 'suspended':
    case 'draft-only-drift':
      return ExitCode.Ok;
    case 'drift':
    case 'adopted':
      return ExitCode.Changes;
    case 'rolled-back':
      return ExitCode.RolledBack;
    case 'heal-failed':
      return needsHuman ? ExitCode.NeedsHuman : ExitCode.Error;
    case 'skipped-failed-revision':
      return ExitCode.NeedsHuman;
    case 'error':
      return ExitCode.Error;
  }
}

const RANK: Record<number, number> = { [ExitCode.Ok]: 0, [ExitCode.Changes]: 1, [ExitCode.Error]: 2, [ExitCode.RolledBack]: 3, [ExitCode.NeedsHuman]: 4, [ExitCode.Internal]: 5 };

/** The most serious code: 4 needs a human > 3 rolled back > 1 error > 2 drift remains > 0. */
export function worstOf(codes: Iterable<number>): number {
  let worst: number = ExitCode.Ok;
  for (const code of codes) if ((RANK[code] ?? 5) > (RANK[worst] ?? 0)) worst = code;
  return worst;
}
