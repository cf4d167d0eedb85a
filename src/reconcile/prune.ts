// Prune: apps dify-gitops manages in an environment (created by it — the app registry — or
// reconciled by it before — reconcile memory) whose manifest is gone from git. Deleted only when
// the environment's `policies.prune` is on, each after a snapshot of its live state (with
// secrets, 0600), and never when the environment's desired set is empty: an empty set is far
// more likely a broken checkout or config than an intent to delete everything.

import type { EnvironmentConfig } from '../config/types.js';
import type { AppSummary, DifyClient } from '../dify/index.js';
import { ExitCode } from '../exit-codes.js';
import { rememberApp } from '../apply/app-registry.js';
import { takeSnapshot } from '../apply/snapshot.js';
import type { SnapshotStore } from '../state/snapshot-store.js';
import { forgetMemory } from './memory.js';
import type { ReconcileAppResult } from './types.js';

export interface PruneCandidate {
  app: string;
  appId: string;
}

/** Managed apps (name → id) not desired any more. Pure. */
export function pruneCandidates(managed: ReadonlyMap<string, string>, desiredNames: ReadonlySet<string>): PruneCandidate[] {
  return [...managed]
    .filter(([app]) => !desiredNames.has(app))
    .map(([app, appId]) => ({ app, appId }))
    .sort((a, b) => a.app.localeCompare(b.app));
}

export interface PruneInput {
  environment: EnvironmentConfig;
  candidates: readonly PruneCandidate[];
  /** Every app git wants in this environment (not just the selection). */
  desiredCount: number;
  client: DifyClient;
  apps: readonly AppSummary[];
  snapshots: SnapshotStore;
  stateDir: string;
  now: Date;
}

export async function pruneApps(input: PruneInput): Promise<{ results: ReconcileAppResult[]; guard?: string }> {
  const { environment, candidates } = input;
  if (candidates.length === 0) return { results: [] };
  if (!environment.policies.prune) {
    return { results: candidates.map((c) => ({ app: c.app, appId: c.appId, status: 'drift', detail: 'removed from git; kept because policies.prune is off in this environment', exitCode: ExitCode.Changes })) };
  }
  if (input.desiredCount === 0) {
    const guard = `refusing to prune ${candidates.length} app(s) in ${environment.name}: git wants no apps there at all, which looks like a broken checkout or config rather than an intent to delete everything. Delete them in Dify by hand, or keep one app in git while pruning.`;
    return { guard, results: candidates.map((c) => ({ app: c.app, appId: c.appId, status: 'error', detail: guard, exitCode: ExitCode.NeedsHuman })) };
  }
  const results: ReconcileAppResult[] = [];
  for (const candidate of candidates) {
    const summary = input.apps.find((a) => a.id === candidate.appId);
    try {
      if (summary === undefined) {
        await forget(input, candidate.app);
        results.push({ app: candidate.app, appId: candidate.appId, status: 'pruned', detail: 'already gone from Dify; forgotten', exitCode: ExitCode.Ok });
        continue;
      }
      const snapshot = await takeSnapshot(input.client, input.snapshots, {
        environment: environment.name,
        app: candidate.app,
        appId: candidate.appId,
        mode: summary.mode,
        publishedWorkflowId: summary.workflow?.id ?? null,
        reason: 'prune: removed from git',
        now: input.now,
      });
      await input.client.apps.delete(candidate.appId);
      await forget(input, candidate.app);
      results.push({ app: candidate.app, appId: candidate.appId, status: 'pruned', detail: `deleted from Dify after snapshot ${snapshot.ref.id} (${snapshot.ref.redactedPath})`, exitCode: ExitCode.Ok });
    } catch (error) {
      results.push({ app: candidate.app, appId: candidate.appId, status: 'error', detail: `prune failed: ${error instanceof Error ? error.message : String(error)}`, exitCode: ExitCode.Error });
    }
  }
  return { results };
}

async function forget(input: PruneInput, app: string): Promise<void> {
  await rememberApp(input.stateDir, input.environment.name, app, null);
  await forgetMemory(input.stateDir, input.environment.name, app);
}
