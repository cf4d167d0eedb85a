// Fault matrix: a failure (HTTP 500, a timeout, a dropped connection) injected at each step of
// apply and of its rollback. The end state must be the new version healthy, or the old version
// restored, with the matching exit code; a failed rollback (exit 4) is finished by `recover`.

import { describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { BAD, deployedScenario, faultTaken, GOOD, GOOD_V2, SECRET, type Scenario } from '../support/fault-scenario.js';

type Kind = '500' | 'timeout' | 'drop';
const KINDS: Kind[] = ['500', 'timeout', 'drop'];

function fault(kind: Kind, method: string, path: string, times: number) {
  if (kind === '500') return { method, path, status: 500, times };
  if (kind === 'timeout') return { method, path, delayMs: 2500, times };
  return { method, path, dropConnection: true, times };
}

/** The invariant: exit 0 ⇔ the new version is live; 1 or 3 ⇔ the old one is; secrets intact. */
function expectConsistent(s: Scenario, code: number, newPrompt: string): void {
  const live = s.live();
  expect([0, 1, 3]).toContain(code);
  expect(live.prompt).toBe(code === 0 ? newPrompt : GOOD);
  expect(live.secret).toBe(SECRET);
}

async function withScenario(profile: ProfileName, body: (s: Scenario) => Promise<void>): Promise<void> {
  const s = await deployedScenario(profile);
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

describe('fault matrix: forward steps (1.14.1)', () => {
  // A 500 is an answer (the request failed); a timeout or cut connection during publish is not:
  // Dify may still publish, so apply takes the full way back (exit 3) instead of a draft restore.
  const forward: { step: string; method: string; path: string; retried: boolean; pending?: boolean; expected: Record<Kind, number> }[] = [
    { step: 'snapshot (export)', method: 'GET', path: '^/console/api/apps/[^/]+/export$', retried: true, expected: { '500': 1, timeout: 1, drop: 1 } },
    { step: 'import', method: 'POST', path: '^/console/api/apps/imports$', retried: false, expected: { '500': 1, timeout: 1, drop: 1 } },
    { step: 'confirm', method: 'POST', path: '^/console/api/apps/imports/[^/]+/confirm$', retried: false, pending: true, expected: { '500': 1, timeout: 1, drop: 1 } },
    { step: 'publish', method: 'POST', path: '^/console/api/apps/[^/]+/workflows/publish$', retried: false, expected: { '500': 1, timeout: 3, drop: 3 } },
    { step: 'health check', method: 'POST', path: '^/v1/workflows/[^/]+/run$', retried: false, expected: { '500': 3, timeout: 3, drop: 3 } },
  ];
  for (const row of forward) {
    for (const kind of KINDS) {
      it(`${row.step}: ${kind}`, async () => {
        await withScenario('1.14.1', async (s) => {
          const prompt = GOOD_V2;
          await s.deployPrompt(prompt, row.pending ? { version: '0.7.0', policies: { allowPendingImport: true } } : {});
          s.sim.faults.add(fault(kind, row.method, row.path, row.retried ? 50 : 1));
          const result = await s.apply();
          expectConsistent(s, result.code, prompt);
          expect(result.code, result.out).toBe(row.expected[kind]);
          // Whatever happened, nothing is left half done.
          expect((await s.recover()).out).toMatch(/Nothing to recover/);
        });
      });
    }
  }
});

describe('fault matrix: rollback steps', () => {
  const rows: { step: string; profile: ProfileName; method: string; path: string; times: number }[] = [
    { step: 'rollback restore', profile: '1.14.1', method: 'POST', path: '^/console/api/apps/[^/]+/workflows/[^/]+/restore$', times: 50 },
    { step: 'rollback import (re-import, no restore endpoint)', profile: '1.12.1', method: 'POST', path: '^/console/api/apps/imports$', times: 1 },
    { step: 'rollback publish', profile: '1.14.1', method: 'POST', path: '^/console/api/apps/[^/]+/workflows/publish$', times: 1 },
  ];
  for (const row of rows) {
    for (const kind of KINDS) {
      it(`${row.step} (${row.profile}): ${kind}`, async () => {
        await withScenario(row.profile, async (s) => {
          await s.deployPrompt(BAD);
          // Hold the failing health check until the fault is in place, so only the rollback meets it.
          const gate = s.sim.faults.add({ method: 'POST', path: '^/v1/workflows/[^/]+/run$', delayMs: 1000, times: 1 });
          // The draft gate would stop BAD before publish; these rows test the way back after a publish.
          const applying = s.apply({ draftGate: false });
          await faultTaken(s.sim, gate.id);
          s.sim.faults.add(fault(kind, row.method, row.path, row.times));
          const result = await applying;
          // The way back failed: a human is told exactly what is live, and the journal stays open.
          expect(result.code, result.out).toBe(4);
          expect(result.out).toMatch(/Live now: app [0-9a-f-]+: published version [0-9a-f-]+ marked "rev"/);
          expect(result.out).toMatch(/dify-gitops recover/);
          expect(s.live().prompt).toBe(BAD);
          s.sim.faults.clear();
          // A timed-out request is still held by the simulator (2.5 s): let it land first. A 500 or a
          // cut connection leaves nothing in flight, so those rows need no wait.
          if (kind === 'timeout') await new Promise((r) => setTimeout(r, 2600));
          const recovered = await s.recover();
          expect(recovered.code, recovered.out).toBe(3);
          expect(s.live().prompt).toBe(GOOD);
          expect(s.live().secret).toBe(SECRET);
          expect((await s.recover()).out).toMatch(/Nothing to recover/);
        });
      });
    }
  }
});
