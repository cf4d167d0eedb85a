import { inspect } from 'node:util';
import { describe, it, expect } from 'vitest';
import { createGitHubClient, GitHubApiError } from '../../src/github/client.js';
import { Redactor } from '../../src/secrets/redactor.js';
import {
  droppedConnection,
  primaryRateLimit,
  secondaryRateLimit,
  serverError,
  startFakeGitHub,
  tooManyRequests,
  useFakeGitHub,
} from '../support/fake-github.js';
import { testClient } from '../support/github-test-client.js';

const repo = { owner: 'acme', repo: 'dify-apps' };

async function rejection(promise: Promise<unknown>): Promise<GitHubApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitHubApiError);
  return error as GitHubApiError;
}

describe('createGitHubClient', () => {
  const fake = useFakeGitHub();
  const listComments = (gh: ReturnType<typeof testClient>['gh']) => gh.rest.issues.listComments({ ...repo, issue_number: 1 });
  const hits = (path: RegExp) => fake().requests.filter((r) => path.test(r.path));

  it('retries 5xx answers and then succeeds', async () => {
    fake().inject({ method: 'GET', path: /comments$/ }, serverError(500), 2);
    const { gh } = testClient(fake());
    const response = await listComments(gh);
    expect(response.status).toBe(200);
    expect(hits(/comments$/).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('retries a dropped connection', async () => {
    fake().inject({ method: 'GET' }, droppedConnection(), 1);
    const { gh } = testClient(fake());
    expect((await listComments(gh)).status).toBe(200);
    expect(hits(/comments$/).map((r) => r.status)).toEqual([0, 200]);
  });

  it('gives up after the configured retries with a GitHubApiError naming the call', async () => {
    fake().inject({ method: 'GET', path: /comments$/ }, serverError(502), 10);
    const { gh } = testClient(fake(), { retries: 2 });
    const error = await rejection(listComments(gh));
    expect(error.status).toBe(502);
    expect(error.method).toBe('GET');
    expect(error.endpoint).toBe('/repos/acme/dify-apps/issues/1/comments');
    expect(error.code).toBe('E_GITHUB_HTTP');
    expect(error.message).toBe('GitHub API GET /repos/acme/dify-apps/issues/1/comments failed (502): Server Error');
    expect(hits(/comments$/)).toHaveLength(3);
  });

  it('waits out a primary rate limit once, as GitHub advises, then retries', async () => {
    fake().inject({ path: /comments$/ }, primaryRateLimit(), 1);
    const { gh, logs } = testClient(fake());
    await gh.rest.issues.createComment({ ...repo, issue_number: 1, body: 'hello' });
    expect(hits(/comments$/).map((r) => r.status)).toEqual([403, 201]);
    expect(fake().state.comments.map((c) => c.body)).toEqual(['hello']);
    expect(logs.some((l) => l.startsWith('warn: GitHub primary rate limit on POST'))).toBe(true);
  });

  it('does not retry a second rate limit in a row: the error says it was rate limited', async () => {
    fake().inject({ path: /comments$/ }, primaryRateLimit(), 5);
    const { gh } = testClient(fake());
    const error = await rejection(listComments(gh));
    expect(error.status).toBe(403);
    expect(error.rateLimited).toBe(true);
    expect(error.githubMessage).toMatch(/^API rate limit exceeded/);
    expect(hits(/comments$/)).toHaveLength(2);
  });

  it('honours secondary rate limits (403 + Retry-After) and 429', async () => {
    fake().inject({ method: 'GET' }, secondaryRateLimit(2), 1);
    fake().inject({ method: 'POST' }, tooManyRequests(1), 1);
    const { gh, logs } = testClient(fake());
    await listComments(gh);
    await gh.rest.issues.createComment({ ...repo, issue_number: 1, body: 'after 429' });
    expect(hits(/comments$/).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 403', 'GET 200', 'POST 429', 'POST 201']);
    expect(logs.some((l) => l.includes('secondary rate limit') && l.includes('2 s'))).toBe(true);
  });

  it('does not retry 4xx validation errors and reports GitHub’s reason', async () => {
    const { gh } = testClient(fake());
    const error = await rejection(gh.rest.issues.createComment({ ...repo, issue_number: 1, body: 'x'.repeat(65_537) }));
    expect(error.status).toBe(422);
    expect(error.githubMessage).toBe('Validation Failed: Body is too long (maximum is 65536 characters)');
    expect(error.documentationUrl).toBe('https://docs.github.com/rest');
    expect(error.requestId).toMatch(/^FAKE:/);
    expect(hits(/comments$/)).toHaveLength(1);
  });

  it('never lets the token into errors, logs or what the server recorded', async () => {
    const canary = 'ghp_CANARY_0123456789abcdefCANARY';
    await using leaky = await startFakeGitHub({ token: canary });
    leaky.inject({}, { status: 401, body: { message: `Bad credentials for ${canary}` } }, 1);
    leaky.inject({}, serverError(503), 3);
    const { gh, logs } = testClient(leaky, { retries: 1 });
    const first = await rejection(listComments(gh));
    const second = await rejection(listComments(gh));
    for (const error of [first, second]) {
      for (const text of [error.message, error.githubMessage, inspect(error, { depth: 10 }), JSON.stringify(error), String(error.stack)]) {
        expect(text).not.toContain(canary);
      }
    }
    expect(first.message).toContain('Bad credentials for ***');
    expect(JSON.stringify(leaky.requests)).not.toContain(canary);
    expect(logs.join('\n')).not.toContain(canary);
    expect(leaky.requests.every((r) => r.auth === 'token')).toBe(true);
    expect(leaky.unexpected).toEqual([]);
  });

  it('reports a wrong token as 401 Bad credentials without echoing it', async () => {
    const wrong = 'ghp_WRONG_TOKEN_CANARY_987654321';
    const { gh } = testClient(fake(), { token: wrong });
    const error = await rejection(listComments(gh));
    expect(error.status).toBe(401);
    expect(error.message).toBe('GitHub API GET /repos/acme/dify-apps/issues/1/comments failed (401): Bad credentials');
    expect(fake().requests[0]!.auth).toBe('wrong');
  });

  it('reports an unreachable GitHub without a status', async () => {
    const closed = await startFakeGitHub();
    const url = closed.url;
    await closed.close();
    const gh = createGitHubClient({ token: 't0ken-value', baseUrl: url, redactor: new Redactor(), retries: 0, timing: { retryBaseMs: 1 } });
    const error = await rejection(gh.rest.issues.listComments({ ...repo, issue_number: 1 }));
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/^GitHub API GET \/repos\/acme\/dify-apps\/issues\/1\/comments failed \(no response\): could not reach GitHub/);
  });

  it('works against a GitHub Enterprise Server base URL (/api/v3)', async () => {
    await using ghes = await startFakeGitHub({ enterprise: true });
    expect(ghes.url).toMatch(/\/api\/v3$/);
    const { gh } = testClient(ghes);
    await gh.rest.issues.createComment({ ...repo, issue_number: 2, body: 'on GHES' });
    expect(ghes.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /repos/acme/dify-apps/issues/2/comments 201']);
    expect(ghes.unexpected).toEqual([]);
  });
});
