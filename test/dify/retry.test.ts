import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  classifyNetworkError,
  DEFAULT_RETRY_POLICY,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  type RetryPolicy,
} from '../../src/dify/retry.js';

const POLICY: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 };

describe('backoffDelayMs (full jitter)', () => {
  it('doubles the ceiling per retry up to maxDelayMs', () => {
    const top = (): number => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, POLICY, top))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('draws uniformly from zero: random 0 waits 0, random 0.5 waits half the ceiling', () => {
    expect(backoffDelayMs(3, POLICY, () => 0)).toBe(0);
    expect(backoffDelayMs(3, POLICY, () => 0.5)).toBe(200);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-12T10:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3_000);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Tue, 12 May 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 12 May 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent, negative, fractional and garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('honours Retry-After, capped at maxRetryAfterMs', () => {
    expect(retryDelayMs(1, { kind: 'status', status: 429, retryAfterMs: 2_000 }, POLICY, () => 0.9)).toBe(2_000);
    expect(retryDelayMs(1, { kind: 'status', status: 429, retryAfterMs: 3_600_000 }, POLICY, () => 0.9)).toBe(10_000);
  });

  it('falls back to backoff without Retry-After', () => {
    expect(retryDelayMs(2, { kind: 'status', status: 503 }, POLICY, () => 0.5)).toBe(100);
    expect(retryDelayMs(2, { kind: 'connection', errorCode: 'ECONNRESET' }, POLICY, () => 0.5)).toBe(100);
  });
});

describe('isRetryable', () => {
  it('retries transient statuses only for idempotent requests', () => {
    for (const status of [429, 500, 502, 503, 504]) {
      expect(isRetryable({ kind: 'status', status }, true)).toBe(true);
      expect(isRetryable({ kind: 'status', status }, false)).toBe(false);
    }
  });

  it('never retries 4xx (other than 429) or 501', () => {
    for (const status of [400, 401, 403, 404, 409, 415, 501]) expect(isRetryable({ kind: 'status', status }, true)).toBe(false);
  });

  it('retries drops and timeouts only when idempotent', () => {
    expect(isRetryable({ kind: 'connection', errorCode: 'UND_ERR_SOCKET' }, true)).toBe(true);
    expect(isRetryable({ kind: 'connection', errorCode: 'UND_ERR_SOCKET' }, false)).toBe(false);
    expect(isRetryable({ kind: 'timeout', errorCode: 'UND_ERR_HEADERS_TIMEOUT' }, false)).toBe(false);
  });

  it('retries a request that provably never left (connection refused) for any method', () => {
    expect(isRetryable({ kind: 'not-sent', errorCode: 'ECONNREFUSED' }, false)).toBe(true);
  });
});

describe('classifyNetworkError', () => {
  it('sorts Node and undici codes', () => {
    expect(classifyNetworkError('ECONNREFUSED')?.kind).toBe('not-sent');
    expect(classifyNetworkError('UND_ERR_CONNECT_TIMEOUT')?.kind).toBe('not-sent');
    expect(classifyNetworkError('ECONNRESET')?.kind).toBe('connection');
    expect(classifyNetworkError('UND_ERR_SOCKET')?.kind).toBe('connection');
    expect(classifyNetworkError('UND_ERR_HEADERS_TIMEOUT')?.kind).toBe('timeout');
    expect(classifyNetworkError('UND_ERR_BODY_TIMEOUT')?.kind).toBe('timeout');
    expect(classifyNetworkError('UND_ERR_INVALID_ARG')).toBeUndefined();
    expect(classifyNetworkError(undefined)).toBeUndefined();
  });

  it('has sane defaults', () => {
    expect(DEFAULT_RETRY_POLICY.retries).toBeGreaterThan(0);
    expect(DEFAULT_RETRY_POLICY.maxRetryAfterMs).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});
