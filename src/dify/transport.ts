// The one place dify-gitops sends HTTP to Dify. One undici Pool per client (keep-alive, at most
// `concurrency` sockets, so at most that many requests in flight; the rest queue inside the
// pool, which cannot deadlock the way an app-level semaphore around token refresh could).
// Each attempt has a headers timeout and a body idle timeout; transient failures are retried
// per retry.ts; every failure leaves here as a typed error from errors.ts.

import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool, type Dispatcher } from 'undici';
import type { Redactor } from '../secrets/redactor.js';
import { DifyApiError } from './errors.js';
import { createHttpError, createNetworkError } from './error-translation.js';
import {
  classifyNetworkError,
  isIdempotentMethod,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  type AttemptFailure,
  type HttpMethod,
  type RetryPolicy,
} from './retry.js';

export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface TransportRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with `/`, without query. */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** JSON body. POST/PUT/PATCH without one send `{}` (Dify wants a JSON body on every such call). */
  json?: unknown;
  /** Marks a POST/PATCH safe to repeat; GET/HEAD/PUT/DELETE are idempotent by method. */
  idempotent?: boolean;
  /** Overrides the client's timeout for this request (headers and body idle). */
  timeoutMs?: number;
  /** Non-2xx statuses returned as responses instead of thrown (e.g. 400/202 Import bodies). */
  okStatuses?: readonly number[];
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Attempts it took, retries included. */
  attempts: number;
  method: HttpMethod;
  endpoint: string;
}

export interface StreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. */
  cancel(): void;
  method: HttpMethod;
  endpoint: string;
  timeoutMs: number;
}

export interface TransportOptions {
  baseUrl: string;
  redactor: Redactor;
  timeoutMs: number;
  retry: RetryPolicy;
  concurrency: number;
  userAgent: string;
  keepAliveTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface Transport {
  readonly baseUrl: string;
  /** Sends a request and reads the whole body. Throws typed errors for non-2xx (minus okStatuses). */
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Sends a request and returns once headers arrive; the caller reads (or cancels) the body. */
  stream(req: TransportRequest): Promise<StreamResponse>;
  close(): Promise<void>;
  /** Errors thrown while reading a streamed body, translated (timeouts, resets). */
  translateStreamError(error: unknown, response: StreamResponse): unknown;
}

export function createTransport(options: TransportOptions): Transport {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, {
    connections: Math.max(1, options.concurrency),
    pipelining: 1,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
  });
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const { redactor } = options;

  async function send(req: TransportRequest, readBody: boolean): Promise<TransportResponse | StreamResponse> {
    const endpoint = basePath + req.path;
    const timeoutMs = req.timeoutMs ?? options.timeoutMs;
    const idempotent = req.idempotent ?? isIdempotentMethod(req.method);
    const dispatch = buildDispatch(req, basePath, timeoutMs, options.userAgent);
    for (let attempt = 1; ; attempt++) {
      let failure: AttemptFailure;
      let error: unknown;
      try {
        const res = await pool.request(dispatch);
        const ok = (res.statusCode >= 200 && res.statusCode < 300) || req.okStatuses?.includes(res.statusCode) === true;
        if (ok && !readBody) {
          return {
            status: res.statusCode,
            headers: res.headers,
            body: res.body,
            cancel: () => void res.body.destroy(),
            method: req.method,
            endpoint,
            timeoutMs,
          };
        }
        const text = await res.body.text();
        if (ok) return { status: res.statusCode, headers: res.headers, text, attempts: attempt, method: req.method, endpoint };
        const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now());
        failure = { kind: 'status', status: res.statusCode, retryAfterMs };
        error = createHttpError({ method: req.method, endpoint, status: res.statusCode, text, attempts: attempt, retryAfterMs }, redactor);
      } catch (thrown) {
        const classified = classifyNetworkError(errorCodeOf(thrown));
        if (classified === undefined || classified.kind === 'status') throw translateUnknown(thrown, req.method, endpoint, attempt);
        failure = classified;
        error = createNetworkError({ method: req.method, endpoint, failure: classified, attempts: attempt, timeoutMs, cause: thrown }, redactor);
      }
      if (attempt > options.retry.retries || !isRetryable(failure, idempotent) || req.signal?.aborted === true) throw error;
      await sleep(retryDelayMs(attempt, failure, options.retry, random));
    }
  }

  function translateUnknown(thrown: unknown, method: HttpMethod, endpoint: string, attempts: number): unknown {
    if (thrown instanceof DifyApiError) return thrown;
    const code = errorCodeOf(thrown);
    if (code === undefined || !code.startsWith('UND_ERR')) return thrown;
    // Aborted, destroyed pool, … : not transient, but still an answer-less request to Dify.
    return createNetworkError({ method, endpoint, failure: { kind: 'connection', errorCode: code }, attempts, timeoutMs: options.timeoutMs, cause: thrown }, redactor);
  }

  return {
    baseUrl: base.origin + basePath,
    request: (req) => send(req, true) as Promise<TransportResponse>,
    stream: (req) => send(req, false) as Promise<StreamResponse>,
    close: () => pool.close(),
    translateStreamError(error, response) {
      const failure = classifyNetworkError(errorCodeOf(error));
      if (failure === undefined || failure.kind === 'status') return translateUnknown(error, response.method, response.endpoint, 1);
      return createNetworkError({ method: response.method, endpoint: response.endpoint, failure, attempts: 1, timeoutMs: response.timeoutMs, cause: error }, redactor);
    },
  };
}

function buildDispatch(
  req: TransportRequest,
  basePath: string,
  timeoutMs: number,
  userAgent: string,
): Dispatcher.RequestOptions {
  const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.json !== undefined || req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
    body = JSON.stringify(req.json ?? {});
    headers['content-type'] = 'application/json';
  }
  const query = buildQuery(req.query);
  const options: Dispatcher.RequestOptions = {
    method: req.method,
    path: basePath + req.path + (query === '' ? '' : `?${query}`),
    headers,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  if (body !== undefined) options.body = body;
  if (req.signal !== undefined) options.signal = req.signal;
  return options;
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.append(key, String(value));
  }
  return params.toString();
}

/** The `code` of a Node or undici error, looking through `cause` and AggregateError members. */
function errorCodeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 4; depth++) {
    if (current !== null && typeof current === 'object') {
      const candidate = current as { code?: unknown; errors?: unknown; cause?: unknown };
      if (typeof candidate.code === 'string') return candidate.code;
      if (Array.isArray(candidate.errors) && candidate.errors.length > 0) {
        current = candidate.errors[0] as unknown;
        continue;
      }
      current = candidate.cause;
    } else {
      return undefined;
    }
  }
  return undefined;
}
