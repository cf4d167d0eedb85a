// What a GitHub Actions runner hands a step, for tests: the environment variables and a
// GITHUB_EVENT_PATH file holding a pull_request (or push) event, pointed at a fake-github.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeGitHub } from './fake-github.js';

export const HEAD_SHA = '1111111111111111111111111111111111111111';
export const NEXT_HEAD_SHA = '2222222222222222222222222222222222222222';
export const MERGE_SHA = '3333333333333333333333333333333333333333';

export interface ActionsRun {
  dir: string;
  env: Record<string, string>;
  /** Rewrites the event file as the next push to the pull request (a new head commit). */
  push(headSha: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface ActionsRunOptions {
  event?: 'pull_request' | 'push';
  number?: number;
  headSha?: string;
  /** The head branch's repository; another one than the fake's makes the pull request a fork's. */
  headRepository?: string;
  runId?: string;
}

export async function actionsRun(fake: FakeGitHub, options: ActionsRunOptions = {}): Promise<ActionsRun> {
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-actions-'));
  const repository = `${fake.options.owner}/${fake.options.repo}`;
  const event = options.event ?? 'pull_request';
  const eventPath = join(dir, 'event.json');
  const writeEvent = (headSha: string): Promise<void> => {
    const payload =
      event === 'push'
        ? { ref: 'refs/heads/main', after: headSha, repository: { full_name: repository } }
        : {
            action: 'synchronize',
            number: options.number ?? 7,
            pull_request: {
              number: options.number ?? 7,
              head: { sha: headSha, ref: 'feature/prompt', repo: { full_name: options.headRepository ?? repository } },
              base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: repository } },
            },
            repository: { full_name: repository },
          };
    return writeFile(eventPath, JSON.stringify(payload));
  };
  await writeEvent(options.headSha ?? HEAD_SHA);
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_TOKEN: fake.options.token,
    GITHUB_REPOSITORY: repository,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: event === 'push' ? (options.headSha ?? HEAD_SHA) : MERGE_SHA,
    GITHUB_REF: event === 'push' ? 'refs/heads/main' : `refs/pull/${options.number ?? 7}/merge`,
    GITHUB_RUN_ID: options.runId ?? '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: fake.url,
  };
  return { dir, env, push: writeEvent, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
