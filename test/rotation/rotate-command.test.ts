// `dify-gitops rotate` end to end: the real command implementation against a fixture repository
// and the simulator — dry run, text and JSON output, once per window, --no-wait then resume,
// exit codes, a clear error for an unknown secret, and no key in any output.

import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/rotate-run.js';
import { runCommand } from '../../src/cli/run-command.js';
import { captureContext } from '../support/gitops-repo.js';
import { scanForSecrets } from '../support/rotation-scan.js';
import { startRotationWorld, type RotationWorld } from '../support/rotation-world.js';

let world: RotationWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function cliWorld(): Promise<RotationWorld> {
  return startRotationWorld({
    rotation: (dir) => ({ 'gated-key': { kind: 'appApiKey', environment: 'prod', app: 'gated', schedule: '0 3 * * 1', sinks: [{ file: `${dir}/gated.key` }], gracePeriod: '300ms', quietPeriod: '100ms' } }),
  });
}

async function rotate(w: RotationWorld, options: Parameters<typeof run>[1] = {}) {
  const ctx = captureContext(w.repo.dir, w.repo.env);
  const code = await runCommand(ctx, () => run(ctx, options));
  return { code, out: ctx.stdout(), err: ctx.stderr() };
}

describe('dify-gitops rotate', () => {
  it('dry run says what is due and changes nothing; a run rotates; a second run in the window does nothing', async () => {
    world = await cliWorld();
    const dry = await rotate(world, { dryRun: true });
    expect(dry.code).toBe(0);
    expect(dry.out).toBe('Would rotate 1 secret(s):\n  gated-key (prod, appApiKey): never rotated (schedule 0 3 * * 1)\n');
    expect(await world.client.apiKeys.list(world.appId)).toEqual([]);
    expect(await world.ledger('gated-key')).toBeUndefined();

    const first = await rotate(world);
    expect(first.code).toBe(0);
    const [key] = await world.client.apiKeys.list(world.appId);
    expect(first.out).toBe(`Rotated 1 of 1 due secret(s):\n  gated-key (prod, appApiKey): rotated: issued key ${key!.id} (first rotation: no old key to retire)\n`);
    expect(first.err).toContain(`gated-key: delivered key ${key!.id} to file`);

    const second = await rotate(world, { format: 'json' });
    expect(second.code).toBe(0);
    const json = JSON.parse(second.out) as { due: unknown[]; notDue: { secret: string; detail: string }[]; results: unknown[] };
    expect(json.due).toEqual([]);
    expect(json.results).toEqual([]);
    expect(json.notDue[0]).toMatchObject({ secret: 'gated-key', detail: expect.stringMatching(/has not fired since/) as unknown });
    expect(await scanForSecrets(world, [key!.token], { allow: [`${world.sinkDir}/gated.key`], extra: { stdout: first.out + second.out, stderr: first.err + second.err } })).toEqual([]);
  });

  it('--no-wait delivers and returns; the next run finishes once the grace period is over', async () => {
    world = await cliWorld();
    await rotate(world);
    const [old] = await world.client.apiKeys.list(world.appId);
    const waiting = await rotate(world, { force: true, wait: false });
    expect(waiting.code).toBe(0);
    expect(waiting.out).toMatch(/gated-key \(prod, appApiKey\): waiting: delivered key .*; grace period until .*; both keys stay valid; a later run finishes/);
    expect(await world.client.apiKeys.list(world.appId)).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const finished = await rotate(world);
    expect(finished.out).toMatch(/rotated: key .* is current; .* deleted/);
    expect((await world.client.apiKeys.list(world.appId)).map((k) => k.id)).not.toContain(old!.id);
  });

  it('exits 3 when the new key is rolled back', async () => {
    world = await cliWorld();
    world.sim.faults.add({ method: 'GET', path: '^/v1/info$', status: 401, times: 1 });
    const result = await rotate(world, { force: true });
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/rolled-back: the new key failed its proof/);
  });

  it('names an unknown secret and the known ones (exit 1)', async () => {
    world = await cliWorld();
    const result = await rotate(world, { secret: ['gated-kye'] });
    expect(result.code).toBe(1);
    expect(result.err).toBe('dify-gitops: no secret `gated-kye` under rotation: (did you mean `gated-key`?); known: gated-key\n');
  });
});
