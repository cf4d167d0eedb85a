// Secret env-var rotation over the simulator, per write path: the env-var endpoint (1.14), draft
// sync with the hash (1.12), export/sync on 1.0 (no env-var GET). Success publishes and passes the
// app's health checks; a failing value is rolled back and republished; a crash after each step
// resumes; unchanged values and unpublished drafts are handled; values never leak.

import { afterEach, describe, expect, it } from 'vitest';
import type { DifyClient } from '../../src/dify/index.js';
import type { RotationStep } from '../../src/rotation/index.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { scanForSecrets } from '../support/rotation-scan.js';
import { startRotationWorld, TOKEN_VAR, type RotationWorld } from '../support/rotation-world.js';

const GOOD = 'tok-canary-rotated-6d1f0b27c9';
const BAD = 'bad-canary-refused-91e4aa03f2';
const INITIAL = 'tok-canary-initial-3b8c55e1d0';

let world: RotationWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function envWorld(profile: ProfileName = '1.14.1'): Promise<RotationWorld> {
  return startRotationWorld({
    profile,
    initialToken: INITIAL,
    rotation: { 'upstream-token': { kind: 'envVar', environment: 'prod', app: 'gated', variable: TOKEN_VAR, source: { env: 'NEW_UPSTREAM_TOKEN' } } },
  });
}

/** The variable's value in the published version (an export of that version with secrets; the draft on Dify < 1.8.1). */
async function publishedValue(client: DifyClient, appId: string): Promise<string> {
  const info = await client.serverInfo();
  const workflowId = (await client.apps.publishedWorkflowId(appId))!;
  const exported = await client.dsl.export(appId, { includeSecret: true, ...(info.capabilities.exportWorkflowId ? { workflowId } : {}) });
  return /UPSTREAM_TOKEN[\s\S]*?value: (\S+)/.exec(exported)?.[1] ?? '';
}

async function draftValue(w: RotationWorld): Promise<string> {
  return String((await w.client.drafts.getEnvironmentVariables(w.appId)).find((v) => v.name === TOKEN_VAR)!.value);
}

async function healthy(w: RotationWorld): Promise<boolean> {
  const key = await w.client.apiKeys.create(w.appId);
  const run = await w.client.service(key.token).runWorkflow({ user: 't', inputs: { topic: 'x' } });
  await w.client.apiKeys.delete(w.appId, key.id);
  return run.data.status === 'succeeded';
}

describe.each<ProfileName>(['1.14.1', '1.12.1'])('secret env var rotation on Dify %s', (profile) => {
  it('writes the new value, publishes it and passes the app’s health checks', async () => {
    world = await envWorld(profile);
    world.repo.env.NEW_UPSTREAM_TOKEN = GOOD;
    const versionsBefore = (await world.client.versions.list(world.appId)).length;
    const report = await world.rotate({ force: true });
    expect(report.results[0]).toMatchObject({ outcome: 'rotated' });
    expect(report.exitCode).toBe(0);
    expect(await draftValue(world)).toBe(GOOD);
    expect(await healthy(world)).toBe(true);
    expect((await world.client.versions.list(world.appId)).length).toBe(versionsBefore + 1);
    const ledger = (await world.ledger('upstream-token'))!;
    expect(ledger.current?.versionId).toMatch(/^hmac:[0-9a-f]{24}$/);
    expect(ledger.previous?.versionId).toMatch(/^hmac:/);
    expect(ledger.previous?.versionId).not.toBe(ledger.current?.versionId);
    expect(world.logs.join('\n')).toContain(profile === '1.14.1' ? 'environment-variables endpoint' : 'draft sync');
    expect(await scanForSecrets(world, [GOOD, INITIAL])).toEqual([]);
  });

  it('restores the previous value and publishes again when the new one fails the health checks (exit 3)', async () => {
    world = await envWorld(profile);
    world.repo.env.NEW_UPSTREAM_TOKEN = BAD;
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(3);
    expect(report.results[0]!.outcome).toBe('rolled-back');
    expect(report.results[0]!.message).toMatch(/health checks failed .*restored the previous value and published/);
    expect(await draftValue(world)).toBe(INITIAL);
    expect(await healthy(world)).toBe(true);
    const ledger = (await world.ledger('upstream-token'))!;
    expect(ledger.pending).toBeUndefined();
    expect(ledger.lastAttempt?.outcome).toBe('rolled-back');
    expect(await scanForSecrets(world, [BAD, INITIAL], { extra: { result: JSON.stringify(report) } })).toEqual([]);
  });
});

describe('secret env var rotation: resume, no-ops and refusals', () => {
  for (const step of ['create', 'set', 'test'] as RotationStep[]) {
    it(`resumes after a crash right after step ${step} and ends published and healthy`, async () => {
      world = await envWorld();
      world.repo.env.NEW_UPSTREAM_TOKEN = GOOD;
      const crash = await world.rotate({ force: true }, { hooks: { afterStep: (_s, done) => { if (done === step) throw new Error('simulated crash'); } } });
      expect(crash.results[0]!.outcome).toBe('failed');
      expect((await world.ledger('upstream-token'))!.pending?.step).toBeDefined();
      const resumed = await world.rotate();
      expect(resumed.plan.due[0]!.reason).toBe('resume');
      expect(resumed.results[0]!.outcome).toBe('rotated');
      expect(await draftValue(world)).toBe(GOOD);
      expect(await publishedValue(world.client, world.appId)).toBe(GOOD);
      expect(await healthy(world)).toBe(true);
      expect((await world.ledger('upstream-token'))!.pending).toBeUndefined();
    });
  }

  it('after a crash, rolls back to the value read from the previously published version', async () => {
    world = await envWorld();
    world.repo.env.NEW_UPSTREAM_TOKEN = BAD;
    await world.rotate({ force: true }, { hooks: { afterStep: (_s, done) => { if (done === 'set') throw new Error('crash'); } } });
    expect(await draftValue(world)).toBe(BAD);
    const resumed = await world.rotate();
    expect(resumed.results[0]!.outcome).toBe('rolled-back');
    expect(await draftValue(world)).toBe(INITIAL);
    expect(await healthy(world)).toBe(true);
  });

  it('does nothing when Dify already holds the source’s value', async () => {
    world = await envWorld();
    world.repo.env.NEW_UPSTREAM_TOKEN = INITIAL;
    const versions = (await world.client.versions.list(world.appId)).length;
    const report = await world.rotate({ force: true });
    expect(report.results[0]!.outcome).toBe('unchanged');
    expect((await world.client.versions.list(world.appId)).length).toBe(versions);
  });

  it('refuses to publish a draft with someone’s unpublished changes, changing nothing', async () => {
    world = await envWorld();
    world.repo.env.NEW_UPSTREAM_TOKEN = GOOD;
    const draft = (await world.client.drafts.get(world.appId))!;
    await world.client.drafts.sync(world.appId, { ...draft, graph: { ...draft.graph, viewport: { x: 5, y: 5, zoom: 1 } }, hash: draft.hash });
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(1);
    expect(report.results[0]!.message).toMatch(/unpublished draft changes; rotating UPSTREAM_TOKEN publishes the draft and would ship them/);
    expect(await draftValue(world)).toBe(INITIAL);
    expect((await world.ledger('upstream-token'))!.pending).toBeUndefined();
  });

  it('works on Dify 1.0 (no env-var GET: reads through an export, writes by draft sync)', async () => {
    world = await startRotationWorld({
      profile: '1.0.0',
      initialToken: INITIAL,
      rotation: { 'upstream-token': { kind: 'envVar', environment: 'prod', app: 'gated', variable: TOKEN_VAR, source: { env: 'NEW_UPSTREAM_TOKEN' } } },
    });
    world.repo.env.NEW_UPSTREAM_TOKEN = GOOD;
    const report = await world.rotate({ force: true });
    expect(report.results[0]!.outcome).toBe('rotated');
    expect(await publishedValue(world.client, world.appId)).toBe(GOOD);
    expect(await scanForSecrets(world, [GOOD, INITIAL])).toEqual([]);
  });
});
