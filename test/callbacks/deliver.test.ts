// deliverCallback and verifyCallback end to end: a real node:http receiver on 127.0.0.1:0 checks
// every delivery with verifyCallback. Faults are made by the receiver (statuses, dropped sockets,
// no answer); time is a fake clock that sleep() advances, so nothing here waits for real backoff.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createReplayGuard, deliverCallback, type DeliverCallbackOptions, type DeliveryResult } from '../../src/callbacks/index.js';
import { startCallbackReceiver, type CallbackReceiver, type ReceiverScript } from '../support/callback-receiver.js';

const CANARY_SECRET = 'canary-secret-3c9d1e7a-do-not-print';
const payload = { event: 'deploy.finished', app: 'triage', environment: 'prod', result: 'healthy', revision: 'a1b2c3d' };

const receivers: CallbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A fake clock: sleeping advances it, and every sleep is recorded. */
function fakeTime(startMs = 1_760_000_000_000) {
  let t = startMs;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms + 1000; // at least a second per retry, so each attempt has its own timestamp
      return Promise.resolve();
    },
    sleeps,
  };
}

async function setup(script?: ReceiverScript, receiverOptions: { replay?: boolean; secret?: string } = {}) {
  const time = fakeTime();
  const receiver = await startCallbackReceiver({
    secret: receiverOptions.secret ?? CANARY_SECRET,
    now: time.now,
    ...(receiverOptions.replay === false ? {} : { replayGuard: createReplayGuard() }),
    ...(script === undefined ? {} : { script }),
  });
  receivers.push(receiver);
  const deliver = (overrides: Partial<DeliverCallbackOptions> = {}): Promise<DeliveryResult> =>
    deliverCallback({
      url: receiver.url,
      body: payload,
      secret: CANARY_SECRET,
      retries: 3,
      backoff: { baseMs: 100, maxMs: 10_000 },
      now: time.now,
      sleep: time.sleep,
      random: () => 0.5,
      ...overrides,
    });
  return { receiver, time, deliver };
}

describe('deliverCallback → verifyCallback over HTTP', () => {
  it('delivers a signed body that the receiver verifies', async () => {
    const { receiver, deliver, time } = await setup();
    expect(await deliver()).toEqual({ delivered: true, attempts: 1, status: 200 });
    expect(receiver.deliveries).toHaveLength(1);
    const [delivery] = receiver.deliveries;
    expect(delivery!.verdict).toEqual({ ok: true, timestamp: Math.floor(time.now() / 1000) });
    expect(JSON.parse(delivery!.body)).toEqual(payload);
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['x-dify-gitops-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(time.sleeps).toEqual([]);
  });

  it('sends a string body byte for byte', async () => {
    const { receiver, deliver } = await setup();
    const text = '{"b": 2,   "a": "ünïcode ✓"}';
    expect((await deliver({ body: text })).delivered).toBe(true);
    expect(receiver.deliveries[0]!.body).toBe(text);
  });

  it('a forged signature (wrong secret) is rejected with 401 and not retried', async () => {
    const { receiver, deliver } = await setup();
    expect(await deliver({ secret: 'forger-guess' })).toEqual({ delivered: false, attempts: 1, status: 401, failure: 'HTTP 401' });
    expect(receiver.deliveries.map((d) => d.verdict)).toEqual([{ ok: false, reason: 'bad-signature' }]);
  });

  it('a tampered body is rejected', async () => {
    const { receiver, deliver } = await setup();
    await deliver();
    const original = receiver.deliveries[0]!;
    const tampered = original.body.replace('"healthy"', '"unhealthy"');
    const response = await request(receiver.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-dify-gitops-signature': String(original.headers['x-dify-gitops-signature']),
        'x-dify-gitops-timestamp': String(original.headers['x-dify-gitops-timestamp']),
      },
      body: tampered,
    });
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('a stale timestamp is rejected', async () => {
    const { receiver, deliver, time } = await setup();
    const tenMinutesAgo = time.now() - 10 * 60 * 1000;
    expect(await deliver({ now: () => tenMinutesAgo })).toEqual({ delivered: false, attempts: 1, status: 401, failure: 'HTTP 401' });
    expect(receiver.deliveries[0]!.verdict).toEqual({ ok: false, reason: 'stale-timestamp' });
  });

  it('a replayed delivery (same headers and body, sent again) is rejected the second time', async () => {
    const { receiver, deliver } = await setup();
    expect((await deliver()).delivered).toBe(true);
    const original = receiver.deliveries[0]!;
    const replay = () =>
      request(receiver.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-dify-gitops-signature': String(original.headers['x-dify-gitops-signature']),
          'x-dify-gitops-timestamp': String(original.headers['x-dify-gitops-timestamp']),
        },
        body: original.body,
      });
    const response = await replay();
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toEqual({ ok: false, reason: 'replayed' });
    expect(receiver.deliveries.map((d) => d.status)).toEqual([200, 401]);
  });

  it('retries after 500s with growing backoff, signing each attempt afresh, then succeeds', async () => {
    const { receiver, deliver, time } = await setup((n) => (n <= 2 ? 500 : undefined));
    expect(await deliver()).toEqual({ delivered: true, attempts: 3, status: 200 });
    // random() = 0.5 of min(maxMs, baseMs × 2^(retry-1)): 50 then 100.
    expect(time.sleeps).toEqual([50, 100]);
    const timestamps = receiver.deliveries.map((d) => d.headers['x-dify-gitops-timestamp']);
    expect(new Set(timestamps).size).toBe(3);
    expect(receiver.deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    expect(receiver.deliveries[2]!.verdict).toEqual({ ok: true, timestamp: Number(timestamps[2]) });
  });

  it('gives up after the last retry and reports the last status', async () => {
    const { receiver, deliver, time } = await setup(() => 503);
    expect(await deliver({ retries: 3 })).toEqual({ delivered: false, attempts: 4, status: 503, failure: 'HTTP 503' });
    expect(receiver.deliveries).toHaveLength(4);
    expect(time.sleeps).toEqual([50, 100, 200]);
  });

  it('caps the backoff at maxMs', async () => {
    const { deliver, time } = await setup(() => 502);
    await deliver({ retries: 5, backoff: { baseMs: 1000, maxMs: 3000 }, random: () => 0.999 });
    expect(time.sleeps).toEqual([999, 1998, 2997, 2997, 2997]);
  });

  it('honours Retry-After on a 429', async () => {
    const { receiver, deliver, time } = await setup((n) => (n === 1 ? 429 : undefined));
    expect(await deliver()).toEqual({ delivered: true, attempts: 2, status: 200 });
    expect(time.sleeps).toEqual([2000]);
    expect(receiver.deliveries.map((d) => d.status)).toEqual([429, 200]);
  });

  it.each([400, 404, 410, 302])('stops at once on %i', async (status) => {
    const { receiver, deliver, time } = await setup(() => status);
    expect(await deliver()).toEqual({ delivered: false, attempts: 1, status, failure: `HTTP ${status}` });
    expect(receiver.deliveries).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('retries a dropped connection', async () => {
    const { receiver, deliver } = await setup((n) => (n === 1 ? 'drop' : undefined));
    expect(await deliver()).toEqual({ delivered: true, attempts: 2, status: 200 });
    expect(receiver.deliveries.map((d) => d.status)).toEqual(['dropped', 200]);
  });

  it('retries a receiver that does not answer in time, then gives up', async () => {
    const { receiver, deliver } = await setup(() => 'hang');
    const result = await deliver({ retries: 1, timeoutMs: 200 });
    expect(result).toEqual({ delivered: false, attempts: 2, status: undefined, failure: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(receiver.deliveries.map((d) => d.status)).toEqual(['hung', 'hung']);
  });

  it('reports a refused connection by its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const time = fakeTime();
    const result = await deliverCallback({ url: `http://127.0.0.1:${port}/`, body: payload, secret: CANARY_SECRET, retries: 2, now: time.now, sleep: time.sleep, random: () => 0 });
    expect(result).toEqual({ delivered: false, attempts: 3, status: undefined, failure: 'ECONNREFUSED' });
    expect(time.sleeps).toEqual([0, 0]);
  });
});

describe('the secret never leaks', () => {
  it('appears in no result, no request and no error message', async () => {
    const { receiver, deliver } = await setup((n) => (n === 2 ? 500 : n === 3 ? 'drop' : undefined));
    const token = 'url-token-canary-91ab';
    const results = [
      await deliver(),
      await deliver({ retries: 2 }),
      await deliver({ url: `${receiver.url}?token=${token}`, secret: 'wrong' }),
      await deliver({ url: `http://127.0.0.1:1/${token}`, retries: 0 }),
    ];
    const errors = await Promise.all([
      deliver({ url: `not a url ${CANARY_SECRET}` }).catch((e: unknown) => e),
      deliver({ url: `ftp://example.com/${token}` }).catch((e: unknown) => e),
      deliver({ secret: '' }).catch((e: unknown) => e),
    ]);
    const everything = JSON.stringify({ results, requests: receiver.deliveries, errors: errors.map((e) => [String(e), (e as Error).stack]) });
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'the callback URL is not a valid absolute URL',
      'the callback URL must be http or https (got ftp)',
      'the callback secret is empty',
    ]);
    expect(results.map((r) => r.delivered)).toEqual([true, true, false, false]);
    expect(everything).not.toContain(CANARY_SECRET);
    expect(JSON.stringify({ results, errors: errors.map(String) })).not.toContain(token);
  });
});
