// Prune and suspend over the simulator: a managed app removed from git is kept while prune is
// off, deleted after a snapshot when it is on, and never when git wants no apps at all (guard,
// exit 4). Suspended environments and apps are skipped and reported as suspended.

import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workflowDsl } from '../support/plan-builders.js';
import { editInUi, publishedPrompt, startReconcileWorld, statusOf, type ReconcileWorld } from '../support/reconcile-world.js';

describe('reconcile prune and suspend', () => {
  let world: ReconcileWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function twoApps(envPolicies: Record<string, unknown>): Promise<ReconcileWorld> {
    const w = (world = await startReconcileWorld({ envPolicies }));
    await w.repo.writeApp({ name: 'keep', dsl: workflowDsl({ name: 'keep' }) });
    await w.repo.writeApp({ name: 'gone', dsl: workflowDsl({ name: 'gone' }) });
    expect((await w.apply()).code).toBe(0);
    return w;
  }

  it('prune off: an app removed from git is kept and reported as drift', async () => {
    const w = await twoApps({ prune: false });
    const goneId = w.appId('gone');
    await rm(join(w.repo.dir, 'workflows', 'gone'), { recursive: true });
    const report = await w.reconcile();
    expect(statusOf(report, 'gone')).toBe('drift');
    expect(report.environments[0]!.apps.find((a) => a.app === 'gone')!.detail).toMatch(/prune is off/);
    expect(report.exitCode).toBe(2);
    expect(w.sim.state.apps.some((a) => a.id === goneId)).toBe(true);
  });

  it('prune on: deletes the removed app after a snapshot, leaves the others', async () => {
    const w = await twoApps({ prune: true });
    const goneId = w.appId('gone');
    const keepId = w.appId('keep');
    await rm(join(w.repo.dir, 'workflows', 'gone'), { recursive: true });
    const report = await w.reconcile();
    expect(statusOf(report, 'gone')).toBe('pruned');
    expect(statusOf(report, 'keep')).toBe('in-sync');
    expect(report.exitCode).toBe(0);
    expect(w.sim.state.apps.some((a) => a.id === goneId)).toBe(false);
    expect(w.sim.state.apps.some((a) => a.id === keepId)).toBe(true);
    const snapshots = await readdir(join(w.repo.dir, '.dify-gitops', 'snapshots', 'staging', 'gone'));
    expect(snapshots.length).toBeGreaterThan(0);
    // Forgotten: the next run has nothing to prune.
    const again = await w.reconcile();
    expect(statusOf(again, 'gone')).toBeUndefined();
  });

  it('prune guard: with no app left in git, nothing is deleted and the exit code is 4', async () => {
    const w = await twoApps({ prune: true });
    await rm(join(w.repo.dir, 'workflows'), { recursive: true });
    const report = await w.reconcile();
    expect(report.exitCode).toBe(4);
    expect(report.environments[0]!.error).toMatch(/refusing to prune 2 app\(s\) in staging: git wants no apps/);
    expect(w.sim.state.apps.map((a) => a.name).sort()).toEqual(['gone', 'keep']);
  });

  it('suspend: an environment with policies.suspend is skipped without any request to Dify', async () => {
    const w = (world = await startReconcileWorld({ envPolicies: { suspend: true, drift: 'heal' } }));
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo' }) });
    await fetch(`${w.sim.url}/_simulator/requests`, { method: 'DELETE' });
    const report = await w.reconcile();
    expect(statusOf(report, 'demo')).toBe('suspended');
    expect(report.exitCode).toBe(0);
    const counts = (await (await fetch(`${w.sim.url}/_simulator/requests`)).json()) as { total: number };
    expect(counts.total).toBe(0); // control requests are not counted
    expect(w.sim.state.apps).toHaveLength(0);
  });

  it('suspend: an app with policies.suspend is skipped while the others are healed', async () => {
    const w = (world = await startReconcileWorld({ policies: { drift: 'heal' } }));
    await w.repo.writeApp({ name: 'paused', dsl: workflowDsl({ name: 'paused', prompt: 'git' }), policies: { suspend: true } });
    await w.repo.writeApp({ name: 'live', dsl: workflowDsl({ name: 'live', prompt: 'git' }) });
    // apply skips suspended apps too, so create `paused` first with the flag off.
    await w.repo.writeApp({ name: 'paused', dsl: workflowDsl({ name: 'paused', prompt: 'git' }) });
    expect((await w.apply()).code).toBe(0);
    await w.repo.writeApp({ name: 'paused', dsl: workflowDsl({ name: 'paused', prompt: 'git' }), policies: { suspend: true } });
    await editInUi(w.client, w.appId('paused'), 'ui');
    await editInUi(w.client, w.appId('live'), 'ui');
    const report = await w.reconcile();
    expect(statusOf(report, 'paused')).toBe('suspended');
    expect(statusOf(report, 'live')).toBe('healed');
    expect(publishedPrompt(w.sim, w.appId('paused'))).toBe('ui');
    expect(publishedPrompt(w.sim, w.appId('live'))).toBe('git');
  });
});
