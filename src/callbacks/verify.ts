// The receiving end of a signed callback: is this request from someone holding the secret, is it
// fresh, and has it been seen before? Written for receivers (exported from the package), and used
// by our own tests' receiver. Checks run in this order, and the first failure is the answer:
// headers present and well-formed → signature (constant time) → timestamp window → replay guard.
// Only an authentic, fresh delivery is remembered by the guard, so forged traffic cannot fill it.

import { verify } from '@octokit/webhooks-methods';
import { assertSecret, SIGNATURE_HEADER, signedString, TIMESTAMP_HEADER } from './sign.js';
import type { ReplayGuard } from './replay-guard.js';

export type VerifyFailureReason =
  | 'missing-signature'
  | 'missing-timestamp'
  | 'malformed-signature'
  | 'malformed-timestamp'
  | 'bad-signature'
  | 'stale-timestamp'
  | 'replayed';

export type VerifyCallbackResult = { ok: true; timestamp: number } | { ok: false; reason: VerifyFailureReason };

/** Node's IncomingHttpHeaders, a Fetch Headers object, or a plain record in any letter case. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyCallbackInput {
  /** The raw request body exactly as received (before any JSON parsing). */
  body: string | Uint8Array;
  headers: HeadersLike;
  /** The shared secret; during a rotation, the new and the old secret (any may match). */
  secret: string | readonly string[];
  /** Clock in milliseconds, like Date.now (the default). */
  now?: () => number;
  /** How far the timestamp may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Refuses a delivery whose signature was already accepted. */
  replayGuard?: ReplayGuard;
}

const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;
const TIMESTAMP_FORMAT = /^[0-9]{1,11}$/;

export async function verifyCallback(input: VerifyCallbackInput): Promise<VerifyCallbackResult> {
  const secrets = typeof input.secret === 'string' ? [input.secret] : [...input.secret];
  if (secrets.length === 0) assertSecret('');
  secrets.forEach(assertSecret);
  const tolerance = input.toleranceSeconds ?? 300;

  const signature = headerValue(input.headers, SIGNATURE_HEADER);
  if (signature === undefined) return fail('missing-signature');
  if (signature === null || !SIGNATURE_FORMAT.test(signature)) return fail('malformed-signature');
  const timestampText = headerValue(input.headers, TIMESTAMP_HEADER);
  if (timestampText === undefined) return fail('missing-timestamp');
  if (timestampText === null || !TIMESTAMP_FORMAT.test(timestampText)) return fail('malformed-timestamp');
  const timestamp = Number(timestampText);

  const body = typeof input.body === 'string' ? input.body : Buffer.from(input.body).toString('utf8');
  const payload = signedString(body, timestamp);
  let authentic = false;
  // Every secret is tried (no early exit), so timing does not tell which one matched.
  for (const secret of secrets) if (await verify(secret, payload, signature)) authentic = true;
  if (!authentic) return fail('bad-signature');

  const now = Math.floor((input.now ?? Date.now)() / 1000);
  if (Math.abs(now - timestamp) > tolerance) return fail('stale-timestamp');
  if (input.replayGuard !== undefined && !input.replayGuard.firstSeen(signature, now, timestamp + tolerance)) {
    return fail('replayed');
  }
  return { ok: true, timestamp };
}

function fail(reason: VerifyFailureReason): VerifyCallbackResult {
  return { ok: false, reason };
}

/** The header's single value; undefined when absent, null when repeated (ambiguous, refused). */
function headerValue(headers: HeadersLike, name: string): string | undefined | null {
  if (typeof headers.get === 'function') {
    const value = (headers as { get(name: string): string | null }).get(name);
    // Fetch joins repeated headers with ", "; a signature or timestamp never contains one.
    return value === null ? undefined : value.includes(',') ? null : value.trim();
  }
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== lower || value === undefined) continue;
    values.push(...(typeof value === 'string' ? [value] : value));
  }
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0]!.trim() : null;
}
