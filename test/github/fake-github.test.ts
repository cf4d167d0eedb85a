// The fake itself must be strict, or the tests built on it prove little.
import { describe, it, expect } from 'vitest';
import { startFakeGitHub } from '../support/fake-github.js';

describe('fake-github', () => {
  it('answers 501 to anything it does not implement and records it as unexpected', async () => {
    await using fake = await startFakeGitHub();
    const auth = { authorization: `token ${fake.options.token}`, 'content-type': 'application/json' };
    const unknown = await fetch(`${fake.url}/repos/acme/dify-apps/releases`, { headers: auth });
    expect(unknown.status).toBe(501);
    const query = await fetch(`${fake.url}/graphql`, { method: 'POST', headers: auth, body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(query.status).toBe(501);
    expect(fake.unexpected.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/acme/dify-apps/releases', 'POST /graphql']);
    expect(fake.requests.map((r) => r.status)).toEqual([501, 501]);
  });

  it('requires the token, checks JSON and required fields, and knows only its repository', async () => {
    await using fake = await startFakeGitHub();
    const url = `${fake.url}/repos/acme/dify-apps/issues/1/comments`;
    const json = { 'content-type': 'application/json' };
    const good = { ...json, authorization: `token ${fake.options.token}` };
    expect((await fetch(url, { method: 'POST', headers: json, body: '{"body":"x"}' })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { ...json, authorization: 'token nope' }, body: '{"body":"x"}' })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: good, body: '{"body":' })).status).toBe(400);
    expect((await fetch(url, { method: 'POST', headers: good, body: '{}' })).status).toBe(422);
    expect((await fetch(`${fake.url}/repos/other/repo/issues/1/comments`, { headers: good })).status).toBe(404);
    expect(fake.requests.map((r) => r.auth)).toEqual(['none', 'wrong', 'token', 'token', 'token']);
    expect(JSON.stringify(fake.requests)).not.toContain(fake.options.token);
    expect(fake.state.comments).toEqual([]);
    expect(fake.unexpected).toEqual([]);
  });

  it('rejects more than 50 annotations in one request, as GitHub does', async () => {
    await using fake = await startFakeGitHub();
    const annotations = Array.from({ length: 51 }, () => ({ path: 'a.yml', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'm' }));
    const response = await fetch(`${fake.url}/repos/acme/dify-apps/check-runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n', head_sha: 'abc', output: { title: 't', summary: 's', annotations } }),
    });
    expect(response.status).toBe(422);
    expect(fake.state.checkRuns).toEqual([]);
  });
});
