// The cheap path, counted by the simulator: a second reconcile of unchanged apps with unchanged
// git reads only the app list (+ the documented constant: login and the server version), plus one
// draft read per workflow app when drafts are checked. A UI publish makes exactly that app be read.

import { afterEach, describe, expect, it } from 'vitest';
import { workflowDsl } from '../support/plan-builders.js';
import { editInUi, startReconcileWorld, statusOf, type ReconcileWorld } from '../support/reconcile-world.js';

type Counts = { total: number; byRoute: Record<string, number> };

async function counts(url: string): Promise<Counts> {
  return (await (await fetch(`${url}/_simulator/requests`)).json()) as Counts;
}

async function resetCounts(url: string): Promise<void> {
  await fetch(`${url}/_simulator/requests`, { method: 'DELETE' });
}

/** Requests other than the app list and drafts: login and server facts, once per run. */
function constant(c: Counts): number {
  return Object.entries(c.byRoute)
    .filter(([route]) => route !== 'GET /console/api/apps' && !route.endsWith('/workflows/draft'))
    .reduce((n, [, v]) => n + v, 0);
}

describe('reconcile cheap path', () => {
  let world: ReconcileWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('reads only the app list for unchanged apps, and fully reads only an app published from the UI', async () => {
    const w = (world = await startReconcileWorld());
    for (const name of ['a1', 'a2', 'a3']) await w.repo.writeApp({ name, dsl: workflowDsl({ name }) });
    expect((await w.apply()).code).toBe(0);
    const warm = await w.reconcile({ checkDrafts: false });
    expect(warm.exitCode).toBe(0);

    await resetCounts(w.sim.url);
    const second = await w.reconcile({ checkDrafts: false });
    expect(second.environments[0]!.apps.map((a) => a.status)).toEqual(['in-sync', 'in-sync', 'in-sync']);
    const c = await counts(w.sim.url);
    expect(c.byRoute['GET /console/api/apps']).toBe(1); // ⌈3/100⌉ pages
    expect(constant(c)).toBe(2); // POST /console/api/login and GET /v1/ (server version), once per run
    expect(c.total).toBe(1 + constant(c));
    // No export, no version or draft read.
    expect(Object.keys(c.byRoute).filter((r) => /workflows|export/.test(r))).toEqual([]);

    // With draft checks: one draft read per workflow app, nothing more.
    await resetCounts(w.sim.url);
    const withDrafts = await w.reconcile();
    expect(withDrafts.exitCode).toBe(0);
    const d = await counts(w.sim.url);
    expect(d.byRoute['GET /console/api/apps/:appId<uuid>/workflows/draft']).toBe(3);
    expect(d.total).toBe(1 + 3 + constant(d));

    // A UI publish changes that app's list entry: only it is read in full.
    await editInUi(w.client, w.appId('a2'), 'RESPOND: ui');
    await resetCounts(w.sim.url);
    const drift = await w.reconcile({ checkDrafts: false });
    expect(statusOf(drift, 'a2')).toBe('drift');
    expect(statusOf(drift, 'a1')).toBe('in-sync');
    const e = await counts(w.sim.url);
    expect(e.byRoute['GET /console/api/apps/:appId<uuid>/workflows/publish']).toBe(1);
    expect(e.byRoute['GET /console/api/apps/:appId<uuid>/workflows/draft']).toBe(1);

    // Git changes for one app: only that app is read.
    await w.repo.writeApp({ name: 'a3', dsl: workflowDsl({ name: 'a3', prompt: 'changed in git' }) });
    await resetCounts(w.sim.url);
    const gitChange = await w.reconcile({ checkDrafts: false });
    expect(statusOf(gitChange, 'a3')).toBe('drift');
    const g = await counts(w.sim.url);
    // a2 (still drifting: drift is always re-read) and a3.
    expect(g.byRoute['GET /console/api/apps/:appId<uuid>/workflows/publish']).toBe(2);
  });

  it('shards of a real run: every app reported by exactly one shard', async () => {
    const w = (world = await startReconcileWorld());
    const apps = ['s1', 's2', 's3', 's4', 's5', 's6'];
    for (const name of apps) await w.repo.writeApp({ name, dsl: workflowDsl({ name }) });
    expect((await w.apply()).code).toBe(0);
    const seen: string[] = [];
    for (let index = 0; index < 3; index++) {
      const report = await w.reconcile({ shard: { index, count: 3 } });
      seen.push(...report.environments[0]!.apps.map((a) => a.app));
    }
    expect(seen.sort()).toEqual(apps);
  });
});
