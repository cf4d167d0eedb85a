// signPayload / verifyCallback / createReplayGuard as plain functions: the exact signed string,
// every refusal reason, key rotation, header shapes, and the guard's bounds.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createReplayGuard,
  signedString,
  signPayload,
  verifyCallback,
  type VerifyCallbackInput,
} from '../../src/callbacks/index.js';
import { DifyGitopsError } from '../../src/errors.js';

const SECRET = 'whsec-test-7b1f9c2e';
const T = 1_760_000_000; // Unix seconds
const at = (seconds: number) => () => seconds * 1000;
const body = '{"event":"deploy.finished","app":"triage","result":"healthy"}';

async function signed(overrides: Partial<VerifyCallbackInput> = {}, signAt = T): Promise<VerifyCallbackInput> {
  return { body, headers: { ...(await signPayload(body, SECRET, signAt)) }, secret: SECRET, now: at(T), ...overrides };
}

describe('signPayload', () => {
  it('is HMAC-SHA256 over `${timestamp}.${body}`, as sha256=<hex>', async () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${body}`).digest('hex');
    expect(signedString(body, T)).toBe(`${T}.${body}`);
    expect(await signPayload(body, SECRET, T)).toEqual({
      'X-Dify-Gitops-Signature': `sha256=${expected}`,
      'X-Dify-Gitops-Timestamp': String(T),
    });
  });

  it('matches the test vector in docs/callbacks.md', async () => {
    expect(await signPayload('{"hello":"world"}', "It's a Secret to Everybody", 1700000000)).toEqual({
      'X-Dify-Gitops-Signature': 'sha256=08c0aaa4721d7e090415dc782eb1818362b0e857612ef36e6dcf8c773571b03b',
      'X-Dify-Gitops-Timestamp': '1700000000',
    });
  });

  it('refuses milliseconds, fractions and an empty secret, without echoing the secret', async () => {
    await expect(signPayload(body, SECRET, Date.now())).rejects.toThrow(/whole Unix seconds/);
    await expect(signPayload(body, SECRET, 1.5)).rejects.toThrow(/whole Unix seconds/);
    await expect(signPayload(body, '', T)).rejects.toThrow('the callback secret is empty');
    const error = await signPayload(body, SECRET, -1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyGitopsError);
    expect(String((error as Error).message)).not.toContain(SECRET);
  });
});

describe('verifyCallback', () => {
  it('accepts an authentic, fresh delivery and returns its timestamp', async () => {
    expect(await verifyCallback(await signed())).toEqual({ ok: true, timestamp: T });
  });

  it.each([
    ['missing-signature', (i: VerifyCallbackInput) => ({ ...i, headers: { 'X-Dify-Gitops-Timestamp': String(T) } })],
    ['missing-timestamp', (i: VerifyCallbackInput) => ({ ...i, headers: { 'X-Dify-Gitops-Signature': (i.headers as Record<string, string>)['X-Dify-Gitops-Signature'] } })],
    ['malformed-signature', (i: VerifyCallbackInput) => ({ ...i, headers: { ...i.headers, 'X-Dify-Gitops-Signature': 'sha1=abc' } })],
    ['malformed-timestamp', (i: VerifyCallbackInput) => ({ ...i, headers: { ...i.headers, 'X-Dify-Gitops-Timestamp': '17e8' } })],
    ['bad-signature', (i: VerifyCallbackInput) => ({ ...i, secret: 'another-secret' })],
    ['bad-signature', (i: VerifyCallbackInput) => ({ ...i, body: body.replace('healthy', 'unhealthy') })],
    // The timestamp is inside the MAC: moving it forward to look fresh breaks the signature.
    ['bad-signature', (i: VerifyCallbackInput) => ({ ...i, headers: { ...i.headers, 'X-Dify-Gitops-Timestamp': String(T + 1) } })],
  ] as const)('refuses with %s', async (reason, change) => {
    expect(await verifyCallback(change(await signed()))).toEqual({ ok: false, reason });
  });

  it('refuses timestamps outside the window either way, and accepts the edges', async () => {
    expect(await verifyCallback(await signed({}, T - 301))).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(await verifyCallback(await signed({}, T + 301))).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(await verifyCallback(await signed({}, T - 300))).toEqual({ ok: true, timestamp: T - 300 });
    expect(await verifyCallback(await signed({}, T + 300))).toEqual({ ok: true, timestamp: T + 300 });
    expect(await verifyCallback(await signed({ toleranceSeconds: 30 }, T - 31))).toEqual({ ok: false, reason: 'stale-timestamp' });
  });

  it('with a replay guard, accepts a delivery once and refuses the same one again', async () => {
    const replayGuard = createReplayGuard();
    const input = await signed({ replayGuard });
    expect(await verifyCallback(input)).toEqual({ ok: true, timestamp: T });
    expect(await verifyCallback(input)).toEqual({ ok: false, reason: 'replayed' });
    // A new delivery of the same body (a retry, signed again a second later) is not a replay.
    expect(await verifyCallback(await signed({ replayGuard, now: at(T + 1) }, T + 1))).toEqual({ ok: true, timestamp: T + 1 });
  });

  it('without a guard, a replay inside the window is accepted (that is what the guard is for)', async () => {
    const input = await signed();
    expect((await verifyCallback(input)).ok).toBe(true);
    expect((await verifyCallback(input)).ok).toBe(true);
  });

  it('forged deliveries are never remembered by the guard', async () => {
    const replayGuard = createReplayGuard();
    for (let i = 0; i < 5; i++) await verifyCallback(await signed({ replayGuard, secret: `wrong-${i}` }));
    expect(replayGuard.size).toBe(0);
  });

  it('accepts any of several secrets during a rotation', async () => {
    const input = await signed();
    expect(await verifyCallback({ ...input, secret: ['new-secret-after-rotation', SECRET] })).toEqual({ ok: true, timestamp: T });
    expect(await verifyCallback({ ...input, secret: ['new-secret-after-rotation', 'older'] })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('reads Node lower-case headers, Fetch Headers and a Uint8Array body', async () => {
    const headers = await signPayload(body, SECRET, T);
    const lower = { 'x-dify-gitops-signature': headers['X-Dify-Gitops-Signature'], 'x-dify-gitops-timestamp': headers['X-Dify-Gitops-Timestamp'] };
    expect(await verifyCallback({ body: new TextEncoder().encode(body), headers: lower, secret: SECRET, now: at(T) })).toEqual({ ok: true, timestamp: T });
    expect(await verifyCallback({ body, headers: new Headers(headers as unknown as Record<string, string>), secret: SECRET, now: at(T) })).toEqual({ ok: true, timestamp: T });
  });

  it('refuses repeated signature headers as malformed', async () => {
    const headers = await signPayload(body, SECRET, T);
    const twice = { 'x-dify-gitops-signature': [headers['X-Dify-Gitops-Signature'], 'sha256=' + '0'.repeat(64)], 'x-dify-gitops-timestamp': String(T) };
    expect(await verifyCallback({ body, headers: twice, secret: SECRET, now: at(T) })).toEqual({ ok: false, reason: 'malformed-signature' });
    const fetchHeaders = new Headers();
    fetchHeaders.append('X-Dify-Gitops-Signature', headers['X-Dify-Gitops-Signature']);
    fetchHeaders.append('X-Dify-Gitops-Signature', headers['X-Dify-Gitops-Signature']);
    fetchHeaders.set('X-Dify-Gitops-Timestamp', String(T));
    expect(await verifyCallback({ body, headers: fetchHeaders, secret: SECRET, now: at(T) })).toEqual({ ok: false, reason: 'malformed-signature' });
  });

  it('an empty secret list is a usage error', async () => {
    await expect(verifyCallback({ ...(await signed()), secret: [] })).rejects.toThrow('the callback secret is empty');
  });
});

describe('createReplayGuard', () => {
  it('forgets a key after its keep-until time or the ttl, whichever is later', () => {
    const guard = createReplayGuard({ ttlSeconds: 10 });
    expect(guard.firstSeen('a', 100, 400)).toBe(true);
    expect(guard.firstSeen('a', 399)).toBe(false);
    expect(guard.firstSeen('a', 400)).toBe(true);
    expect(guard.firstSeen('b', 100, 50)).toBe(true);
    expect(guard.firstSeen('b', 109)).toBe(false);
    expect(guard.firstSeen('b', 110)).toBe(true);
  });

  it('stays bounded: expired entries go first, then the oldest', () => {
    const guard = createReplayGuard({ ttlSeconds: 100, maxEntries: 3 });
    guard.firstSeen('old', 0);
    guard.firstSeen('x', 50);
    guard.firstSeen('y', 60);
    expect(guard.firstSeen('z', 101)).toBe(true); // 'old' expired at 100 and is swept
    expect(guard.size).toBe(3);
    expect(guard.firstSeen('y', 102)).toBe(false);
    expect(guard.firstSeen('w', 103)).toBe(true); // full of live entries: the oldest ('x') is dropped
    expect(guard.size).toBe(3);
    expect(guard.firstSeen('x', 104)).toBe(true);
    expect(guard.firstSeen('z', 104)).toBe(false);
  });

  it('rejects nonsense bounds', () => {
    expect(() => createReplayGuard({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createReplayGuard({ ttlSeconds: 0 })).toThrow(/ttlSeconds/);
  });
});
