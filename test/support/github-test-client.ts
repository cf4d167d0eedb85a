// Builds the real dify-gitops GitHub client pointed at a fake-github, with time scaled down so
// retries and rate-limit waits cost milliseconds, and its log lines collected for assertions.

import { createGitHubClient, type GitHub, type GitHubClientOptions } from '../../src/github/client.js';
import { Redactor } from '../../src/secrets/redactor.js';
import type { FakeGitHub } from './fake-github.js';

export interface TestClient {
  gh: GitHub;
  redactor: Redactor;
  /** Everything the client logged (already redacted by the client). */
  logs: string[];
}

export function testClient(fake: FakeGitHub, overrides: Partial<GitHubClientOptions> = {}): TestClient {
  const redactor = overrides.redactor ?? new Redactor();
  const logs: string[] = [];
  const collect = (level: string) => (message: string) => void logs.push(`${level}: ${message}`);
  const gh = createGitHubClient({
    token: fake.options.token,
    baseUrl: fake.url,
    redactor,
    log: { debug: collect('debug'), info: collect('info'), warn: collect('warn'), error: collect('error') },
    timing: { retryBaseMs: 1, rateLimitSecondMs: 1, pacing: 'none' },
    ...overrides,
  });
  return { gh, redactor, logs };
}
