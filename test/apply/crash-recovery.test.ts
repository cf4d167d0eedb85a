// kill -9 at each step: the built CLI runs apply against a simulator in this process; the step's
// request is held by a delay fault; once it has arrived the child is killed with SIGKILL. After
// the held request lands, `recover` must leave the app either on the old version or on the new
// one with its health checks passing, close the journal, and break the dead process's lock.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { ensureBuilt, startCli } from '../support/cli-process.js';
import { BAD, deployedScenario, faultTaken, GOOD, GOOD_V2, SECRET, type Scenario } from '../support/fault-scenario.js';

const HOLD_MS = 1500;

function count(sim: Simulator, method: string, path: RegExp): number {
  return sim.requests.filter((r) => r.method === method && path.test(r.path)).length;
}

async function landed(sim: Simulator, method: string, path: RegExp, before: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (count(sim, method, path) <= before) {
    if (Date.now() > deadline) throw new Error(`the held request ${String(path)} never completed`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Row {
  step: string;
  method: string;
  path: string;
  prompt: string;
  pending?: boolean;
  /** Hold the (failing) health run first, so the fault meets only the rollback. */
  afterHealth?: boolean;
  /** Acceptable end states after recover, with recover's exit code. */
  expect: 'old' | 'new' | 'old-rolled-back';
}

const ROWS: Row[] = [
  // Plan reads workflow apps as JSON records; only the snapshot exports them, so this holds the snapshot.
  { step: 'snapshot', method: 'GET', path: '^/console/api/apps/[^/]+/export$', prompt: GOOD_V2, expect: 'old' },
  { step: 'import', method: 'POST', path: '^/console/api/apps/imports$', prompt: GOOD_V2, expect: 'old' },
  { step: 'confirm', method: 'POST', path: '^/console/api/apps/imports/[^/]+/confirm$', prompt: GOOD_V2, pending: true, expect: 'old' },
  // Killed while the draft gate runs its checks on the imported draft: nothing was published, so
  // recover puts the draft back and never publishes it.
  { step: 'draft gate', method: 'POST', path: '^/console/api/apps/[^/]+/workflows/draft/run$', prompt: GOOD_V2, expect: 'old' },
  { step: 'publish', method: 'POST', path: '^/console/api/apps/[^/]+/workflows/publish$', prompt: GOOD_V2, expect: 'new' },
  { step: 'health check', method: 'POST', path: '^/v1/workflows/[^/]+/run$', prompt: GOOD_V2, expect: 'new' },
  { step: 'rollback restore', method: 'POST', path: '^/console/api/apps/[^/]+/workflows/[^/]+/restore$', prompt: BAD, afterHealth: true, expect: 'old-rolled-back' },
  { step: 'rollback publish', method: 'POST', path: '^/console/api/apps/[^/]+/workflows/publish$', prompt: BAD, afterHealth: true, expect: 'old-rolled-back' },
];

describe('kill -9 at each step, then recover (1.14.1)', () => {
  beforeAll(() => ensureBuilt());

  for (const row of ROWS) {
    it(`${row.step}`, async () => {
      const s: Scenario = await deployedScenario('1.14.1');
      try {
        const oldWorkflow = s.live().workflowId;
        await s.deployPrompt(row.prompt, row.pending ? { version: '0.7.0', policies: { allowPendingImport: true } } : {});
        const path = new RegExp(row.path);
        let gateId: string | undefined;
        if (row.afterHealth) gateId = s.sim.faults.add({ method: 'POST', path: '^/v1/workflows/[^/]+/run$', delayMs: 500, times: 1 }).id;
        else gateId = undefined;
        // Rows that test the way back after a publish turn the draft gate off (it would stop BAD first).
        const args = ['apply', '--revision', 'killed', '--message', 'kill -9 test', ...(row.afterHealth ? ['--no-draft-gate'] : [])];
        const cli = startCli(args, { cwd: s.repo.dir, env: s.repo.env });
        if (gateId !== undefined) await faultTaken(s.sim, gateId);
        const before = count(s.sim, row.method, path);
        const hold = s.sim.faults.add({ method: row.method, path: row.path, delayMs: HOLD_MS, times: 1 });
        await faultTaken(s.sim, hold.id);
        cli.child.kill('SIGKILL');
        const ended = await cli.done;
        expect(ended.signal).toBe('SIGKILL');
        await landed(s.sim, row.method, path, before);

        const recovered = await s.recover();
        expect(recovered.err).toMatch(/broke the lock on staging\/demo: its owner .* is no longer running/);
        const live = s.live();
        expect(live.secret).toBe(SECRET);
        if (row.expect === 'new') {
          expect(recovered.code, recovered.out).toBe(0);
          expect(recovered.out).toMatch(/is live and healthy/);
          expect(live.prompt).toBe(GOOD_V2);
          expect(live.workflowId).not.toBe(oldWorkflow);
        } else if (row.expect === 'old') {
          expect(recovered.code, recovered.out).toBe(0);
          expect(live.prompt).toBe(GOOD);
          expect(live.workflowId).toBe(oldWorkflow);
        } else {
          expect(recovered.code, recovered.out).toBe(3);
          expect(live.prompt).toBe(GOOD);
        }
        expect((await s.recover()).out).toMatch(/Nothing to recover/);
        // The app can be applied again afterwards: the repo still says row.prompt.
        if (row.expect !== 'new' && row.prompt === GOOD_V2) {
          const again = await s.apply({ revision: 'again' });
          expect(again.code, again.out).toBe(0);
          expect(s.live().prompt).toBe(GOOD_V2);
        }
      } finally {
        await s.close();
      }
    });
  }
});
