// Secret env-var rotation when the draft-sync route cannot be used: Dify refuses the sync twice
// with 409 draft_workflow_not_sync (someone keeps saving the draft). On Dify ≥ 1.8.1 the value is
// written by importing the published version with the new value; on older releases the write is
// refused with a clear error and the next run resumes by draft sync. The conflicts are injected
// by the simulator's fault rules (the 409 body Dify sends), so each case is deterministic.

import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/rotate-run.js';
import { runCommand } from '../../src/cli/run-command.js';
import type { DifyClient } from '../../src/dify/index.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { captureContext, importCount } from '../support/gitops-repo.js';
import { scanForSecrets } from '../support/rotation-scan.js';
import { startRotationWorld, TOKEN_VAR, type RotationWorld } from '../support/rotation-world.js';

const GOOD = 'tok-canary-imported-4f2a9c81e7';
const BAD = 'bad-canary-imported-0d7e3b5a19';
const INITIAL = 'tok-canary-initial-8e1c6f20b4';
const OTHER = 'other-canary-secret-5b93d0e7a2';

let world: RotationWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function envWorld(profile: ProfileName): Promise<RotationWorld> {
  return startRotationWorld({
    profile,
    initialToken: INITIAL,
    rotation: { 'upstream-token': { kind: 'envVar', environment: 'prod', app: 'gated', variable: TOKEN_VAR, source: { env: 'NEW_UPSTREAM_TOKEN' } } },
  });
}

/** The next `times` draft syncs are refused as Dify refuses a sync whose hash is stale. */
function conflictDraftSyncs(w: RotationWorld, times: number): void {
  const body = { code: 'draft_workflow_not_sync', message: 'Workflow graph might have been modified, please refresh and resubmit.', status: 409 };
  w.sim.faults.add({ method: 'POST', path: '^/console/api/apps/[^/]+/workflows/draft$', status: 409, body, times });
}

function draftSyncs(w: RotationWorld): number {
  return w.sim.requests.filter((r) => r.method === 'POST' && /\/workflows\/draft$/.test(r.path)).length;
}

async function published(client: DifyClient, appId: string): Promise<{ token: string; other: string; viewport: unknown }> {
  const workflowId = (await client.apps.publishedWorkflowId(appId))!;
  const record = (await client.versions.list(appId)).find((v) => v.id === workflowId)!;
  // Before 1.8.1 only the draft can be exported; the tests read it there only right after a publish.
  const exportable = (await client.serverInfo()).capabilities.exportWorkflowId;
  const exported = await client.dsl.export(appId, { includeSecret: true, ...(exportable ? { workflowId } : {}) });
  const value = (name: string): string => new RegExp(`name: ${name}\\n[\\s\\S]*?value: (\\S+)`).exec(exported)?.[1] ?? '';
  return { token: value(TOKEN_VAR), other: value('OTHER_SECRET'), viewport: (record.graph as { viewport?: unknown }).viewport };
}

/** Adds a second secret to the app (published), to show the import keeps it without sending it. */
async function addOtherSecret(w: RotationWorld): Promise<void> {
  const draft = (await w.client.drafts.get(w.appId))!;
  const vars = draft.environment_variables.map((v) => (v.value_type === 'secret' ? { ...v, value: '[__HIDDEN__]' } : v));
  vars.push({ id: 'var-other-secret', name: 'OTHER_SECRET', value_type: 'secret', value: OTHER, description: '', selector: ['env', 'OTHER_SECRET'] });
  await w.client.drafts.sync(w.appId, { graph: draft.graph, features: draft.features, hash: draft.hash, environment_variables: vars, conversation_variables: draft.conversation_variables });
  await w.client.versions.publish(w.appId);
}

async function rotateCli(w: RotationWorld): Promise<{ code: number; out: string; err: string }> {
  const ctx = captureContext(w.repo.dir, w.repo.env);
  const code = await runCommand(ctx, () => run(ctx, { force: true }));
  return { code, out: ctx.stdout(), err: ctx.stderr() };
}

describe.each<ProfileName>(['1.12.1', '1.9.1'])('env var rotation by import on Dify %s (draft sync refused twice)', (profile) => {
  it('imports the published version with the new value, publishes it and passes the health checks; nothing leaks', async () => {
    world = await envWorld(profile);
    await addOtherSecret(world);
    world.repo.env.NEW_UPSTREAM_TOKEN = GOOD;
    const [syncsBefore, importsBefore] = [draftSyncs(world), importCount(world.sim)];
    conflictDraftSyncs(world, 2);
    const result = await rotateCli(world);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/upstream-token \(prod, envVar\): rotated: UPSTREAM_TOKEN is hmac:[0-9a-f]{24}, published as version/);
    expect(result.err).toContain('wrote UPSTREAM_TOKEN (hmac:');
    expect(result.err).toContain('into the draft via the import of the published version');
    expect(draftSyncs(world) - syncsBefore).toBe(2);
    expect(importCount(world.sim) - importsBefore).toBe(1);
    const live = await published(world.client, world.appId);
    expect(live.token).toBe(GOOD);
    expect(live.other).toBe(OTHER);
    const ledger = (await world.ledger('upstream-token'))!;
    expect(ledger.pending).toBeUndefined();
    expect(ledger.lastAttempt?.outcome).toBe('rotated');
    expect(await scanForSecrets(world, [GOOD, INITIAL, OTHER], { extra: { stdout: result.out, stderr: result.err } })).toEqual([]);
  });

  it('rolls a failing value back by import too (exit 3), leaving the previous value published', async () => {
    world = await envWorld(profile);
    world.repo.env.NEW_UPSTREAM_TOKEN = BAD;
    const importsBefore = importCount(world.sim);
    conflictDraftSyncs(world, 4);
    const result = await rotateCli(world);
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/rolled-back: health checks failed with the new UPSTREAM_TOKEN .*restored the previous value and published/);
    expect(importCount(world.sim) - importsBefore).toBe(2);
    expect((await published(world.client, world.appId)).token).toBe(INITIAL);
    expect(await scanForSecrets(world, [BAD, INITIAL], { extra: { stdout: result.out, stderr: result.err } })).toEqual([]);
  });
});

describe('env var rotation by import: what is published', () => {
  it('publishes the live graph plus the new value, not graph edits someone saved to the draft meanwhile', async () => {
    world = await envWorld('1.12.1');
    world.repo.env.NEW_UPSTREAM_TOKEN = GOOD;
    const before = await published(world.client, world.appId);
    const w = world;
    const report = await w.rotate({ force: true }, {
      hooks: {
        afterStep: async (_secret, step) => {
          if (step !== 'create') return;
          // An editor moves the canvas after the rotation checked the draft, and keeps saving.
          const draft = (await w.client.drafts.get(w.appId))!;
          await w.client.drafts.sync(w.appId, { ...draft, graph: { ...draft.graph, viewport: { x: 40, y: 40, zoom: 2 } }, hash: draft.hash });
          conflictDraftSyncs(w, 2);
        },
      },
    });
    expect(report.results[0]!.outcome).toBe('rotated');
    const after = await published(w.client, w.appId);
    expect(after.token).toBe(GOOD);
    expect(after.viewport).toEqual(before.viewport);
  });
});

describe('env var rotation on Dify 1.0 when the draft sync is refused twice', () => {
  it('refuses to import (the published version cannot be exported before 1.8.1); the next run resumes by draft sync', async () => {
    world = await envWorld('1.0.0');
    world.repo.env.NEW_UPSTREAM_TOKEN = GOOD;
    const importsBefore = importCount(world.sim);
    conflictDraftSyncs(world, 2);
    const refused = await rotateCli(world);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/failed: the draft of app .* changed twice while UPSTREAM_TOKEN was being written .*this Dify \(1\.0\.0 < 1\.8\.1\) cannot export the published version to import instead; the next run retries \(the next run resumes at step set\)/);
    expect(importCount(world.sim)).toBe(importsBefore);
    expect((await published(world.client, world.appId)).token).toBe(INITIAL);
    expect((await world.ledger('upstream-token'))!.pending?.step).toBe('set');

    const resumed = await world.rotate();
    expect(resumed.results[0]!.outcome).toBe('rotated');
    expect(world.logs.join('\n')).toContain('into the draft via the draft sync');
    expect((await published(world.client, world.appId)).token).toBe(GOOD);
    expect(await scanForSecrets(world, [GOOD, INITIAL], { extra: { stdout: refused.out, stderr: refused.err } })).toEqual([]);
  });
});
