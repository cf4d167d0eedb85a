// The transport over real sockets: retries, Retry-After, drops, timeouts, idempotency and the
// concurrency cap, against node:http servers scripted per test.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DifyApiError, DifyRateLimitedError, DifyUnavailableError } from '../../src/dify/errors.js';
import { DEFAULT_RETRY_POLICY } from '../../src/dify/retry.js';
import { createTransport, type Transport, type TransportOptions } from '../../src/dify/transport.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { closedPortUrl, sendJson, startScriptedServer, type Handler, type ScriptedServer } from '../support/scripted-http-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  server: ScriptedServer;
  transport: Transport;
  delays: number[];
}

async function harness(handler: Handler, options: Partial<TransportOptions> = {}): Promise<Harness> {
  const server = await startScriptedServer(handler);
  const delays: number[] = [];
  const transport = createTransport({
    baseUrl: server.url,
    redactor: new Redactor(),
    timeoutMs: 5_000,
    retry: { ...DEFAULT_RETRY_POLICY, retries: 3 },
    concurrency: 4,
    userAgent: 'dify-gitops-test',
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    now: () => Date.parse('2026-05-12T10:00:00Z'),
    ...options,
  });
  cleanups.push(() => server.close(), () => transport.close());
  return { server, transport, delays };
}

const drop = (res: ServerResponse): void => void res.socket?.destroy();

describe('transport retries', () => {
  it('retries a GET through two 500s and returns the success', async () => {
    const { server, transport, delays } = await harness((_req, res, index) => {
      if (index < 2) sendJson(res, 500, { message: 'Internal Server Error', code: 'unknown', status: 500 });
      else sendJson(res, 200, { ok: true });
    });
    const res = await transport.request({ method: 'GET', path: '/console/api/apps' });
    expect(res).toMatchObject({ status: 200, attempts: 3 });
    expect(JSON.parse(res.text)).toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
    // Full jitter with random()=0.5: half of 200 ms, then half of 400 ms.
    expect(delays).toEqual([100, 200]);
  });

  it('gives up after the configured retries with the attempt count in the error', async () => {
    const { server, transport } = await harness((_req, res) => sendJson(res, 503, { message: 'down', code: 'unknown', status: 503 }));
    const error = await transport.request({ method: 'GET', path: '/console/api/apps' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyUnavailableError);
    expect(error).toMatchObject({ status: 503, attempts: 4, reason: 'server-error' });
    expect((error as Error).message).toBe('GET /console/api/apps → 503 unknown: down (4 attempts)');
    expect(server.requests).toHaveLength(4);
  });

  it('honours Retry-After in seconds and as an HTTP-date', async () => {
    const { transport, delays } = await harness((_req, res, index) => {
      if (index === 0) sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '2' });
      else if (index === 1) sendJson(res, 429, { message: 'slow down' }, { 'retry-after': 'Tue, 12 May 2026 10:00:07 GMT' });
      else sendJson(res, 200, {});
    });
    await transport.request({ method: 'GET', path: '/x' });
    expect(delays).toEqual([2_000, 7_000]);
  });

  it('caps a long Retry-After and reports the rate limit when retries run out', async () => {
    const { transport, delays } = await harness((_req, res) => sendJson(res, 429, { message: 'later' }, { 'retry-after': '86400' }), {
      retry: { ...DEFAULT_RETRY_POLICY, retries: 1, maxRetryAfterMs: 9_000 },
    });
    const error = await transport.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(delays).toEqual([9_000]);
    expect(error).toBeInstanceOf(DifyRateLimitedError);
    expect(error).toMatchObject({ code: 'too_many_requests', retryAfterMs: 86_400_000, attempts: 2 });
  });

  it('retries a GET whose connection is dropped', async () => {
    const { server, transport } = await harness((_req, res, index) => (index === 0 ? drop(res) : sendJson(res, 200, { ok: 1 })));
    const res = await transport.request({ method: 'GET', path: '/x' });
    expect(res.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a dropped body read (headers sent, then the socket dies)', async () => {
    const { transport } = await harness((_req, res, index) => {
      if (index === 0) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => drop(res), 20);
      } else sendJson(res, 200, { whole: true });
    });
    const res = await transport.request({ method: 'GET', path: '/x' });
    expect(JSON.parse(res.text)).toEqual({ whole: true });
  });

  it('never retries a non-idempotent POST after a 500', async () => {
    const { server, transport } = await harness((_req, res) => sendJson(res, 500, { message: 'Internal Server Error', code: 'unknown', status: 500 }));
    const error = await transport.request({ method: 'POST', path: '/console/api/apps/imports', json: { mode: 'yaml-content' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyUnavailableError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('never retries a non-idempotent POST after a dropped connection', async () => {
    const { server, transport, delays } = await harness((_req, res) => drop(res));
    const error = await transport.request({ method: 'POST', path: '/console/api/apps/x/workflows/publish' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyUnavailableError);
    expect(error).toMatchObject({ reason: 'connection', code: 'connection_failed', attempts: 1 });
    expect((error as Error).message).toMatch(/^POST \/console\/api\/apps\/x\/workflows\/publish → connection_failed: /);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('retries a POST that the code marked idempotent', async () => {
    const { server, transport } = await harness((_req, res, index) => (index === 0 ? drop(res) : sendJson(res, 200, { result: 'success' })));
    const res = await transport.request({ method: 'POST', path: '/x', json: {}, idempotent: true });
    expect(res.attempts).toBe(2);
    expect(server.requests.map((r) => r.body)).toEqual(['{}', '{}']);
  });

  it('retries even a non-idempotent POST when the connection was refused (nothing was sent)', async () => {
    const delays: number[] = [];
    const transport = createTransport({
      baseUrl: await closedPortUrl(),
      redactor: new Redactor(),
      timeoutMs: 2_000,
      retry: { ...DEFAULT_RETRY_POLICY, retries: 2 },
      concurrency: 1,
      userAgent: 't',
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    cleanups.push(() => transport.close());
    const error = await transport.request({ method: 'POST', path: '/console/api/apps' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyUnavailableError);
    expect(error).toMatchObject({ attempts: 3, reason: 'connection' });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(delays).toHaveLength(2);
  });

  it('does not retry 4xx answers and translates them', async () => {
    const { server, transport } = await harness((_req, res) =>
      sendJson(res, 400, { code: 'invalid_param', message: 'Invalid import_mode: x', status: 400 }),
    );
    const error = await transport.request({ method: 'GET', path: '/console/api/apps/imports', query: { secret: 'in-query' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyApiError);
    expect((error as Error).message).toBe('GET /console/api/apps/imports → 400 invalid_param: Invalid import_mode: x');
    expect(server.requests).toHaveLength(1);
  });

  it('returns statuses listed in okStatuses instead of throwing', async () => {
    const { transport } = await harness((_req, res) => sendJson(res, 400, { id: 'i', status: 'failed', error: 'bad' }));
    const res = await transport.request({ method: 'POST', path: '/x', okStatuses: [400] });
    expect(res.status).toBe(400);
  });
});

describe('transport timeouts', () => {
  it('fails a response slower than the timeout with a clear error', async () => {
    const { transport } = await harness((_req, res) => {
      setTimeout(() => sendJson(res, 200, {}), 1_500);
    }, { timeoutMs: 150, retry: { ...DEFAULT_RETRY_POLICY, retries: 0 } });
    const error = await transport.request({ method: 'GET', path: '/console/api/apps' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout', code: 'timeout' });
    expect((error as Error).message).toBe('GET /console/api/apps → timeout: no response headers within the 150 ms timeout');
  });

  it('fails a body that stalls longer than the timeout', async () => {
    const { transport } = await harness((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 1_500);
    }, { timeoutMs: 150, retry: { ...DEFAULT_RETRY_POLICY, retries: 0 } });
    const error = await transport.request({ method: 'GET', path: '/slow-body' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyUnavailableError);
    expect((error as Error).message).toBe('GET /slow-body → timeout: response body stalled for longer than the 150 ms timeout');
  });

  it('retries an idempotent request after a timeout and succeeds', async () => {
    const { server, transport } = await harness((_req, res, index) => {
      if (index === 0) setTimeout(() => sendJson(res, 200, { late: true }), 1_500);
      else sendJson(res, 200, { late: false });
    }, { timeoutMs: 150 });
    const res = await transport.request({ method: 'GET', path: '/x' });
    expect(JSON.parse(res.text)).toEqual({ late: false });
    expect(server.requests).toHaveLength(2);
  });

  it('a per-request timeout overrides the client default', async () => {
    const { transport } = await harness((_req, res) => {
      setTimeout(() => sendJson(res, 200, { ok: true }), 300);
    }, { timeoutMs: 100, retry: { ...DEFAULT_RETRY_POLICY, retries: 0 } });
    const res = await transport.request({ method: 'GET', path: '/x', timeoutMs: 5_000 });
    expect(res.status).toBe(200);
  });
});

describe('transport concurrency and requests', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    // Hold every request until no new one has arrived for 200 ms, then release the whole batch:
    // each batch is as large as the client lets it be.
    const held: ServerResponse[] = [];
    const batches: number[] = [];
    let timer: NodeJS.Timeout | undefined;
    const { server, transport } = await harness((_req, res) => {
      held.push(res);
      clearTimeout(timer);
      timer = setTimeout(() => {
        batches.push(held.length);
        for (const r of held.splice(0)) sendJson(r, 200, {});
      }, 200);
    }, { concurrency: 3 });
    await Promise.all(Array.from({ length: 9 }, (_, i) => transport.request({ method: 'GET', path: `/r/${i}` })));
    expect(server.requests).toHaveLength(9);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(Math.max(...batches)).toBe(3);
  });

  it('sends JSON, the user agent, query strings and keeps a base-URL path prefix', async () => {
    const { server } = await harness((_req, res) => sendJson(res, 200, {}));
    const transport = createTransport({
      baseUrl: `${server.url}/dify/`,
      redactor: new Redactor(),
      timeoutMs: 2_000,
      retry: DEFAULT_RETRY_POLICY,
      concurrency: 1,
      userAgent: 'ua-test',
    });
    cleanups.push(() => transport.close());
    await transport.request({ method: 'GET', path: '/console/api/apps', query: { page: 2, name: 'a b', skip: undefined, 'tag_ids[0]': 'x', many: ['1', '2'] } });
    await transport.request({ method: 'POST', path: '/console/api/apps', json: { name: 'n' } });
    await transport.request({ method: 'POST', path: '/console/api/apps/1/api-keys' });
    await transport.request({ method: 'DELETE', path: '/console/api/apps/1' });
    const [get, post, emptyPost, del] = server.requests;
    expect(get).toMatchObject({ method: 'GET', url: '/dify/console/api/apps?page=2&name=a+b&tag_ids%5B0%5D=x&many=1&many=2', body: '' });
    expect(get!.headers['user-agent']).toBe('ua-test');
    expect(post).toMatchObject({ body: '{"name":"n"}' });
    expect(post!.headers['content-type']).toBe('application/json');
    expect(emptyPost).toMatchObject({ body: '{}' });
    expect(del).toMatchObject({ method: 'DELETE', body: '' });
    expect(transport.baseUrl).toBe(`${server.url}/dify`);
  });
});
