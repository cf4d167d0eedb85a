import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { OWNER, startLoggedIn } from '../support/simulator-console.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- control-route bodies are asserted by the tests
async function getJson(url: string, init?: RequestInit): Promise<any> {
  return (await fetch(url, init)).json();
}

async function addFault(sim: Simulator, fault: unknown): Promise<Response> {
  return fetch(`${sim.url}/_simulator/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fault) });
}

describe('fault injection and request counters', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ ...OWNER });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await fetch(`${sim.url}/_simulator/faults`, { method: 'DELETE' });
  });

  it('answers the next matching request with the injected status and body, once by default', async () => {
    const res = await addFault(sim, { method: 'GET', path: '^/v1/$', status: 503, body: { code: 'overloaded', message: 'try later', status: 503 }, headers: { 'Retry-After': '1' } });
    expect(res.status).toBe(201);
    const faulted = await fetch(`${sim.url}/v1/`);
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('retry-after')).toBe('1');
    expect(await faulted.json()).toEqual({ code: 'overloaded', message: 'try later', status: 503 });
    expect((await fetch(`${sim.url}/v1/`)).status).toBe(200);
  });

  it('applies a fault `times` times, only to the matching method, and sends text bodies as text', async () => {
    await addFault(sim, { method: 'GET', path: '^/v1/', status: 502, body: '<html>bad gateway</html>', times: 2 });
    expect((await fetch(`${sim.url}/v1/`, { method: 'POST' })).status).toBe(405);
    const a = await fetch(`${sim.url}/v1/`);
    expect(await a.text()).toBe('<html>bad gateway</html>');
    expect((await fetch(`${sim.url}/v1/`)).status).toBe(502);
    expect((await fetch(`${sim.url}/v1/`)).status).toBe(200);
  });

  it('delays a request by delayMs and then answers normally', async () => {
    await addFault(sim, { path: '^/v1/$', delayMs: 150 });
    const started = performance.now();
    const res = await fetch(`${sim.url}/v1/`);
    expect(res.status).toBe(200);
    // Not a timing assertion on the machine's speed: the delay is a lower bound.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection without a response', async () => {
    await addFault(sim, { path: '^/v1/$', dropConnection: true });
    await expect(fetch(`${sim.url}/v1/`)).rejects.toThrow();
    expect((await fetch(`${sim.url}/v1/`)).status).toBe(200);
  });

  it('refuses malformed faults with 400 invalid_param and lists and clears faults', async () => {
    expect(((await (await addFault(sim, { path: '(' })).json()) as { code: string }).code).toBe('invalid_param');
    expect((await addFault(sim, { path: 'x' })).status).toBe(400);
    expect((await addFault(sim, { path: 'x', status: 500, times: 0 })).status).toBe(400);
    await addFault(sim, { path: 'x', status: 500, times: 3 });
    const list = await getJson(`${sim.url}/_simulator/faults`);
    expect(list.faults).toHaveLength(1);
    expect(list.faults[0].remaining).toBe(3);
    expect(await getJson(`${sim.url}/_simulator/faults`, { method: 'DELETE' })).toEqual({ removed: 1 });
  });

  it('counts requests by route pattern, not by concrete path, and leaves /_simulator out', async () => {
    await fetch(`${sim.url}/_simulator/requests`, { method: 'DELETE' });
    await fetch(`${sim.url}/v1/`);
    await fetch(`${sim.url}/console/api/apps/11111111-1111-4111-8111-111111111111`);
    await fetch(`${sim.url}/console/api/apps/22222222-2222-4222-8222-222222222222`);
    await fetch(`${sim.url}/nowhere`);
    const stats = await getJson(`${sim.url}/_simulator/requests`);
    expect(stats.total).toBe(4);
    expect(stats.byRoute).toEqual({ 'GET /v1/': 1, 'GET /console/api/apps/:appId<uuid>': 2, 'GET /nowhere': 1 });
    expect(stats.byStatus).toEqual({ '200': 1, '401': 2, '404': 1 });
    expect(sim.stats()).toEqual(stats);
    const withList = await getJson(`${sim.url}/_simulator/requests?list=true`);
    expect(withList.requests[1]).toMatchObject({ method: 'GET', route: 'GET /console/api/apps/:appId<uuid>', status: 401 });
  });

  it('redacts credentials in recorded headers', async () => {
    await fetch(`${sim.url}/console/api/apps`, { headers: { Authorization: 'Bearer header-canary', Cookie: 'access_token=cookie-canary' } });
    const last = sim.requests.at(-1)!;
    expect(last.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(sim.requests)).not.toMatch(/canary/);
  });

  it('adds the global latency to every non-control request', async () => {
    const slow = await startSimulator({ ...OWNER, latencyMs: 120 });
    try {
      const started = performance.now();
      await fetch(`${slow.url}/v1/`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
      const controlStarted = performance.now();
      await fetch(`${slow.url}/_simulator/requests`);
      expect(performance.now() - controlStarted).toBeLessThan(110);
    } finally {
      await slow.close();
    }
  });

  it('handles a request when it arrives and answers it after the latency, like a network would', async () => {
    const { sim: slow, client } = await startLoggedIn({ latencyMs: 400 });
    try {
      const started = performance.now();
      const creating = client.post('/console/api/apps', { name: 'made on arrival', mode: 'completion' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The app exists while its answer is still on the way.
      expect(slow.state.apps.map((a) => a.name)).toContain('made on arrival');
      const res = await creating;
      expect(res.status).toBe(201);
      expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    } finally {
      await slow.close();
    }
  });

  it('sends whole bodies with Content-Length, as Dify does, not chunked', async () => {
    const res = await fetch(`${sim.url}/v1/`);
    const text = await res.text();
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    const missing = await fetch(`${sim.url}/console/api/apps/not-a-uuid`);
    expect(Number(missing.headers.get('content-length'))).toBe(Buffer.byteLength(await missing.text()));
  });
});
