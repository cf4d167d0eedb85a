// HS256 JSON Web Tokens with node:crypto, the way Dify's PassportService signs access and CSRF
// tokens. Verification distinguishes Dify's three failure messages (expired, bad signature, malformed).

import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtVerdict =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: 'expired' | 'bad-signature' | 'malformed' };

export function signJwt(payload: Record<string, unknown>, key: Buffer): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(payload));
  const signature = createHmac('sha256', key).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

/** `nowSeconds` comes from the simulator's clock so tests can expire tokens without waiting. */
export function verifyJwt(token: string, key: Buffer, nowSeconds: number): JwtVerdict {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, body, signature] = parts as [string, string, string];
  let payload: unknown;
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (head.alg !== 'HS256') return { ok: false, reason: 'malformed' };
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  const exp = (payload as { exp?: unknown }).exp;
  if (typeof exp === 'number' && exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload: payload as Record<string, unknown> };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
