// Signing of result callbacks (deploy reports, health results POSTed to a receiver's URL).
//
// The signed string is `${timestamp}.${body}`: the Unix time in whole seconds, a full stop, then
// the exact bytes of the request body as sent. The signature is HMAC-SHA256 of that string keyed
// with the shared secret, written as `sha256=<lower-case hex>` (GitHub's webhook format; the HMAC
// and its constant-time check are @octokit/webhooks-methods'). Putting the timestamp inside the
// MAC is what lets a receiver refuse old deliveries: it cannot be changed without the secret.

import { sign } from '@octokit/webhooks-methods';
import { UsageError } from '../errors.js';

export const SIGNATURE_HEADER = 'X-Dify-Gitops-Signature';
export const TIMESTAMP_HEADER = 'X-Dify-Gitops-Timestamp';

export interface CallbackSignatureHeaders {
  'X-Dify-Gitops-Signature': string;
  'X-Dify-Gitops-Timestamp': string;
}

/** Exactly what is MACed: `${timestamp}.${body}`. */
export function signedString(body: string, timestamp: number): string {
  return `${timestamp}.${body}`;
}

/** Headers for one delivery of `body` at `timestamp` (Unix seconds, an integer). */
export async function signPayload(body: string, secret: string, timestamp: number): Promise<CallbackSignatureHeaders> {
  assertSecret(secret);
  assertTimestamp(timestamp);
  return {
    [SIGNATURE_HEADER]: await sign(secret, signedString(body, timestamp)),
    [TIMESTAMP_HEADER]: String(timestamp),
  };
}

export function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret === '') throw new UsageError('the callback secret is empty');
}

function assertTimestamp(timestamp: number): void {
  // 1e11 seconds is the year 5138: anything larger is almost certainly Date.now() milliseconds.
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp >= 1e11) {
    throw new UsageError(`the callback timestamp must be whole Unix seconds (got ${timestamp})`);
  }
}
