// Model-provider credential rotation over the simulator (stub rule: a key is valid iff it starts
// with `sk-`; an app's LLM nodes fail while the provider's active credential is invalid). Dify
// 1.14: add a named credential, switch, validate, health-check the apps using the provider, delete
// the old one, or switch back — on every simulated release with named credentials (1.14.1, 1.12.1,
// 1.9.1: the contract's ≥ 1.8.0). Dify 1.0: replace the single credential, roll back from memory;
// a rotation one credential model started is refused on the other.

import { afterEach, describe, expect, it } from 'vitest';
import { DifyUnsupportedError } from '../../src/dify/index.js';
import type { RotationStep } from '../../src/rotation/index.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { newLedgerEntry, writeLedger } from '../../src/rotation/ledger.js';
import { scanForSecrets } from '../support/rotation-scan.js';
import { startRotationWorld, type RotationWorld } from '../support/rotation-world.js';

const PROVIDER = 'langgenius/openai/openai';
const OLD = 'sk-canary-old-credential-0c3e9f71';
const NEW = 'sk-canary-new-credential-5a7d2b44';
const REFUSED = 'bad-canary-not-a-key-77e0c1a9';

let world: RotationWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function providerWorld(profile: ProfileName, extra: Record<string, unknown> = {}): Promise<RotationWorld> {
  const w = await startRotationWorld({
    profile,
    rotation: { openai: { kind: 'providerCredential', environment: 'prod', provider: 'openai', field: 'openai_api_key', source: { env: 'NEW_OPENAI_KEY' }, ...extra } },
  });
  if (profile === '1.0.0') await w.client.modelProviders.saveSingleCredential(PROVIDER, { openai_api_key: OLD });
  else await w.client.modelProviders.createCredential(PROVIDER, { openai_api_key: OLD }, 'original');
  return w;
}

function credentials(w: RotationWorld): { id: string; name: string; key: unknown; active: boolean }[] {
  const provider = w.sim.state.providers.find((p) => p.provider === PROVIDER)!;
  return provider.credentials.map((c) => ({ id: c.credential_id, name: c.credential_name, key: c.credentials.openai_api_key, active: c.credential_id === provider.current_credential_id }));
}

/** The next health-check run of the app fails with a 500 (a provider outage seen only by real calls). */
function failNextRun(w: RotationWorld): void {
  w.sim.faults.add({ method: 'POST', path: '^/v1/workflows/run$', status: 500, times: 1 });
}

describe.each<ProfileName>(['1.14.1', '1.12.1', '1.9.1'])('provider credential rotation on Dify %s (named credentials)', (profile) => {
  it('adds, switches to and proves a new credential, then deletes the old one', async () => {
    world = await providerWorld(profile);
    world.repo.env.NEW_OPENAI_KEY = NEW;
    const [old] = credentials(world);
    const report = await world.rotate({ force: true });
    expect(report.results[0]).toMatchObject({ outcome: 'rotated' });
    const live = credentials(world);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ key: NEW, active: true });
    expect(live[0]!.name).toMatch(/^rotated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(world.logs.join('\n')).toContain('gated: 1 health check(s) passed');
    const ledger = (await world.ledger('openai'))!;
    expect(ledger).toMatchObject({ current: { versionId: live[0]!.id }, previous: { versionId: old!.id } });
    expect(await scanForSecrets(world, [NEW, OLD])).toEqual([]);
  });

  it('keeps the old credential when Dify refuses the new one (exit 3)', async () => {
    world = await providerWorld(profile);
    world.repo.env.NEW_OPENAI_KEY = REFUSED;
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(3);
    expect(report.results[0]!.message).toMatch(/Dify refused the new langgenius\/openai\/openai credential .*the current credential stays active/);
    expect(credentials(world)).toEqual([expect.objectContaining({ key: OLD, active: true, name: 'original' })]);
    expect(await scanForSecrets(world, [REFUSED, OLD], { extra: { result: JSON.stringify(report) } })).toEqual([]);
  });

  it('switches back and deletes the new credential when the apps’ health checks fail (exit 3)', async () => {
    world = await providerWorld(profile);
    world.repo.env.NEW_OPENAI_KEY = NEW;
    failNextRun(world);
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(3);
    expect(report.results[0]!.message).toMatch(/switched back to .* and deleted the new one/);
    expect(credentials(world)).toEqual([expect.objectContaining({ key: OLD, active: true })]);
    expect((await world.ledger('openai'))!.lastAttempt?.outcome).toBe('rolled-back');
  });

  for (const step of ['create', 'set', 'test'] as RotationStep[]) {
    it(`resumes after a crash right after step ${step}: one credential, the new one, active`, async () => {
      world = await providerWorld(profile);
      world.repo.env.NEW_OPENAI_KEY = NEW;
      await world.rotate({ force: true }, { hooks: { afterStep: (_s, done) => { if (done === step) throw new Error('simulated crash'); } } });
      expect(credentials(world).some((c) => c.key === OLD)).toBe(true);
      const resumed = await world.rotate();
      expect(resumed.results[0]!.outcome).toBe('rotated');
      expect(credentials(world)).toEqual([expect.objectContaining({ key: NEW, active: true })]);
      expect((await world.ledger('openai'))!.pending).toBeUndefined();
    });
  }
});

describe('provider credential rotation: a crash inside create', () => {
  it('finds the credential it added by the name written ahead, instead of adding a second one', async () => {
    world = await providerWorld('1.14.1');
    world.repo.env.NEW_OPENAI_KEY = NEW;
    const [old] = credentials(world);
    const loaded = await world.load();
    const entry = newLedgerEntry(loaded.rotations[0]!);
    const name = 'rotated 2026-05-12 03:00:00';
    await writeLedger(world.stateDir, { ...entry, pending: { step: 'create', startedAt: new Date().toISOString(), data: { credentialName: name, oldCredentialId: old!.id } } });
    await world.client.modelProviders.createCredential(PROVIDER, { openai_api_key: NEW }, name);
    const resumed = await world.rotate();
    expect(resumed.results[0]!.outcome).toBe('rotated');
    expect(credentials(world)).toEqual([expect.objectContaining({ name, key: NEW, active: true })]);
  });
});

describe('provider credential rotation on Dify 1.0 (one credential)', () => {
  it('replaces the credential after Dify validates it', async () => {
    world = await providerWorld('1.0.0');
    world.repo.env.NEW_OPENAI_KEY = NEW;
    const report = await world.rotate({ force: true });
    expect(report.results[0]!.outcome).toBe('rotated');
    expect(credentials(world)).toEqual([expect.objectContaining({ key: NEW, active: true })]);
    expect((await world.ledger('openai'))!.current?.versionId).toMatch(/^hmac:/);
  });

  it('puts the previous value back from previousSource when health checks fail', async () => {
    world = await providerWorld('1.0.0', { previousSource: { env: 'OLD_OPENAI_KEY' } });
    world.repo.env.NEW_OPENAI_KEY = NEW;
    world.repo.env.OLD_OPENAI_KEY = OLD;
    failNextRun(world);
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(3);
    expect(credentials(world)).toEqual([expect.objectContaining({ key: OLD, active: true })]);
    expect(await scanForSecrets(world, [NEW, OLD])).toEqual([]);
  });

  it('asks for a human when health checks fail and the previous value is unknown (exit 4)', async () => {
    world = await providerWorld('1.0.0');
    world.repo.env.NEW_OPENAI_KEY = NEW;
    failNextRun(world);
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(4);
    expect(report.results[0]!.message).toMatch(/cannot show the previous value and no previousSource is configured/);
  });
});

describe('provider credential rotation where the server has the other credential model', () => {
  it('Dify 1.0 refuses named-credential calls with the version needed, and the rotation takes the one-credential path', async () => {
    world = await providerWorld('1.0.0');
    const refused = await world.client.modelProviders.createCredential(PROVIDER, { openai_api_key: NEW }, 'x').then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(DifyUnsupportedError);
    expect((refused as Error).message).toBe('creating a named provider credential needs Dify ≥ 1.8.0; the server is 1.0.0');
    world.repo.env.NEW_OPENAI_KEY = NEW;
    await world.rotate({ force: true });
    expect(world.logs.join('\n')).toContain('saved the new langgenius/openai/openai credential (hmac:');
  });

  it('refuses to resume on Dify 1.0 a rotation started with named credentials, changing nothing (exit 1)', async () => {
    world = await providerWorld('1.0.0');
    world.repo.env.NEW_OPENAI_KEY = NEW;
    const entry = newLedgerEntry((await world.load()).rotations[0]!);
    const pending = { step: 'set' as const, versionId: '5f0e7a4c-1111-4c2b-9d3e-000000000001', startedAt: new Date().toISOString(), data: { credentialName: 'rotated 2026-05-12 03:00:00', oldCredentialId: '5f0e7a4c-1111-4c2b-9d3e-000000000000' } };
    await writeLedger(world.stateDir, { ...entry, pending });
    const report = await world.rotate();
    expect(report.exitCode).toBe(1);
    expect(report.results[0]!.message).toMatch(
      /^rotation openai was started on Dify ≥ 1\.8 \(named credentials\), but the server now reports 1\.0\.0, which has one credential per provider \(≤ 1\.7\); its pending step \(set\) cannot be resumed here\. Check the provider's credentials in Dify by hand, then move .*rotation\/openai\.json away to start over/,
    );
    expect(credentials(world)).toEqual([expect.objectContaining({ key: OLD, active: true })]);
    expect((await world.ledger('openai'))!.pending).toEqual(pending);
  });

  it('refuses to resume on Dify 1.14 a rotation started with one credential (exit 1)', async () => {
    world = await providerWorld('1.14.1');
    world.repo.env.NEW_OPENAI_KEY = NEW;
    const entry = newLedgerEntry((await world.load()).rotations[0]!);
    await writeLedger(world.stateDir, { ...entry, pending: { step: 'test', versionId: 'hmac:0123456789abcdef01234567', startedAt: new Date().toISOString(), data: {} } });
    const report = await world.rotate();
    expect(report.results[0]!.message).toMatch(/^rotation openai was started on Dify ≤ 1\.7 \(one credential per provider\), but the server now reports 1\.14\.1, which has named credentials \(≥ 1\.8\)/);
    expect(credentials(world)).toEqual([expect.objectContaining({ key: OLD, active: true, name: 'original' })]);
  });
});
