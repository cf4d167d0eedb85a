import { describe, it, expect } from 'vitest';
import { ensureIssue, type EnsureIssueOptions } from '../../src/github/issues.js';
import { useFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { testClient } from '../support/github-test-client.js';

function drift(fake: FakeGitHub, overrides: Partial<EnsureIssueOptions> = {}) {
  const { gh } = testClient(fake);
  return ensureIssue({
    gh,
    owner: 'acme',
    repo: 'dify-apps',
    marker: 'drift:production',
    title: 'Drift in production',
    body: '2 apps were edited in the Dify UI.',
    state: 'open',
    ...overrides,
  });
}

describe('ensureIssue', () => {
  const fake = useFakeGitHub();

  it('opens, updates, leaves alone, closes and reopens one issue per concern', async () => {
    expect(await drift(fake())).toMatchObject({ action: 'created', number: 1 });
    expect(fake().state.issues[0]).toMatchObject({
      title: 'Drift in production',
      body: '<!-- dify-gitops:issue:drift:production -->\n2 apps were edited in the Dify UI.',
      labels: ['dify-gitops'],
      state: 'open',
    });
    expect((await drift(fake(), { body: '3 apps drifted.' })).action).toBe('updated');
    expect((await drift(fake(), { body: '3 apps drifted.' })).action).toBe('unchanged');
    expect((await drift(fake(), { state: 'closed', body: 'No drift.' })).action).toBe('closed');
    expect(fake().state.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect((await drift(fake(), { state: 'closed', body: 'No drift.' })).action).toBe('unchanged');
    expect((await drift(fake(), { body: 'Drift again.' })).action).toBe('reopened');
    expect(fake().state.issues).toHaveLength(1);
    expect(fake().state.issues[0]).toMatchObject({ state: 'open', body: '<!-- dify-gitops:issue:drift:production -->\nDrift again.' });
  });

  it('keeps concerns apart and does nothing to close when there is no issue', async () => {
    expect(await drift(fake(), { state: 'closed' })).toEqual({ action: 'absent', number: undefined, url: undefined });
    await drift(fake());
    await drift(fake(), { marker: 'drift:staging', title: 'Drift in staging' });
    expect(fake().state.issues.map((i) => i.title)).toEqual(['Drift in production', 'Drift in staging']);
    expect(fake().requests.filter((r) => r.method === 'GET').every((r) => r.query.labels === 'dify-gitops' && r.query.state === 'all')).toBe(true);
  });
});
