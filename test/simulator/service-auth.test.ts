// Checklist 24–25: app API keys (console) and Service API authentication / app gating.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { ConsoleClient, startLoggedIn } from '../support/simulator-console.js';
import { llmWorkflow, publishedApp, v1 } from '../support/sim-console.js';

async function editorClient(sim: Simulator): Promise<ConsoleClient> {
  sim.state.accounts.push({ id: randomUUID(), email: 'editor@example.com', name: 'Ed', password: 'Passw0rd!', role: 'editor', failedLogins: 0 });
  const client = new ConsoleClient(sim);
  expect((await client.login('editor@example.com', 'Passw0rd!')).status).toBe(200);
  return client;
}

describe('app API keys (1.14.1)', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  let appId: string;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn());
    ({ appId } = await publishedApp(client, llmWorkflow('{{#start.q#}}')));
  });
  afterAll(() => sim.close());

  it('creates app- + 24 alphanumerics with 201, lists full tokens, caps at 10 with the restx body', async () => {
    const created = await client.post(`/console/api/apps/${appId}/api-keys`);
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['created_at', 'id', 'last_used_at', 'token', 'type']);
    expect(created.body.token).toMatch(/^app-[A-Za-z0-9]{24}$/);
    expect(created.body).toMatchObject({ type: 'app', last_used_at: null });
    for (let i = 0; i < 8; i++) expect((await client.post(`/console/api/apps/${appId}/api-keys`)).status).toBe(201);
    const list = await client.get(`/console/api/apps/${appId}/api-keys`);
    expect(list.body.data).toHaveLength(10);
    expect(list.body.data.map((k: { token: string }) => k.token)).toContain(created.body.token);
    expect(new Set(list.body.data.map((k: { token: string }) => k.token)).size).toBe(10);
    const eleventh = await client.post(`/console/api/apps/${appId}/api-keys`);
    expect(eleventh.status).toBe(400);
    expect(eleventh.body).toEqual({ message: 'Cannot create more than 10 API keys for this resource type.', custom: 'max_keys_exceeded' });
  });

  it('deletes (admin/owner only) with 204 and the key stops working at once', async () => {
    const anyKey = (await client.get(`/console/api/apps/${appId}/api-keys`)).body.data[0];
    expect((await v1(sim, anyKey.token, 'GET', '/v1/info')).status).toBe(200);
    const editor = await editorClient(sim);
    const refused = await editor.request('DELETE', `/console/api/apps/${appId}/api-keys/${anyKey.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    const deleted = await client.request('DELETE', `/console/api/apps/${appId}/api-keys/${anyKey.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const after = await v1(sim, anyKey.token, 'GET', '/v1/info');
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ code: 'unauthorized', message: 'Access token is invalid', status: 401 });
  });

  it('answers restx 404 bodies for unknown keys and apps', async () => {
    const unknownKey = await client.request('DELETE', `/console/api/apps/${appId}/api-keys/${randomUUID()}`);
    expect(unknownKey.status).toBe(404);
    expect(unknownKey.body).toEqual({ message: 'API key not found' });
    for (const [method, path] of [['GET', 'api-keys'], ['POST', 'api-keys'], ['DELETE', `api-keys/${randomUUID()}`]] as const) {
      const res = await client.request(method, `/console/api/apps/${randomUUID()}/${path}`);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual({ message: 'App not found.' });
    }
  });
});

describe('API key limit body before 1.8.1', () => {
  it('uses `code` instead of `custom` (1.0.0 profile)', async () => {
    const { sim, client } = await startLoggedIn({ profile: '1.0.0' });
    try {
      const { appId } = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
      for (let i = 0; i < 9; i++) await client.post(`/console/api/apps/${appId}/api-keys`);
      const res = await client.post(`/console/api/apps/${appId}/api-keys`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: 'Cannot create more than 10 API keys for this resource type.', code: 'max_keys_exceeded' });
    } finally {
      await sim.close();
    }
  });
});

describe('Service API authentication and gating', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  let appId: string;
  let key: string;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn());
    ({ appId, key } = await publishedApp(client, llmWorkflow('{{#start.q#}}')));
  });
  afterAll(() => sim.close());

  it.each([
    [{}, "Authorization header must be provided and start with 'Bearer'"],
    [{ Authorization: 'Bearer' }, "Authorization header must be provided and start with 'Bearer'"],
    [{ Authorization: 'Basic abc' }, "Authorization scheme must be 'Bearer'"],
    [{ Authorization: 'Bearer app-doesnotexist000000000000' }, 'Access token is invalid'],
  ])('401 for %j', async (headers, message) => {
    const res = await v1(sim, null, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u' }, headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'unauthorized', message, status: 401 });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  });

  it('accepts a lower-case scheme and records last_used_at', async () => {
    const stored = sim.state.apiKeys.find((k) => k.token === key);
    expect(stored?.last_used_at).toBeNull();
    const res = await v1(sim, null, 'GET', '/v1/info', undefined, { Authorization: `bearer ${key}` });
    expect(res.status).toBe(200);
    expect(stored?.last_used_at).toBeTypeOf('number');
  });

  it('requires `user` on run endpoints', async () => {
    for (const user of [undefined, '']) {
      const res = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, ...(user === undefined ? {} : { user }) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 'invalid_param', message: 'Arg user must be provided.', status: 400 });
    }
  });

  it('403 when the API is disabled (via the console toggle) and when the app is gone', async () => {
    expect((await client.post(`/console/api/apps/${appId}/api-enable`, { enable_api: false })).status).toBe(200);
    const disabled = await v1(sim, key, 'GET', '/v1/info');
    expect(disabled.status).toBe(403);
    expect(disabled.body).toEqual({ code: 'forbidden', message: "The app's API service has been disabled.", status: 403 });
    await client.post(`/console/api/apps/${appId}/api-enable`, { enable_api: true });
    // Dify deletes keys in a background task: a key that outlives its app gives 403.
    sim.state.apiKeys.push({ id: randomUUID(), app_id: randomUUID(), token: 'app-orphanedkey0000000000000', last_used_at: null, created_at: 0 });
    const gone = await v1(sim, 'app-orphanedkey0000000000000', 'GET', '/v1/info');
    expect(gone.status).toBe(403);
    expect(gone.body).toEqual({ code: 'forbidden', message: 'The app no longer exists.', status: 403 });
  });

  it('deleting the app through the console revokes its keys', async () => {
    const other = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    expect((await client.request('DELETE', `/console/api/apps/${other.appId}`)).status).toBe(204);
    expect((await v1(sim, other.key, 'GET', '/v1/info')).status).toBe(401);
  });
});
