// The one place dify-gitops builds an Octokit. It owns the GitHub base URL (github.com or GitHub
// Enterprise Server), retries of 5xx answers, rate-limit handling (wait as GitHub advises, then
// retry once), write pacing, and the translation of Octokit's RequestError into GitHubApiError
// with the token redacted. Everything else in src/github takes the `GitHub` this returns.

import { Octokit, RequestError } from 'octokit';
import type { ThrottlingOptions } from '@octokit/plugin-throttling';
import { DifyGitopsError } from '../errors.js';
import type { Redactor } from '../secrets/redactor.js';

export type GitHub = Octokit;

export interface GitHubLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface GitHubClientOptions {
  token: string;
  /** REST base URL: `GITHUB_API_URL`, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  baseUrl?: string;
  redactor: Redactor;
  /** Retries of 5xx answers and network errors (default 3). Rate limits are retried once, separately. */
  retries?: number;
  userAgent?: string;
  /** Receives Octokit's and the throttle's log lines, already redacted. Default: warnings and errors to stderr. */
  log?: GitHubLog;
  /** Time scales; tests shrink them so a "wait 60 s" costs milliseconds. */
  timing?: GitHubTiming;
}

export interface GitHubTiming {
  /** Milliseconds per unit of the 5xx back-off (retry n waits n² units). Default 1000. */
  retryBaseMs?: number;
  /** Milliseconds per second GitHub asks us to wait on a rate limit. Default 1000. */
  rateLimitSecondMs?: number;
  /**
   * 'github' (default): the throttle plugin's process-wide spacing of writes (1 s) and of
   * content-creating writes such as comments (3 s), which GitHub asks integrations to keep to
   * avoid secondary rate limits. 'none': no spacing, for tests and callers that pace themselves.
   */
  pacing?: 'github' | 'none';
}

/** A failed GitHub API call, translated at this edge. The message names the call and GitHub's reason. */
export class GitHubApiError extends DifyGitopsError {
  /** HTTP status; undefined when no response arrived (network error). */
  readonly status: number | undefined;
  readonly method: string;
  /** Path of the request without host or query, e.g. `/repos/acme/app/issues/7/comments`. */
  readonly endpoint: string;
  /** GitHub's own `message` (redacted), or the network error. */
  readonly githubMessage: string;
  readonly documentationUrl: string | undefined;
  readonly requestId: string | undefined;
  /** 403/429 with `x-ratelimit-remaining: 0`, a `retry-after`, or a secondary-rate-limit message. */
  readonly rateLimited: boolean;

  constructor(fields: {
    status: number | undefined;
    method: string;
    endpoint: string;
    githubMessage: string;
    documentationUrl?: string | undefined;
    requestId?: string | undefined;
    rateLimited?: boolean;
    cause?: unknown;
  }) {
    const status = fields.status === undefined ? 'no response' : String(fields.status);
    super(
      'E_GITHUB_HTTP',
      `GitHub API ${fields.method} ${fields.endpoint} failed (${status}): ${fields.githubMessage}`,
      fields.cause === undefined ? {} : { cause: fields.cause },
    );
    this.status = fields.status;
    this.method = fields.method;
    this.endpoint = fields.endpoint;
    this.githubMessage = fields.githubMessage;
    this.documentationUrl = fields.documentationUrl;
    this.requestId = fields.requestId;
    this.rateLimited = fields.rateLimited ?? false;
  }
}

const DEFAULT_BASE_URL = 'https://api.github.com';

export function createGitHubClient(options: GitHubClientOptions): GitHub {
  const { redactor } = options;
  // Registered first so that anything echoing the token (a proxy, GitHub itself) is masked.
  redactor.add(options.token);
  const log = redactedLog(options.log ?? stderrLog(), redactor);
  const timing = options.timing ?? {};
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'dify-gitops',
    log,
    retry: {
      retries: options.retries ?? 3,
      retryAfterBaseValue: timing.retryBaseMs ?? 1000,
      // 403 and 429 are the throttle's business (it knows the advised wait); the rest are final.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
    },
    throttle: throttleOptions(log, timing),
  });
  octokit.hook.error('request', (error) => {
    throw toGitHubApiError(error, redactor);
  });
  return octokit;
}

function throttleOptions(log: GitHubLog, timing: GitHubTiming): ThrottlingOptions {
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
    log.warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}; GitHub advises waiting ${retryAfter} s`);
    // Once: a second limit in a row means the budget is really gone; the caller decides.
    return retryCount === 0;
  };
  return {
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    retryAfterBaseValue: timing.rateLimitSecondMs ?? 1000,
    ...(timing.pacing === 'none' ? { write: unpaced(), notifications: unpaced(), search: unpaced() } : {}),
  };
}

type PacingGroup = NonNullable<Exclude<ThrottlingOptions, { enabled: false }>['write']>;

/**
 * A stand-in for the throttle plugin's Bottleneck.Group that runs jobs at once. The plugin calls
 * only `group.key(id).schedule(options, fn, ...args)`; bottleneck itself is not a direct
 * dependency of ours, so we do not construct a real Group.
 */
function unpaced(): PacingGroup {
  const limiter = {
    schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve().then(() => job(...args)),
  };
  return { key: () => limiter } as unknown as PacingGroup;
}

/** Turns whatever Octokit threw into a GitHubApiError; other errors pass through unchanged. */
export function toGitHubApiError(error: unknown, redactor: Redactor): unknown {
  if (error instanceof GitHubApiError) return error;
  if (!(error instanceof RequestError)) return error;
  const method = (error.request.method ?? 'GET').toUpperCase();
  const endpoint = redactor.redact(endpointOf(error.request.url));
  const response = error.response;
  if (response === undefined) {
    // fetch failed (connection refused, DNS, TLS): Octokit reports it as a fake 500.
    const cause = error.cause instanceof Error ? error.cause : undefined;
    return new GitHubApiError({
      status: undefined,
      method,
      endpoint,
      githubMessage: redactor.redact(`could not reach GitHub: ${error.message}`),
      cause,
    });
  }
  const data: unknown = response.data;
  const headers = response.headers as Record<string, string | undefined>;
  return new GitHubApiError({
    status: error.status,
    method,
    endpoint,
    githubMessage: redactor.redact(githubMessageOf(data, error.status)),
    documentationUrl: stringField(data, 'documentation_url'),
    requestId: headers['x-github-request-id'],
    rateLimited: isRateLimited(error.status, headers, data),
  });
}

function endpointOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function githubMessageOf(data: unknown, status: number): string {
  const message = stringField(data, 'message') ?? (typeof data === 'string' && data !== '' ? data : `HTTP ${status}`);
  const errors = data !== null && typeof data === 'object' ? (data as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors) || errors.length === 0) return message;
  // 422 details: "body is too long", "Missing required field"; keep them short and readable.
  const details = errors.map((e: unknown) => (typeof e === 'string' ? e : describeValidationError(e)));
  return `${message}: ${details.join('; ')}`;
}

function describeValidationError(e: unknown): string {
  const message = stringField(e, 'message');
  if (message !== undefined) return message;
  const parts = ['resource', 'field', 'code'].map((k) => stringField(e, k)).filter((v) => v !== undefined);
  return parts.length > 0 ? parts.join(' ') : JSON.stringify(e);
}

function isRateLimited(status: number, headers: Record<string, string | undefined>, data: unknown): boolean {
  if (status !== 403 && status !== 429) return false;
  return (
    status === 429 ||
    headers['x-ratelimit-remaining'] === '0' ||
    headers['retry-after'] !== undefined ||
    /rate limit/i.test(stringField(data, 'message') ?? '')
  );
}

function stringField(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

function redactedLog(log: GitHubLog, redactor: Redactor): GitHubLog {
  return {
    debug: (m) => log.debug(redactor.redact(String(m))),
    info: (m) => log.info(redactor.redact(String(m))),
    warn: (m) => log.warn(redactor.redact(String(m))),
    error: (m) => log.error(redactor.redact(String(m))),
  };
}

function stderrLog(): GitHubLog {
  const write = (level: string) => (message: string) => void process.stderr.write(`github ${level}: ${message}\n`);
  return { debug: () => {}, info: () => {}, warn: write('warning'), error: write('error') };
}
