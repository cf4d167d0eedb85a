import { describe, expect, it } from 'vitest';
import { desiredDigest } from '../../src/plan/digest.js';
import { desiredDigestOf, desiredView, viewOf, warmDesiredViews } from '../../src/plan/desired-view.js';
import { planSecrets, renderDesiredDsl } from '../../src/plan/render-desired.js';
import { desiredApp, liveFrom, workflowDsl } from '../support/plan-builders.js';

const CANARY = 'canary-secret-desired-view-51c2';

describe('desiredView', () => {
  // The view is computed once without live state; that is only right if live state never changes it.
  it('equals the view of the DSL rendered against live variables and real secret values', () => {
    const bound = desiredApp(workflowDsl(), { secrets: [{ variable: 'API_KEY', keepLive: false, source: { env: 'KEY' } }] });
    const unbound = desiredApp(workflowDsl());
    const live = liveFrom(workflowDsl()).draftEnvironmentVariables;
    for (const [desired, values] of [
      [bound, new Map([['API_KEY', CANARY]])],
      [unbound, new Map<string, string>()],
    ] as const) {
      const cold = desiredView(desired).view.json;
      for (const liveVars of [live, [], live.slice(0, 1)]) {
        expect(viewOf(renderDesiredDsl(desired, liveVars, values), desired.policies.ignore).json).toBe(cold);
      }
      expect(cold).not.toContain(CANARY);
    }
  });

  it('computes an app once, and the digest once per set of secret effects', () => {
    const desired = desiredApp(workflowDsl());
    expect(desiredView(desired)).toBe(desiredView(desired));
    const live = liveFrom(workflowDsl()).draftEnvironmentVariables;
    for (const liveVars of [live, []]) {
      const secrets = planSecrets(desired, liveVars);
      expect(desiredDigestOf(desired, secrets)).toBe(desiredDigest(desired, desiredView(desired).view.json, secrets));
    }
    expect(desiredDigestOf(desired, planSecrets(desired, live))).not.toBe(desiredDigestOf(desired, planSecrets(desired, [])));
  });

  it('warms every app without rejecting; an app that cannot render fails later, where it is planned', async () => {
    const good = desiredApp(workflowDsl());
    const broken = Object.defineProperty({ ...desiredApp(workflowDsl()) }, 'policies', {
      get: () => {
        throw new Error('policies unreadable');
      },
    });
    await expect(warmDesiredViews([broken, good], 1)).resolves.toBeUndefined();
    expect(desiredView(good).view.json).toContain('"REGION"');
    expect(() => desiredView(broken)).toThrow(/policies unreadable/);
  });
});
