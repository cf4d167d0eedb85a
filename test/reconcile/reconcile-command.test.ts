// `dify-gitops reconcile` through its CLI implementation over the simulator: text and JSON
// reports, exit codes, and usage errors for bad flags.

import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/reconcile-run.js';
import { UsageError } from '../../src/errors.js';
import { captureContext } from '../support/gitops-repo.js';
import { workflowDsl } from '../support/plan-builders.js';
import { editInUi, startReconcileWorld, type ReconcileWorld } from '../support/reconcile-world.js';

describe('reconcile command', () => {
  let world: ReconcileWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('prints drift in text and JSON and exits 2; no GitHub without a token', async () => {
    const w = (world = await startReconcileWorld());
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo' }) });
    expect((await w.apply()).code).toBe(0);
    const clean = captureContext(w.repo.dir, w.repo.env);
    expect(await run(clean, { revision: 'rev1' })).toBe(0);
    expect(clean.stdout()).toMatch(/^reconcile staging: 1 in-sync$/m);

    await editInUi(w.client, w.appId('demo'), 'RESPOND: ui');
    const text = captureContext(w.repo.dir, w.repo.env);
    expect(await run(text, { revision: 'rev1' })).toBe(2);
    expect(text.stdout()).toMatch(/^ {2}drift +demo: update: nodes: 1 changed/m);
    expect(text.stdout()).not.toMatch(/drift issue/);

    const json = captureContext(w.repo.dir, w.repo.env);
    expect(await run(json, { revision: 'rev1', format: 'json' })).toBe(2);
    const report = JSON.parse(json.stdout()) as { exitCode: number; environments: { env: string; apps: { app: string; status: string; appId: string }[] }[] };
    expect(report.exitCode).toBe(2);
    expect(report.environments[0]!.apps[0]).toMatchObject({ app: 'demo', status: 'drift', appId: w.appId('demo') });
    expect(json.stdout()).not.toContain(w.repo.env.DIFY_STAGING_PASSWORD!);
  });

  it('rejects a bad shard, an unknown environment, and --github without a GitHub context', async () => {
    const w = (world = await startReconcileWorld());
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo' }) });
    const ctx = captureContext(w.repo.dir, w.repo.env);
    await expect(run(ctx, { shard: '5/4' })).rejects.toThrow(UsageError);
    await expect(run(ctx, { env: ['nowhere'] })).rejects.toThrow(/unknown environment `nowhere`/);
    await expect(run(ctx, { github: true })).rejects.toThrow(/--github: .*GITHUB_TOKEN/s);
  });
});
