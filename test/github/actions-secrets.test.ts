import { describe, it, expect } from 'vitest';
import { putActionsSecret } from '../../src/github/actions-secrets.js';
import { GitHubApiError } from '../../src/github/client.js';
import { UsageError } from '../../src/errors.js';
import { useFakeGitHub } from '../support/fake-github.js';
import { testClient } from '../support/github-test-client.js';

const CANARY = 'app-CANARY-dify-key-5f0c2a9e';

describe('putActionsSecret', () => {
  const fake = useFakeGitHub();

  it('seals a repository secret that GitHub (the fake) can decrypt, then updates it', async () => {
    const { gh, redactor } = testClient(fake());
    const target = { gh, owner: 'acme', repo: 'dify-apps', redactor, name: 'DIFY_API_KEY' };
    expect(await putActionsSecret({ ...target, value: CANARY })).toBe('created');
    expect(redactor.has(CANARY)).toBe(true);
    expect(fake().secretValue('DIFY_API_KEY')).toBe(CANARY);

    expect(await putActionsSecret({ ...target, value: `${CANARY}-rotated` })).toBe('updated');
    expect(fake().secretValue('DIFY_API_KEY')).toBe(`${CANARY}-rotated`);
    expect(fake().requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /repos/acme/dify-apps/actions/secrets/public-key 200',
      'PUT /repos/acme/dify-apps/actions/secrets/DIFY_API_KEY 201',
      'GET /repos/acme/dify-apps/actions/secrets/public-key 200',
      'PUT /repos/acme/dify-apps/actions/secrets/DIFY_API_KEY 204',
    ]);
    expect(JSON.stringify(fake().requests)).not.toContain(CANARY);
  });

  it('seals an environment secret with that environment’s own key', async () => {
    const { gh, redactor } = testClient(fake());
    const unicode = `${CANARY}-ключ-🔑`;
    await putActionsSecret({ gh, owner: 'acme', repo: 'dify-apps', redactor, environment: 'production', name: 'DIFY_KEY', value: unicode });
    expect(fake().secretValue('DIFY_KEY', 'production')).toBe(unicode);
    expect(fake().secretValue('DIFY_KEY')).toBeUndefined();
    expect(fake().requests.map((r) => r.path)).toEqual([
      '/repos/acme/dify-apps/environments/production/secrets/public-key',
      '/repos/acme/dify-apps/environments/production/secrets/DIFY_KEY',
    ]);
  });

  it('reports a missing environment as GitHub’s 404, without the value', async () => {
    const { gh, redactor } = testClient(fake());
    const error = await putActionsSecret({ gh, owner: 'acme', repo: 'dify-apps', redactor, environment: 'nope', name: 'K', value: CANARY }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).message).toBe(
      'GitHub API GET /repos/acme/dify-apps/environments/nope/secrets/public-key failed (404): Not Found',
    );
  });

  it('rejects a name GitHub would refuse before any request, yet still registers the value', async () => {
    const { gh, redactor } = testClient(fake());
    for (const name of ['GITHUB_TOKEN_COPY', '1KEY', 'has-dash']) {
      await expect(putActionsSecret({ gh, owner: 'acme', repo: 'dify-apps', redactor, name, value: CANARY })).rejects.toThrow(UsageError);
    }
    expect(redactor.has(CANARY)).toBe(true);
    expect(fake().requests).toEqual([]);
  });
});
