// Apps are read as their page of the app list arrives, but only the whole listing decides which
// app a desired app targets: the pure parts (which entries may be targets, which reads are used),
// then plan against the simulator with the list pages held back by a fault.
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runPlan } from '../../src/cli/commands/plan-run.js';
import type { AppSummary } from '../../src/dify/index.js';
import { startEarlyReads } from '../../src/plan/early-reads.js';
import { mayBeTarget } from '../../src/plan/find-target.js';
import type { LiveApp } from '../../src/plan/types.js';
import type { Simulator } from '../../src/simulator/server.js';
import { captureContext, createFixtureRepo, seedApp, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';
import { desiredApp, liveFrom, workflowDsl } from '../support/plan-builders.js';

const ID_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ID_B = 'bbbbbbbb-0000-4000-8000-000000000002';

function summary(id: string, name: string, updatedAt = 1_700_000_000): AppSummary {
  return { id, name, mode: 'workflow', updated_at: updatedAt, workflow: { id: `wf-${id}` } } as AppSummary;
}

describe('mayBeTarget', () => {
  it('knows an entry by target id (any case), remembered id, adopted name or the DSL name to create', () => {
    const wanted = mayBeTarget(
      [
        desiredApp(workflowDsl({ name: 'pinned' }), { name: 'pinned', target: { kind: 'appId', appId: ID_A } }),
        desiredApp(workflowDsl({ name: 'Adopted in UI' }), { name: 'adopted', target: { kind: 'adopt', name: 'Adopted in UI' } }),
        desiredApp(workflowDsl({ name: 'Created by us' }), { name: 'created', target: { kind: 'create' } }),
      ],
      { created: ID_B },
    );
    expect(wanted(summary(ID_A.toUpperCase(), 'renamed in the UI'))).toBe(true);
    expect(wanted(summary(ID_B, 'renamed too'))).toBe(true);
    expect(wanted(summary('cccccccc-0000-4000-8000-000000000003', 'Adopted in UI'))).toBe(true);
    expect(wanted(summary('dddddddd-0000-4000-8000-000000000004', 'Created by us'))).toBe(true);
    expect(wanted(summary('eeeeeeee-0000-4000-8000-000000000005', 'someone else'))).toBe(false);
    // The manifest name is not the app's name in Dify when the DSL names it.
    expect(wanted(summary('ffffffff-0000-4000-8000-000000000006', 'created'))).toBe(false);
  });
});

describe('startEarlyReads', () => {
  const live = (id: string): LiveApp => liveFrom(workflowDsl(), { appId: id });

  it('reads each wanted entry once, and hands a read over only for an identical entry', async () => {
    const reads: string[] = [];
    const early = startEarlyReads(
      (s) => s.name !== 'skip',
      (s) => {
        reads.push(s.id);
        return Promise.resolve(live(s.id));
      },
      pLimit(4),
    );
    early.onPage([summary(ID_A, 'a'), summary('cccccccc-0000-4000-8000-000000000003', 'skip')]);
    early.onPage([summary(ID_A, 'a'), summary(ID_B, 'b')]); // page 1 again (a second pass), then more
    await early.settled();
    expect(reads).toEqual([ID_A, ID_B]);
    expect((await early.take(summary(ID_A, 'a')))?.appId).toBe(ID_A);
    // Edited between the page that started the read and the listing that counts: read again.
    expect(early.take(summary(ID_B, 'b', 1_700_000_999))).toBeUndefined();
    expect(early.take(summary('cccccccc-0000-4000-8000-000000000003', 'skip'))).toBeUndefined();
  });

  it('waits for reads nobody took, and a failed one is neither unhandled nor thrown by settled', async () => {
    let finish: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    const early = startEarlyReads(
      () => true,
      async (s) => {
        if (s.id === ID_A) throw new Error('read failed');
        await slow;
        return live(s.id);
      },
      pLimit(4),
    );
    early.onPage([summary(ID_A, 'a'), summary(ID_B, 'b')]);
    let settled = false;
    const settling = early.settled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    finish();
    await settling;
    expect(settled).toBe(true);
    await expect(early.take(summary(ID_A, 'a'))).rejects.toThrow('read failed');
  });

  it('once cancelled (the listing failed), sends none of the reads still waiting for a slot', async () => {
    let finish: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    const reads: string[] = [];
    const early = startEarlyReads(
      () => true,
      async (s) => {
        reads.push(s.id);
        await slow;
        return live(s.id);
      },
      pLimit(1),
    );
    const ID_C = 'cccccccc-0000-4000-8000-000000000003';
    early.onPage([summary(ID_A, 'a'), summary(ID_B, 'b'), summary(ID_C, 'c')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    early.cancel();
    finish();
    await early.settled();
    expect(reads).toEqual([ID_A]); // the one in flight ran on
    expect((await early.take(summary(ID_A, 'a')))?.appId).toBe(ID_A);
    await expect(early.take(summary(ID_B, 'b'))).rejects.toThrow('not read: the app list could not be read');
  });
});

describe('plan reads the apps of each list page as it arrives (simulator)', () => {
  let sim: Simulator;
  let repo: FixtureRepo;
  beforeAll(async () => {
    sim = await startSim('1.14.1');
    repo = await createFixtureRepo({ staging: sim.url });
    const client = simClient(sim);
    // Dify lists newest first, 100 to a page: what is created first ends up on page 2.
    await seedApp(client, workflowDsl({ name: 'old-app' }));
    await seedApp(client, workflowDsl({ name: 'twin' }));
    await Promise.all(Array.from({ length: 110 }, (_, i) => client.apps.create({ name: `filler-${i}`, mode: 'completion' })));
    await seedApp(client, workflowDsl({ name: 'twin' }));
    await seedApp(client, workflowDsl({ name: 'new-app' }));
    await client.close();
    for (const name of ['old-app', 'new-app', 'twin']) await repo.writeApp({ name, dsl: workflowDsl({ name }) });
  });
  afterAll(async () => {
    await sim.close();
    await repo.cleanup();
  });

  it('starts on page 1 while page 2 is held back, and the whole listing still decides', async () => {
    const listed = (r: { method: string; path: string }): boolean => r.method === 'GET' && r.path === '/console/api/apps';
    const drafts = (r: { path: string }): boolean => r.path.endsWith('/workflows/draft');
    // Both pages answer 500 ms late: page 2 is asked for only once page 1 is in.
    sim.faults.add({ method: 'GET', path: '^/console/api/apps$', delayMs: 500, times: 2 });
    const before = sim.requests.length;
    const ctx = captureContext(repo.dir, repo.env);
    const code = await runPlan(ctx, { format: 'json', detailedExitcode: true, revision: 'r1', message: 'test' });
    const plan = JSON.parse(ctx.stdout()) as { entries: { app: string; action: string; findings: { code: string }[] }[] };
    const seen = sim.requests.slice(before);

    expect(plan.entries.find((e) => e.app === 'old-app')?.action).toBe('no-op');
    expect(plan.entries.find((e) => e.app === 'new-app')?.action).toBe('no-op');
    // One twin on each page: both were read early, and the listing makes the name ambiguous.
    expect(plan.entries.find((e) => e.app === 'twin')).toMatchObject({ action: 'error', findings: [{ code: 'create-ambiguous' }] });
    expect(code).toBe(1);

    // The log is in order of answers: page 1's apps were read before page 2 was answered.
    const pageTwoAnswered = seen.findLastIndex(listed);
    expect(seen.filter(listed)).toHaveLength(2);
    expect(seen.slice(0, pageTwoAnswered).filter(drafts)).toHaveLength(2); // new-app and the newer twin
    // Nothing is read twice: old-app, new-app and both twins, once each.
    expect(seen.filter(drafts)).toHaveLength(4);
  });
});
