// When the transport may send a request again, and how long it waits first. Pure: the transport
// feeds in what happened, this file answers. Policy (docs/dify-client.md "Retries"):
// - connection failures, timeouts, 429 and 5xx (except 501) are transient;
// - a request is retried only when repeating it cannot do harm: GET/HEAD/PUT/DELETE, or a POST the
//   calling code marked idempotent (replace-style writes, reads behind POST);
// - a failure that proves the request never reached the server (connection refused, connect
//   timeout, DNS) is retried for every method, because nothing was sent;
// - waits use exponential backoff with full jitter, or Retry-After (seconds or HTTP-date), capped.

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RetryPolicy {
  /** Extra attempts after the first one. */
  retries: number;
  /** Backoff before retry n is random(0, min(maxDelayMs, baseDelayMs × 2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on a Retry-After wait; longer server requests are shortened to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/** What went wrong with one attempt. */
export type AttemptFailure =
  | { kind: 'status'; status: number; retryAfterMs?: number | undefined }
  /** The connection was never established: the request certainly did not reach Dify. */
  | { kind: 'not-sent'; errorCode: string }
  /** Dropped, reset or timed out after the request may have been sent. */
  | { kind: 'connection'; errorCode: string }
  | { kind: 'timeout'; errorCode: string };

/** Error codes (Node system errors and undici's) that mean "the network failed". */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** Classifies a thrown network error by its `code`; undefined when it is not a network failure. */
export function classifyNetworkError(errorCode: string | undefined): AttemptFailure | undefined {
  if (errorCode === undefined) return undefined;
  if (NOT_SENT_CODES.has(errorCode)) return { kind: 'not-sent', errorCode };
  if (TIMEOUT_CODES.has(errorCode)) return { kind: 'timeout', errorCode };
  if (CONNECTION_CODES.has(errorCode)) return { kind: 'connection', errorCode };
  return undefined;
}

export function isIdempotentMethod(method: HttpMethod): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE';
}

/** 501 is excluded: "not implemented" will not change on a second try. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

export function isRetryable(failure: AttemptFailure, idempotent: boolean): boolean {
  if (failure.kind === 'not-sent') return true;
  if (failure.kind === 'status' && !isTransientStatus(failure.status)) return false;
  return idempotent;
}

/** Full-jitter exponential backoff for retry number `retry` (1 = the first retry). */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unparsable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The wait before retry number `retry`: the server's Retry-After when given (capped), else backoff. */
export function retryDelayMs(
  retry: number,
  failure: AttemptFailure,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (failure.kind === 'status' && failure.retryAfterMs !== undefined) {
    return Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
  }
  return backoffDelayMs(retry, policy, random);
}
