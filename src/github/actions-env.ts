// Reads the GitHub Actions environment (the variables the runner sets and the event JSON it
// writes) into a typed ActionsContext. Given an env object and a file reader it does nothing
// else, so tests pass plain data. Problems are reported all at once, each naming its variable.

import { DifyGitopsError } from '../errors.js';
import type { Redactor } from '../secrets/redactor.js';

export interface PullRequestInfo {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  /** `owner/repo` the head branch lives in; undefined when that fork was deleted. */
  headRepository: string | undefined;
  /** The head branch lives in another repository: its GITHUB_TOKEN is read-only and has no secrets. */
  isFork: boolean;
}

export interface ActionsContext {
  /** GITHUB_ACTIONS=true: workflow commands (::error::, ::add-mask::) are understood. */
  inActions: boolean;
  token: string;
  owner: string;
  repo: string;
  /** GITHUB_EVENT_NAME, e.g. `pull_request`, `push`, `schedule`; undefined outside Actions. */
  eventName: string | undefined;
  /** GITHUB_SHA: for pull_request events the merge commit, not the head (use pullRequest.headSha). */
  sha: string | undefined;
  ref: string | undefined;
  runId: string | undefined;
  runAttempt: string | undefined;
  serverUrl: string;
  apiUrl: string;
  graphqlUrl: string;
  stepSummaryPath: string | undefined;
  /** `<server>/<owner>/<repo>/actions/runs/<run id>` when the run id is known. */
  runUrl: string | undefined;
  /** Set for pull_request and pull_request_target events. */
  pullRequest: PullRequestInfo | undefined;
  /** The issue or pull request a comment should go to: pull request number, or the commented issue. */
  issueNumber: number | undefined;
}

/** What a caller needs beyond the always-required token and repository. */
export type ActionsRequirement = 'sha' | 'runId' | 'pullRequest' | 'stepSummary';

export class ActionsEnvError extends DifyGitopsError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('E_GITHUB_ENV', `GitHub Actions environment is incomplete:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

export interface ReadActionsContextOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads GITHUB_EVENT_PATH; throws when the file is missing. */
  readFile: (path: string) => string;
  /** Overrides GITHUB_TOKEN (for example a PAT or app token given as an input). */
  token?: string | undefined;
  /** The token is registered here the moment it is read. */
  redactor?: Redactor;
  require?: readonly ActionsRequirement[];
}

export function readActionsContext(options: ReadActionsContextOptions): ActionsContext {
  const { env } = options;
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const token = nonEmpty(options.token) ?? get('GITHUB_TOKEN') ?? get('GH_TOKEN');
  if (token === undefined) {
    problems.push('GITHUB_TOKEN is not set: pass `env: GITHUB_TOKEN: ${{ github.token }}` or give a token explicitly');
  } else {
    options.redactor?.add(token);
  }

  const repository = get('GITHUB_REPOSITORY');
  const [owner, repo] = splitRepository(repository);
  if (repository === undefined) problems.push('GITHUB_REPOSITORY is not set (expected owner/repo)');
  else if (owner === undefined) problems.push(`GITHUB_REPOSITORY is "${repository}", expected owner/repo`);

  const serverUrl = (get('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, '');
  const apiUrl = (get('GITHUB_API_URL') ?? defaultApiUrl(serverUrl)).replace(/\/+$/, '');
  const graphqlUrl = get('GITHUB_GRAPHQL_URL') ?? `${apiUrl.replace(/\/v3$/, '')}/graphql`;
  const runId = get('GITHUB_RUN_ID');
  const eventName = get('GITHUB_EVENT_NAME');
  const event = readEvent(get('GITHUB_EVENT_PATH'), options.readFile, problems);
  const pullRequest = event === undefined ? undefined : pullRequestOf(event, repository, problems);
  const issueNumber = pullRequest?.number ?? issueNumberOf(event);

  const required = new Set(options.require ?? []);
  if (required.has('sha') && get('GITHUB_SHA') === undefined) problems.push('GITHUB_SHA is not set');
  if (required.has('runId') && runId === undefined) problems.push('GITHUB_RUN_ID is not set');
  if (required.has('stepSummary') && get('GITHUB_STEP_SUMMARY') === undefined) {
    problems.push('GITHUB_STEP_SUMMARY is not set (job summaries need a GitHub Actions runner)');
  }
  if (required.has('pullRequest') && pullRequest === undefined) {
    problems.push(
      `no pull request in GITHUB_EVENT_PATH (event ${eventName ?? 'unknown'}); run this on pull_request or pull_request_target`,
    );
  }
  if (problems.length > 0 || token === undefined || owner === undefined || repo === undefined) {
    throw new ActionsEnvError(problems);
  }

  return {
    inActions: env.GITHUB_ACTIONS === 'true',
    token,
    owner,
    repo,
    eventName,
    sha: get('GITHUB_SHA'),
    ref: get('GITHUB_REF'),
    runId,
    runAttempt: get('GITHUB_RUN_ATTEMPT'),
    serverUrl,
    apiUrl,
    graphqlUrl,
    stepSummaryPath: get('GITHUB_STEP_SUMMARY'),
    runUrl: runId === undefined ? undefined : `${serverUrl}/${owner}/${repo}/actions/runs/${runId}`,
    pullRequest,
    issueNumber,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function splitRepository(repository: string | undefined): [string | undefined, string | undefined] {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository ?? '');
  return match === null ? [undefined, undefined] : [match[1], match[2]];
}

/** github.com has a separate API host; GitHub Enterprise Server serves it under /api/v3. */
function defaultApiUrl(serverUrl: string): string {
  return serverUrl === 'https://github.com' ? 'https://api.github.com' : `${serverUrl}/api/v3`;
}

function readEvent(path: string | undefined, readFile: (path: string) => string, problems: string[]): unknown {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    problems.push(`GITHUB_EVENT_PATH ${path} cannot be read${typeof code === 'string' ? ` (${code})` : ''}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.push(`GITHUB_EVENT_PATH ${path} is not JSON: ${(error as Error).message}`);
    return undefined;
  }
}

function pullRequestOf(event: unknown, repository: string | undefined, problems: string[]): PullRequestInfo | undefined {
  const pr = field(event, 'pull_request');
  if (pr === undefined || pr === null) return undefined;
  const number = field(pr, 'number');
  const headSha = field(pr, 'head', 'sha');
  const headRef = field(pr, 'head', 'ref');
  const baseRef = field(pr, 'base', 'ref');
  const baseSha = field(pr, 'base', 'sha');
  const headRepo = field(pr, 'head', 'repo', 'full_name');
  const baseRepoField = field(pr, 'base', 'repo', 'full_name');
  const baseRepo = typeof baseRepoField === 'string' ? baseRepoField : (repository ?? '');
  const missing = Object.entries({ number, 'head.sha': headSha, 'head.ref': headRef, 'base.ref': baseRef, 'base.sha': baseSha })
    .filter(([key, value]) => (key === 'number' ? typeof value !== 'number' : typeof value !== 'string'))
    .map(([key]) => `pull_request.${key}`);
  if (missing.length > 0) {
    problems.push(`GITHUB_EVENT_PATH event has a pull_request without ${missing.join(', ')}`);
    return undefined;
  }
  const headRepository = typeof headRepo === 'string' ? headRepo : undefined;
  return {
    number: number as number,
    headSha: headSha as string,
    headRef: headRef as string,
    baseRef: baseRef as string,
    baseSha: baseSha as string,
    headRepository,
    // A deleted fork has head.repo = null: still a fork for every purpose that matters here.
    isFork: headRepository === undefined || headRepository.toLowerCase() !== baseRepo.toLowerCase(),
  };
}

function issueNumberOf(event: unknown): number | undefined {
  const number = field(event, 'issue', 'number');
  return typeof number === 'number' ? number : undefined;
}

function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
