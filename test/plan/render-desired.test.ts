import { describe, expect, it } from 'vitest';
import { HIDDEN_SECRET, planSecrets, renderDesiredDsl } from '../../src/plan/render-desired.js';
import { desiredApp, liveFrom, workflowDsl } from '../support/plan-builders.js';

const CANARY = 'canary-secret-7f3a9';

function envVar(dsl: ReturnType<typeof renderDesiredDsl>, name: string) {
  return dsl.workflow?.environment_variables?.find((v) => v.name === name);
}

describe('renderDesiredDsl', () => {
  it('sends a bound secret with its value and the live variable id', () => {
    const desired = desiredApp(workflowDsl(), { secrets: [{ variable: 'API_KEY', keepLive: false, source: { env: 'KEY' } }] });
    const live = liveFrom(workflowDsl());
    const dsl = renderDesiredDsl(desired, live.draftEnvironmentVariables, new Map([['API_KEY', CANARY]]));
    expect(envVar(dsl, 'API_KEY')).toMatchObject({ id: 'live-API_KEY', value: CANARY, value_type: 'secret' });
    expect(envVar(dsl, 'REGION')).toMatchObject({ id: 'live-REGION', value: 'eu' });
  });

  it('keeps an unbound live secret with [__HIDDEN__] and the live id, never an empty string', () => {
    const desired = desiredApp(workflowDsl());
    const live = liveFrom(workflowDsl());
    const dsl = renderDesiredDsl(desired, live.draftEnvironmentVariables, new Map());
    expect(envVar(dsl, 'API_KEY')).toMatchObject({ id: 'live-API_KEY', value: HIDDEN_SECRET });
  });

  it('keeps a keepLive secret with [__HIDDEN__] even when a value is offered', () => {
    const desired = desiredApp(workflowDsl(), { secrets: [{ variable: 'API_KEY', keepLive: true }] });
    const live = liveFrom(workflowDsl());
    const dsl = renderDesiredDsl(desired, live.draftEnvironmentVariables, new Map([['API_KEY', CANARY]]));
    expect(envVar(dsl, 'API_KEY')).toMatchObject({ id: 'live-API_KEY', value: HIDDEN_SECRET });
  });

  it('starts a secret that exists nowhere as empty (nothing live to overwrite) and keeps the git id', () => {
    const desired = desiredApp(workflowDsl());
    const dsl = renderDesiredDsl(desired, [], new Map());
    expect(envVar(dsl, 'API_KEY')).toMatchObject({ id: 'git-key-id', value: '' });
  });

  it('refuses to render when a bound secret value was not read (never silently skipped)', () => {
    const desired = desiredApp(workflowDsl(), { secrets: [{ variable: 'API_KEY', keepLive: false, source: { env: 'KEY' } }] });
    expect(() => renderDesiredDsl(desired, [], new Map())).toThrow(/API_KEY is bound to environment variable KEY/);
  });

  it('applies environment overrides and maps dataset logical names before injecting secrets', () => {
    const desired = desiredApp(workflowDsl({ datasetIds: ['handbook'] }), {
      datasets: { handbook: '11111111-2222-3333-4444-555555555555' },
      overrides: [{ kind: 'envVar', name: 'REGION', value: 'us' }],
    });
    const dsl = renderDesiredDsl(desired, [], new Map());
    expect(envVar(dsl, 'REGION')?.value).toBe('us');
    const kb = dsl.workflow?.graph?.nodes?.find((n) => n.id === 'kb');
    expect(kb?.data.dataset_ids).toEqual(['11111111-2222-3333-4444-555555555555']);
    // The shared git document is not mutated.
    expect(desired.source.dsl.dsl.workflow?.environment_variables?.find((v) => v.name === 'REGION')?.value).toBe('eu');
  });
});

describe('planSecrets', () => {
  it('names what happens to each secret, without values', () => {
    const dsl = workflowDsl({
      env: [
        { name: 'A', value_type: 'secret', value: '' },
        { name: 'B', value_type: 'secret', value: '' },
        { name: 'C', value_type: 'secret', value: '' },
      ],
    });
    const desired = desiredApp(dsl, { secrets: [{ variable: 'A', keepLive: false, source: { env: 'A_SRC' } }] });
    const live = [{ id: 'x', name: 'B', value_type: 'secret' }];
    expect(planSecrets(desired, live)).toEqual([
      { variable: 'A', effect: 'set', source: 'environment variable A_SRC' },
      { variable: 'B', effect: 'keep', source: 'live value' },
      { variable: 'C', effect: 'empty', source: 'none' },
    ]);
  });
});
