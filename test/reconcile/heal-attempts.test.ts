// One heal attempt per git revision (Argo CD's rule) over the simulator: a heal whose health
// check fails is rolled back once; the next reconcile at the same revision does not retry it;
// --retry-failed or a new revision (after the backoff) tries again.

import { afterEach, describe, expect, it } from 'vitest';
import { workflowDsl } from '../support/plan-builders.js';
import { publishedPrompt, startReconcileWorld, statusOf, type ReconcileWorld } from '../support/reconcile-world.js';

const GOOD = 'RESPOND: {"verdict":"ok"}';
const BAD = 'RESPOND: {"verdict":"maybe"}';
const HEALTH = [{ name: 'verdict', inputs: { topic: 'refunds' }, expect: { output: 'result', schema: 'verdict' } }];
const HOUR = 3_600_000;

describe('reconcile heal attempts', () => {
  let world: ReconcileWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('rolls back a failing heal once, then skips the revision until git changes or a person retries', async () => {
    const w = (world = await startReconcileWorld({ policies: { drift: 'heal' } }));
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: GOOD }), healthChecks: HEALTH });
    expect((await w.apply('rev1')).code).toBe(0);
    const appId = w.appId('demo');
    // Git moves to a prompt that breaks the output schema; nobody applied it.
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: BAD }), healthChecks: HEALTH });
    const rev2 = { id: 'rev2', subject: 'bad prompt' };
    // Every heal attempt imports git: count the imports the simulator answered.
    const imports = async (): Promise<number> => {
      const counts = (await (await fetch(`${w.sim.url}/_simulator/requests`)).json()) as { byRoute: Record<string, number> };
      return Object.entries(counts.byRoute).filter(([route]) => route.startsWith('POST /console/api/apps/imports')).reduce((n, [, c]) => n + c, 0);
    };
    const versions = imports;

    const first = await w.reconcile({}, { revision: rev2 });
    expect(statusOf(first, 'demo')).toBe('rolled-back');
    expect(first.exitCode).toBe(3);
    expect(publishedPrompt(w.sim, appId)).toBe(GOOD);
    const afterFirst = await versions();

    const second = await w.reconcile({}, { revision: rev2 });
    expect(statusOf(second, 'demo')).toBe('skipped-failed-revision');
    expect(second.exitCode).toBe(4);
    expect(await versions()).toBe(afterFirst); // nothing published: no second attempt

    const retried = await w.reconcile({ retryFailed: true }, { revision: rev2 });
    expect(statusOf(retried, 'demo')).toBe('rolled-back');
    expect(await versions()).toBeGreaterThan(afterFirst);
    const afterRetry = await versions();

    // A new revision waits out the backoff (2 failures: 2 minutes by default)…
    const rev3 = { id: 'rev3', subject: 'still bad' };
    const waiting = await w.reconcile({}, { revision: rev3 });
    expect(statusOf(waiting, 'demo')).toBe('drift');
    expect(waiting.environments[0]!.apps[0]!.detail).toMatch(/heal postponed until .* \(backoff after 2 failed attempts/);
    expect(await versions()).toBe(afterRetry);

    // …and is tried once it has passed.
    const later = await w.reconcile({}, { revision: rev3, now: () => new Date(Date.now() + HOUR) });
    expect(statusOf(later, 'demo')).toBe('rolled-back');
    expect(await versions()).toBeGreaterThan(afterRetry);

    // Git fixed: healed, and the attempts are forgotten.
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: `${GOOD} ` }), healthChecks: HEALTH });
    const fixed = await w.reconcile({}, { revision: { id: 'rev4', subject: 'fixed' }, now: () => new Date(Date.now() + 10 * HOUR) });
    expect(statusOf(fixed, 'demo')).toBe('healed');
    expect(fixed.exitCode).toBe(0);
    expect(publishedPrompt(w.sim, appId)).toBe(`${GOOD} `);
  });
});
