// Canned fake-github answers shaped like GitHub's: rate limits (primary, secondary, 429),
// server errors and the two flavours of 422. Tests pass them to `fake.inject(...)`.

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the socket instead of answering (a dropped connection). */
  drop?: boolean;
}

export const DOCS_URL = 'https://docs.github.com/rest';

/** 403 with x-ratelimit-remaining: 0, as GitHub answers when the hourly budget is spent. */
export function primaryRateLimit(resetInSeconds = 0): Reply {
  return {
    status: 403,
    headers: {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
    },
    body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: DOCS_URL },
  };
}

/** 403 with Retry-After and GitHub's secondary-rate-limit message. */
export function secondaryRateLimit(retryAfterSeconds = 1): Reply {
  return {
    status: 403,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: DOCS_URL,
    },
  };
}

export function tooManyRequests(retryAfterSeconds = 1): Reply {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
    body: { message: 'Too Many Requests', documentation_url: DOCS_URL },
  };
}

/** The connection is cut before any answer. */
export function droppedConnection(): Reply {
  return { status: 0, drop: true };
}

export function serverError(status = 502): Reply {
  return { status, body: { message: 'Server Error' } };
}

export function validationFailed(message: string, resource = 'Resource', field = 'data'): Reply {
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [{ resource, code: 'custom', field, message }], documentation_url: DOCS_URL },
  };
}

export function invalidRequest(message: string): Reply {
  return { status: 422, body: { message: `Invalid request.\n\n${message}`, documentation_url: DOCS_URL } };
}

export function notFound(): Reply {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS_URL } };
}

