import { describe, it, expect } from 'vitest';
import { ensureFilesPullRequest, type EnsureFilesPullRequestOptions } from '../../src/github/pull-requests.js';
import { UsageError } from '../../src/errors.js';
import { useFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { testClient } from '../support/github-test-client.js';

function adopt(fake: FakeGitHub, overrides: Partial<EnsureFilesPullRequestOptions> = {}) {
  const { gh } = testClient(fake);
  return ensureFilesPullRequest({
    gh,
    owner: 'acme',
    repo: 'dify-apps',
    base: 'main',
    branch: 'dify-gitops/adopt-production',
    files: { 'apps/support-bot/app.yml': 'app:\n  name: support-bot\n' },
    commitMessage: 'Adopt UI edits of support-bot from production',
    title: 'Adopt drift: production',
    body: 'support-bot was edited in the Dify UI.',
    ...overrides,
  });
}

describe('ensureFilesPullRequest', () => {
  const fake = useFakeGitHub();

  it('commits the files on a new branch from main and opens one pull request', async () => {
    const result = await adopt(fake());
    expect(result).toMatchObject({ action: 'created', url: expect.stringContaining('/pull/') });
    expect(fake().fileAt('dify-gitops/adopt-production', 'apps/support-bot/app.yml')).toBe('app:\n  name: support-bot\n');
    expect(fake().fileAt('dify-gitops/adopt-production', 'README.md')).toBe('# dify-apps\n');
    expect(fake().fileAt('main', 'apps/support-bot/app.yml')).toBeUndefined();
    const commit = fake().state.git.commits.get(result.commitSha)!;
    expect(commit.parents).toEqual([fake().state.git.refs.get('heads/main')]);
    expect(commit.message).toBe('Adopt UI edits of support-bot from production');
    expect(fake().state.pulls).toMatchObject([{ head: 'dify-gitops/adopt-production', base: 'main', state: 'open', draft: false }]);
  });

  it('does nothing when run again with the same files and text', async () => {
    const first = await adopt(fake());
    const commits = fake().state.git.commits.size;
    fake().requests.length = 0;
    const again = await adopt(fake());
    expect(again).toEqual({ ...first, action: 'unchanged' });
    expect(fake().state.git.commits.size).toBe(commits);
    // Building the tree is the only write, and it is content-addressed (no new object).
    expect(fake().requests.map((r) => `${r.method} ${r.path.replace('/repos/acme/dify-apps', '')}`)).toEqual([
      'GET /git/ref/heads/main',
      `GET /git/commits/${fake().state.git.refs.get('heads/main')}`,
      'POST /git/trees',
      'GET /git/ref/heads/dify-gitops/adopt-production',
      `GET /git/commits/${first.commitSha}`,
      'GET /pulls',
    ]);
  });

  it('rewrites its branch with new content, deletes files, and updates the pull request text', async () => {
    const first = await adopt(fake());
    const second = await adopt(fake(), {
      files: { 'apps/support-bot/app.yml': 'app:\n  name: support-bot v2\n', 'README.md': null },
      body: 'support-bot was edited twice.',
    });
    expect(second).toMatchObject({ action: 'updated', number: first.number });
    expect(second.commitSha).not.toBe(first.commitSha);
    expect(fake().fileAt('dify-gitops/adopt-production', 'apps/support-bot/app.yml')).toBe('app:\n  name: support-bot v2\n');
    expect(fake().fileAt('dify-gitops/adopt-production', 'README.md')).toBeUndefined();
    expect(fake().state.pulls).toHaveLength(1);
    expect(fake().state.pulls[0]!.body).toBe('support-bot was edited twice.');
    expect(fake().requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/git/refs/heads/dify-gitops/adopt-production'))).toBe(true);
  });

  it('refuses unsafe branch names and paths before calling GitHub', async () => {
    await expect(adopt(fake(), { branch: '../main' })).rejects.toThrow(UsageError);
    await expect(adopt(fake(), { files: { '../etc/passwd': 'x' } })).rejects.toThrow(/must be relative/);
    await expect(adopt(fake(), { files: {} })).rejects.toThrow(/no files/);
    expect(fake().requests).toEqual([]);
  });
});
