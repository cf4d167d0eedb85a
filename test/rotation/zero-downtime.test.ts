// Zero downtime for the two kinds whose callers never see the secret: a caller runs the published
// workflow over the service API in a loop (its own app key) while a secret env var or a model-
// provider credential rotates, and not one call fails. The loop makes calls before the rotation
// starts and after it ends, and (for env vars) the runs' workflow ids show it ran on the version
// published before and the one the rotation published. App keys have the same test in
// app-key.test.ts (the caller re-reads the file sink).

import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { startRotationWorld, TOKEN_VAR, type RotationWorld } from '../support/rotation-world.js';

const PROVIDER = 'langgenius/openai/openai';

let world: RotationWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

interface CallerReport {
  calls: number;
  failures: string[];
  workflowIds: Set<string>;
}

/** Calls /v1/workflows/run in a loop while `during` runs; at least 3 calls before it and 3 after. */
async function whileCalling(w: RotationWorld, during: () => Promise<void>): Promise<CallerReport> {
  const key = await w.client.apiKeys.create(w.appId);
  const service = w.client.service(key.token);
  const report: CallerReport = { calls: 0, failures: [], workflowIds: new Set() };
  let stopAt = Number.POSITIVE_INFINITY;
  const waiters: { atLeast: number; resolve: () => void }[] = [];
  const caller = (async () => {
    while (report.calls < stopAt) {
      try {
        const run = await service.runWorkflow({ user: 'caller', inputs: { topic: 'x' } });
        if (run.data.status !== 'succeeded') report.failures.push(`run ${run.data.status}: ${String(run.data.error)}`);
        if (run.data.workflow_id !== undefined) report.workflowIds.add(run.data.workflow_id);
      } catch (error) {
        report.failures.push(String(error));
      }
      report.calls++;
      for (const waiter of waiters.filter((x) => report.calls >= x.atLeast)) waiter.resolve();
    }
  })();
  const callsReach = (atLeast: number): Promise<void> => new Promise((resolve) => (report.calls >= atLeast ? resolve() : waiters.push({ atLeast, resolve })));
  try {
    await callsReach(3);
    await during();
    stopAt = report.calls + 3;
  } finally {
    if (stopAt === Number.POSITIVE_INFINITY) stopAt = 0;
    await caller;
  }
  return report;
}

describe('zero downtime: secret env var rotation', () => {
  const paths: [ProfileName, string, number][] = [
    ['1.14.1', 'environment-variables endpoint', 0],
    ['1.12.1', 'draft sync', 0],
    ['1.12.1', 'import of the published version', 2],
  ];
  it.each(paths)('Dify %s, written via the %s: 0 failed calls, runs on the old and the new version', async (profile, path, conflicts) => {
    world = await startRotationWorld({
      profile,
      initialToken: 'tok-before-rotation',
      rotation: { 'upstream-token': { kind: 'envVar', environment: 'prod', app: 'gated', variable: TOKEN_VAR, source: { env: 'NEW_UPSTREAM_TOKEN' } } },
    });
    const w = world;
    w.repo.env.NEW_UPSTREAM_TOKEN = 'tok-after-rotation';
    const before = (await w.client.apps.publishedWorkflowId(w.appId))!;
    if (conflicts > 0) {
      const body = { code: 'draft_workflow_not_sync', message: 'Workflow graph might have been modified, please refresh and resubmit.', status: 409 };
      w.sim.faults.add({ method: 'POST', path: '^/console/api/apps/[^/]+/workflows/draft$', status: 409, body, times: conflicts });
    }
    const report = await whileCalling(w, async () => {
      expect((await w.rotate({ force: true })).results[0]!.outcome).toBe('rotated');
    });
    const after = (await w.client.apps.publishedWorkflowId(w.appId))!;
    expect(w.logs.join('\n')).toContain(`into the draft via the ${path}`);
    expect(report.failures).toEqual([]);
    expect(report.calls).toBeGreaterThanOrEqual(6);
    expect(after).not.toBe(before);
    expect(report.workflowIds).toContain(before);
    expect(report.workflowIds).toContain(after);
  });
});

describe('zero downtime: model-provider credential rotation', () => {
  it.each<ProfileName>(['1.14.1', '1.12.1', '1.9.1', '1.0.0'])('Dify %s: 0 failed calls while the credential is replaced', async (profile) => {
    world = await startRotationWorld({
      profile,
      rotation: { openai: { kind: 'providerCredential', environment: 'prod', provider: 'openai', field: 'openai_api_key', source: { env: 'NEW_OPENAI_KEY' } } },
    });
    const w = world;
    if (profile === '1.0.0') await w.client.modelProviders.saveSingleCredential(PROVIDER, { openai_api_key: 'sk-before-rotation' });
    else await w.client.modelProviders.createCredential(PROVIDER, { openai_api_key: 'sk-before-rotation' }, 'original');
    w.repo.env.NEW_OPENAI_KEY = 'sk-after-rotation';
    const report = await whileCalling(w, async () => {
      expect((await w.rotate({ force: true })).results[0]!.outcome).toBe('rotated');
    });
    expect(report.failures).toEqual([]);
    expect(report.calls).toBeGreaterThanOrEqual(6);
    const provider = w.sim.state.providers.find((p) => p.provider === PROVIDER)!;
    expect(provider.credentials.map((c) => c.credentials.openai_api_key)).toEqual(['sk-after-rotation']);
  });

  it('the caller does see a failure when the provider is left without a valid credential (the loop can fail)', async () => {
    world = await startRotationWorld({ rotation: {} });
    const w = world;
    await w.client.modelProviders.createCredential(PROVIDER, { openai_api_key: 'sk-valid' }, 'original');
    const report = await whileCalling(w, async () => {
      const id = w.sim.state.providers.find((p) => p.provider === PROVIDER)!.credentials[0]!.credential_id;
      await w.client.modelProviders.createCredential(PROVIDER, { openai_api_key: 'sk-second' }, 'second');
      await w.client.modelProviders.deleteCredential(PROVIDER, id);
    });
    expect(report.failures.length).toBeGreaterThan(0);
  });
});
