// App API key rotation over the simulator: success and labels, a failed proof rolls back, a crash
// after each step resumes, Dify's 10-key cap, once per window, and zero failed requests for a
// caller that reads its key from the file sink before every call while rotations run.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RotationStep } from '../../src/rotation/index.js';
import { writeLedger } from '../../src/rotation/ledger.js';
import { scanForSecrets } from '../support/rotation-scan.js';
import { startRotationWorld, type RotationWorld } from '../support/rotation-world.js';

let world: RotationWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function keyWorld(extra: Record<string, unknown> = {}): Promise<RotationWorld> {
  return startRotationWorld({
    rotation: (sinkDir) => ({
      'gated-key': { kind: 'appApiKey', environment: 'prod', app: 'gated', sinks: [{ file: `${sinkDir}/gated.key` }], gracePeriod: '200ms', quietPeriod: '200ms', maxWait: '20s', ...extra },
    }),
  });
}

const sinkValue = async (w: RotationWorld): Promise<string> => (await readFile(join(w.sinkDir, 'gated.key'), 'utf8')).trim();
const keys = async (w: RotationWorld) => w.client.apiKeys.list(w.appId);

describe('app API key rotation', () => {
  it('issues a key, then rotates it: new key delivered and proven, old key deleted, ledger labels moved', async () => {
    world = await keyWorld();
    const first = await world.rotate({ force: true });
    expect(first.results.map((r) => r.outcome)).toEqual(['rotated']);
    const [issued] = await keys(world);
    expect(await sinkValue(world)).toBe(issued!.token);

    const second = await world.rotate({ force: true });
    expect(second.exitCode).toBe(0);
    const live = await keys(world);
    expect(live).toHaveLength(1);
    expect(live[0]!.id).not.toBe(issued!.id);
    expect(await sinkValue(world)).toBe(live[0]!.token);
    await expect(world.client.service(issued!.token).info()).rejects.toMatchObject({ status: 401 });
    expect((await world.client.service(live[0]!.token).info()).name).toBe('gated');

    const ledger = (await world.ledger('gated-key'))!;
    expect(ledger.current?.versionId).toBe(live[0]!.id);
    expect(ledger.previous?.versionId).toBe(issued!.id);
    expect(ledger.pending).toBeUndefined();
    expect(ledger.lastAttempt?.outcome).toBe('rotated');
    expect(await scanForSecrets(world, [issued!.token, live[0]!.token], { allow: [join(world.sinkDir, 'gated.key')] })).toEqual([]);
  });

  it('rotates once per schedule window: a second run in the same window does nothing', async () => {
    world = await keyWorld({ schedule: '0 0 1 1 *' });
    const first = await world.rotate();
    expect(first.plan.due.map((d) => d.reason)).toEqual(['first']);
    const ids = (await keys(world)).map((k) => k.id);
    const second = await world.rotate();
    expect(second.plan.due).toEqual([]);
    expect(second.plan.skipped[0]!.detail).toMatch(/has not fired since/);
    expect(second.results).toEqual([]);
    expect((await keys(world)).map((k) => k.id)).toEqual(ids);
  });

  it('rolls back when the new key fails its proof: new key deleted, old key and sinks untouched (exit 3)', async () => {
    world = await keyWorld();
    await world.rotate({ force: true });
    const [old] = await keys(world);
    world.sim.faults.add({ method: 'GET', path: '^/v1/info$', status: 401, body: { code: 'unauthorized', message: 'Access token is invalid', status: 401 }, times: 1 });
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(3);
    expect(report.results[0]).toMatchObject({ outcome: 'rolled-back', currentVersion: old!.id });
    expect(report.results[0]!.message).toMatch(/failed its proof .*Access token is invalid/);
    expect((await keys(world)).map((k) => k.id)).toEqual([old!.id]);
    expect(await sinkValue(world)).toBe(old!.token);
    const ledger = (await world.ledger('gated-key'))!;
    expect(ledger.current?.versionId).toBe(old!.id);
    expect(ledger.pending).toBeUndefined();
    expect(ledger.lastAttempt?.outcome).toBe('rolled-back');
  });

  for (const step of ['create', 'test', 'set'] as RotationStep[]) {
    it(`resumes after a crash right after step ${step}: one new key, old one deleted, sink and ledger agree`, async () => {
      world = await keyWorld();
      await world.rotate({ force: true });
      const [old] = await keys(world);
      const crash = await world.rotate({ force: true }, { hooks: { afterStep: (_s, done) => { if (done === step) throw new Error(`simulated crash after ${step}`); } } });
      expect(crash.results[0]).toMatchObject({ outcome: 'failed' });
      expect(crash.results[0]!.message).toContain(`simulated crash after ${step}`);
      const halfway = (await world.ledger('gated-key'))!;
      expect(halfway.pending?.versionId).toBeDefined();
      expect(halfway.current?.versionId).toBe(old!.id);
      // The old key is still valid while the rotation is half done.
      expect((await world.client.service(old!.token).info()).name).toBe('gated');

      const resumed = await world.rotate();
      expect(resumed.plan.due.map((d) => d.reason)).toEqual(['resume']);
      expect(resumed.results[0]!.outcome).toBe('rotated');
      const live = await keys(world);
      expect(live.map((k) => k.id)).toEqual([halfway.pending!.versionId]);
      expect(await sinkValue(world)).toBe(live[0]!.token);
      const ledger = (await world.ledger('gated-key'))!;
      expect(ledger).toMatchObject({ current: { versionId: live[0]!.id }, previous: { versionId: old!.id } });
      expect(ledger.pending).toBeUndefined();
    });
  }

  it('resumes when a crash came after deleting the old key but before the ledger was written', async () => {
    world = await keyWorld();
    await world.rotate({ force: true });
    const [old] = await keys(world);
    await world.rotate({ force: true }, { hooks: { afterStep: (_s, done) => { if (done === 'set') throw new Error('crash'); } } });
    await world.client.apiKeys.delete(world.appId, old!.id);
    const resumed = await world.rotate();
    expect(resumed.results[0]!.outcome).toBe('rotated');
    expect((await world.ledger('gated-key'))!.previous?.versionId).toBe(old!.id);
  });

  it('adopts the key a crash left unrecorded (Dify answered, the ledger was not yet written) instead of minting another', async () => {
    world = await keyWorld();
    await world.rotate({ force: true });
    const [old] = await keys(world);
    const ledger = (await world.ledger('gated-key'))!;
    const requestedAt = Math.floor(Date.now() / 1000) - 1;
    await writeLedger(world.stateDir, { ...ledger, pending: { step: 'create', startedAt: new Date().toISOString(), data: { appId: world.appId, createRequestedAt: requestedAt } } });
    const orphan = await world.client.apiKeys.create(world.appId);
    const resumed = await world.rotate();
    expect(resumed.results[0]!.outcome).toBe('rotated');
    expect(world.logs.join('\n')).toContain(`adopted key ${orphan.id}, created before the last run stopped`);
    expect((await keys(world)).map((k) => k.id)).toEqual([orphan.id]);
    expect(old!.id).not.toBe(orphan.id);
    expect(await sinkValue(world)).toBe(orphan.token);
  });

  it('refuses clearly at Dify’s 10-key limit when no key is its own, changing nothing', async () => {
    world = await keyWorld();
    for (let i = 0; i < 10; i++) await world.client.apiKeys.create(world.appId);
    const before = (await keys(world)).map((k) => k.id);
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(1);
    expect(report.results[0]!.message).toMatch(/already has 10 API keys \(Dify's maximum\) and none of them is one dify-gitops left over; delete an unused key/);
    expect((await keys(world)).map((k) => k.id)).toEqual(before);
    const ledger = (await world.ledger('gated-key'))!;
    expect(ledger.pending).toBeUndefined();
    expect(ledger.lastAttempt?.outcome).toBe('failed');
  });

  it('at the 10-key limit, deletes a key it left behind earlier (never the current one) and rotates', async () => {
    world = await keyWorld();
    await world.rotate({ force: true });
    const [current] = await keys(world);
    const leftover = await world.client.apiKeys.create(world.appId);
    for (let i = 0; i < 8; i++) await world.client.apiKeys.create(world.appId);
    const ledger = (await world.ledger('gated-key'))!;
    await writeLedger(world.stateDir, { ...ledger, created: [...ledger.created, leftover.id] });
    expect(await keys(world)).toHaveLength(10);

    const report = await world.rotate({ force: true });
    expect(report.results[0]!.outcome).toBe('rotated');
    const live = (await keys(world)).map((k) => k.id);
    expect(live).not.toContain(leftover.id);
    expect(live).not.toContain(current!.id);
    expect(live).toHaveLength(9);
    expect(world.logs.join('\n')).toContain(`deleted key ${leftover.id}, left over from an earlier rotation`);
  });

  it('a caller that reads the file sink before every call sees zero failures while keys rotate', async () => {
    world = await keyWorld({ gracePeriod: '300ms', quietPeriod: '300ms' });
    await world.rotate({ force: true });
    const w = world;
    const seen = new Set<string>();
    let calls = 0;
    const failures: string[] = [];
    let running = true;
    const caller = (async () => {
      while (running) {
        const key = await sinkValue(w);
        try {
          const answer = await w.client.service(key).runWorkflow({ user: 'caller', inputs: { topic: 'x' } });
          if (answer.data.status !== 'succeeded') failures.push(`run ${answer.data.status}`);
          seen.add(key);
          calls++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    })();
    try {
      for (let i = 0; i < 2; i++) expect((await w.rotate({ force: true })).results[0]!.outcome).toBe('rotated');
    } finally {
      running = false;
      await caller;
    }
    expect(failures).toEqual([]);
    expect(seen.size).toBe(3);
    expect(calls).toBeGreaterThan(3);
    expect((await keys(w)).map((k) => k.token)).toEqual([await sinkValue(w)]);
  });
});
