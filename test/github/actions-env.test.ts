import { describe, it, expect } from 'vitest';
import { ActionsEnvError, readActionsContext } from '../../src/github/actions-env.js';
import { Redactor } from '../../src/secrets/redactor.js';

const TOKEN = 'ghs_CANARY_actions_token_123';

function prEvent(headRepo: string | null, base = 'acme/dify-apps'): string {
  return JSON.stringify({
    action: 'synchronize',
    pull_request: {
      number: 17,
      head: { sha: 'h'.repeat(40), ref: 'feature/new-flow', repo: headRepo === null ? null : { full_name: headRepo } },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: base } },
    },
  });
}

const baseEnv = {
  GITHUB_ACTIONS: 'true',
  GITHUB_TOKEN: TOKEN,
  GITHUB_REPOSITORY: 'acme/dify-apps',
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: '/runner/event.json',
  GITHUB_SHA: 'm'.repeat(40),
  GITHUB_REF: 'refs/pull/17/merge',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_STEP_SUMMARY: '/runner/summary.md',
};

function files(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

describe('readActionsContext', () => {
  it('reads a pull_request run, registering the token for redaction', () => {
    const redactor = new Redactor();
    const context = readActionsContext({ env: baseEnv, readFile: files({ '/runner/event.json': prEvent('acme/dify-apps') }), redactor });
    expect(context).toEqual({
      inActions: true,
      token: TOKEN,
      owner: 'acme',
      repo: 'dify-apps',
      eventName: 'pull_request',
      sha: 'm'.repeat(40),
      ref: 'refs/pull/17/merge',
      runId: '4242',
      runAttempt: '2',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      graphqlUrl: 'https://api.github.com/graphql',
      stepSummaryPath: '/runner/summary.md',
      runUrl: 'https://github.com/acme/dify-apps/actions/runs/4242',
      pullRequest: {
        number: 17,
        headSha: 'h'.repeat(40),
        headRef: 'feature/new-flow',
        baseRef: 'main',
        baseSha: 'b'.repeat(40),
        headRepository: 'acme/dify-apps',
        isFork: false,
      },
      issueNumber: 17,
    });
    expect(redactor.redact(`token ${TOKEN}`)).toBe('token ***');
  });

  it('tells forks, and deleted forks, from branches of the same repository', () => {
    const read = (event: string) => readActionsContext({ env: baseEnv, readFile: files({ '/runner/event.json': event }) }).pullRequest;
    expect(read(prEvent('someone/dify-apps'))?.isFork).toBe(true);
    expect(read(prEvent(null))).toMatchObject({ isFork: true, headRepository: undefined });
    expect(read(prEvent('ACME/dify-apps'))?.isFork).toBe(false);
  });

  it('prefers an explicit token, and derives GitHub Enterprise Server URLs', () => {
    const context = readActionsContext({
      env: { GITHUB_REPOSITORY: 'acme/dify-apps', GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_TOKEN: 'ignored' },
      readFile: files({}),
      token: 'ghp_explicit',
    });
    expect(context).toMatchObject({
      token: 'ghp_explicit',
      inActions: false,
      serverUrl: 'https://ghe.example.com',
      apiUrl: 'https://ghe.example.com/api/v3',
      graphqlUrl: 'https://ghe.example.com/api/graphql',
      pullRequest: undefined,
      runUrl: undefined,
    });
  });

  it('reads the issue number of an issue_comment event', () => {
    const context = readActionsContext({
      env: { ...baseEnv, GITHUB_EVENT_NAME: 'issue_comment' },
      readFile: files({ '/runner/event.json': JSON.stringify({ issue: { number: 5, pull_request: {} }, comment: { body: 'plan' } }) }),
    });
    expect(context.issueNumber).toBe(5);
    expect(context.pullRequest).toBeUndefined();
  });

  it('names every missing variable at once', () => {
    const error = (() => {
      try {
        readActionsContext({ env: { GITHUB_REPOSITORY: 'not-a-repo' }, readFile: files({}), require: ['sha', 'runId', 'stepSummary'] });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ActionsEnvError);
    expect((error as ActionsEnvError).problems).toEqual([
      'GITHUB_TOKEN is not set: pass `env: GITHUB_TOKEN: ${{ github.token }}` or give a token explicitly',
      'GITHUB_REPOSITORY is "not-a-repo", expected owner/repo',
      'GITHUB_SHA is not set',
      'GITHUB_RUN_ID is not set',
      'GITHUB_STEP_SUMMARY is not set (job summaries need a GitHub Actions runner)',
    ]);
    expect((error as ActionsEnvError).code).toBe('E_GITHUB_ENV');
  });

  it('explains an unreadable or broken event file and a missing pull request', () => {
    const attempt = (readFile: (p: string) => string, env = baseEnv) => {
      try {
        readActionsContext({ env, readFile, require: ['pullRequest'] });
      } catch (e) {
        return (e as ActionsEnvError).problems;
      }
      return [];
    };
    expect(attempt(files({}))).toEqual([
      'GITHUB_EVENT_PATH /runner/event.json cannot be read (ENOENT)',
      'no pull request in GITHUB_EVENT_PATH (event pull_request); run this on pull_request or pull_request_target',
    ]);
    expect(attempt(files({ '/runner/event.json': '{"pull_request": ' }))[0]).toMatch(/^GITHUB_EVENT_PATH \/runner\/event.json is not JSON: /);
    expect(attempt(files({ '/runner/event.json': '{"pull_request": {"number": 3}}' }))[0]).toBe(
      'GITHUB_EVENT_PATH event has a pull_request without pull_request.head.sha, pull_request.head.ref, pull_request.base.ref, pull_request.base.sha',
    );
    expect(attempt(files({ '/runner/event.json': '{"ref": "refs/heads/main"}' }), { ...baseEnv, GITHUB_EVENT_NAME: 'push' })).toEqual([
      'no pull request in GITHUB_EVENT_PATH (event push); run this on pull_request or pull_request_target',
    ]);
  });
});
