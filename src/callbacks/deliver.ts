// Sending a signed callback: POST the JSON body with fresh signature headers, and retry what may
// succeed later — network failures, 429 and 5xx — with exponential backoff and full jitter (a
// Retry-After in seconds on those responses wins, capped). Every attempt is signed again with its
// own timestamp, so a retry is never "stale" and never looks like a replay. Any other status (a
// 4xx, a redirect) is the receiver's final answer. Never throws for a failed delivery: the result says
// what happened. Neither the secret nor the URL's path or query (webhook URLs often embed tokens)
// appears in the result.

import { request, type Dispatcher } from 'undici';
import { UsageError } from '../errors.js';
import { assertSecret, signPayload, type CallbackSignatureHeaders } from './sign.js';

export interface BackoffPolicy {
  /** Ceiling of the first wait; each retry doubles it. */
  baseMs: number;
  /** No wait exceeds this (nor does an honoured Retry-After). */
  maxMs: number;
}

export interface DeliverCallbackOptions {
  url: string;
  /** The JSON body: a string is sent as is, anything else is JSON.stringify-ed once. */
  body: unknown;
  secret: string;
  /** Extra attempts after the first. Default 3. */
  retries?: number;
  /** Default { baseMs: 500, maxMs: 30_000 }. */
  backoff?: BackoffPolicy;
  /** Per-attempt limit on waiting for response headers and body, in ms. Default 10,000. */
  timeoutMs?: number;
  /** undici dispatcher (Agent, Pool, ProxyAgent); default: undici's global one. */
  dispatcher?: Dispatcher;
  /** Clock in milliseconds (Date.now); signatures use it in whole seconds. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter source (Math.random). */
  random?: () => number;
}

export interface DeliveryResult {
  delivered: boolean;
  attempts: number;
  /** HTTP status of the last attempt; undefined when it got no response. */
  status: number | undefined;
  /** Why the last attempt failed, when it did: `HTTP 503` or a network error code such as `ECONNREFUSED`. */
  failure?: string;
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

export async function deliverCallback(options: DeliverCallbackOptions): Promise<DeliveryResult> {
  assertSecret(options.secret);
  const url = parseUrl(options.url);
  const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const retries = options.retries ?? 3;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 10_000;

  for (let attempt = 1; ; attempt++) {
    const signature = await signPayload(body, options.secret, Math.floor(now() / 1000));
    const last = await attemptOnce(url, body, signature, timeoutMs, options.dispatcher);
    if (last.status !== undefined && last.status >= 200 && last.status < 300) {
      return { delivered: true, attempts: attempt, status: last.status };
    }
    const retryable = last.status === undefined || last.status === 429 || last.status >= 500;
    if (!retryable || attempt > retries) return { delivered: false, attempts: attempt, status: last.status, failure: last.failure };
    await sleep(waitBefore(attempt, backoff, random, last.retryAfterSeconds));
  }
}

/** Full jitter: random(0, min(maxMs, baseMs × 2^(retry-1))); a Retry-After wins, capped at maxMs. */
export function waitBefore(retry: number, backoff: BackoffPolicy, random: () => number, retryAfterSeconds?: number): number {
  if (retryAfterSeconds !== undefined) return Math.min(backoff.maxMs, retryAfterSeconds * 1000);
  return Math.floor(random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** (retry - 1)));
}

interface Attempt {
  status: number | undefined;
  failure: string;
  retryAfterSeconds?: number;
}

async function attemptOnce(
  url: URL,
  body: string,
  signature: CallbackSignatureHeaders,
  timeoutMs: number,
  dispatcher: Dispatcher | undefined,
): Promise<Attempt> {
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'dify-gitops', ...signature },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(dispatcher === undefined ? {} : { dispatcher }),
    });
    // The body is not used, but it must be read (or dumped) so the connection can be reused.
    await response.body.dump();
    const retryAfter = headerText(response.headers['retry-after']);
    const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
    return { status: response.statusCode, failure: `HTTP ${response.statusCode}`, ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }) };
  } catch (error) {
    // The code only (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …): messages may quote the URL.
    const code = (error as { code?: unknown }).code;
    return { status: undefined, failure: typeof code === 'string' ? code : 'network error' };
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('the callback URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`the callback URL must be http or https (got ${url.protocol.replace(/:$/, '')})`);
  }
  return url;
}
