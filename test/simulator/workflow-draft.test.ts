import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_NAMES, type ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn } from '../support/simulator-console.js';

// Hashes computed with CPython: sha256(json.dumps(obj, sort_keys=True) + "None").
const HASH_GRAPH_ONLY = '27f5dd8b97a0933012c8e79d95d121949ca5f7c72ebd7f56d7d37767307d995e'; // {"graph": {"edges": [], "nodes": []}}
const HASH_WITH_FEATURES = '057293685ea5cf80d7a6f5538a7400dec36f8536d0c2c71cee01aa6337855de8'; // + "features": {"opening_statement": "hi"}

const EMPTY_GRAPH = { nodes: [], edges: [] };
const SECRET = { id: 's-1', name: 'TOKEN', value: 'draft-canary-secret', value_type: 'secret', description: '' };

describe.each(PROFILE_NAMES.map((p) => [p]))('draft workflow on profile %s', (profile: ProfileName) => {
  let sim: Simulator;
  let client: ConsoleClient;
  let clock = Date.parse('2026-06-01T12:00:00Z');
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ profile, now: () => clock }));
  });
  afterAll(async () => {
    await sim.close();
  });

  async function newApp(mode = 'workflow'): Promise<string> {
    return (await client.post('/console/api/apps', { name: 'draft', mode })).body.id as string;
  }

  it('creates the draft on first sync whatever the hash, with Dify\'s hash of this era (checklist 18, 19)', async () => {
    const appId = await newApp();
    const app = sim.state.apps.find((a) => a.id === appId)!;
    const appUpdatedAt = app.updated_at;
    clock += 10_000;
    const res = await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: EMPTY_GRAPH, features: { opening_statement: 'hi' }, hash: 'whatever' });
    expect(res.status).toBe(200);
    const expected = sim.profile.draftHashIncludesFeatures ? HASH_WITH_FEATURES : HASH_GRAPH_ONLY;
    expect(res.body).toEqual({ result: 'success', hash: expected, updated_at: Math.floor(clock / 1000) });
    const draft = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    expect(draft.body).toMatchObject({ hash: expected, version: 'draft', graph: EMPTY_GRAPH, features: { opening_statement: 'hi' } });
    expect(draft.body.created_by).toMatchObject({ email: 'owner@example.com' });
    expect(app.updated_at).toBe(appUpdatedAt);
  });

  it('refuses a stale, missing or null hash with 409 draft_workflow_not_sync (checklist 19)', async () => {
    const appId = await newApp();
    const first = await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: EMPTY_GRAPH, features: {} });
    const conflict = { code: 'draft_workflow_not_sync', message: 'Workflow graph might have been modified, please refresh and resubmit.', status: 409 };
    for (const hash of ['stale', null, undefined]) {
      const res = await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: { nodes: [], edges: [], viewport: { x: 1, y: 1, zoom: 1 } }, features: {}, hash });
      expect(res.status).toBe(409);
      expect(res.body).toEqual(conflict);
    }
    const ok = await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: { nodes: [], edges: [], viewport: { x: 1, y: 1, zoom: 1 } }, features: {}, hash: first.body.hash });
    expect(ok.status).toBe(200);
    expect(ok.body.hash).not.toBe(first.body.hash);
  });

  it('requires graph and features, and reads text/plain bodies (checklist 19)', async () => {
    const appId = await newApp();
    const missing = await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: EMPTY_GRAPH });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('invalid_param');
    const text = await client.request('POST', `/console/api/apps/${appId}/workflows/draft`, { body: JSON.stringify({ graph: EMPTY_GRAPH, features: {} }), contentType: 'text/plain' });
    expect(text.status).toBe(200);
    const bad = await client.request('POST', `/console/api/apps/${appId}/workflows/draft`, { body: '{nope', contentType: 'text/plain' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ message: 'Invalid JSON data' });
    const badJson = await client.request('POST', `/console/api/apps/${appId}/workflows/draft`, { body: '[1]', contentType: 'application/json' });
    expect(badJson.body).toEqual({ message: 'Invalid JSON data' });
    const form = await client.request('POST', `/console/api/apps/${appId}/workflows/draft`, { body: 'a=b', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });

  it('masks secrets in draft GET per era and shows numbers as `number` (checklist 18)', async () => {
    const appId = await newApp();
    const env = [SECRET, { id: 'n-1', name: 'N', value: 2, value_type: 'number', description: '' }];
    await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: EMPTY_GRAPH, features: {}, environment_variables: env });
    const draft = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    const mask = sim.profile.secretMask === 'asterisks' ? '*'.repeat(20) : `draft-${'*'.repeat(12)}et`;
    expect(draft.body.environment_variables).toEqual([
      { id: 's-1', name: 'TOKEN', value: mask, value_type: 'secret', description: '' },
      { id: 'n-1', name: 'N', value: 2, value_type: 'number', description: '' },
    ]);
    expect(draft.text).not.toContain('draft-canary-secret');
  });

  it('keeps a secret for [__HIDDEN__]; the asterisk mask is normalised only from 1.13.3 (checklist 16)', async () => {
    const appId = await newApp();
    const sync = async (value: string) => {
      const current = await client.get(`/console/api/apps/${appId}/workflows/draft`);
      return client.post(`/console/api/apps/${appId}/workflows/draft`, {
        graph: EMPTY_GRAPH, features: {}, hash: current.status === 200 ? current.body.hash : null,
        environment_variables: [{ ...SECRET, value }],
      });
    };
    await sync('draft-canary-secret');
    await sync('[__HIDDEN__]');
    const stored = () => sim.state.workflows.find((w) => w.app_id === appId && w.version === 'draft')!.environment_variables[0]!.value;
    expect(stored()).toBe('draft-canary-secret');
    await sync('*'.repeat(20));
    expect(stored()).toBe(sim.profile.draftSyncNormalisesMask ? 'draft-canary-secret' : '*'.repeat(20));
  });

  it('serves the env-var GET with plaintext secrets where it exists (checklist 20)', async () => {
    const appId = await newApp();
    await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: EMPTY_GRAPH, features: {}, environment_variables: [SECRET] });
    const res = await client.get(`/console/api/apps/${appId}/workflows/draft/environment-variables`);
    if (!sim.profile.hasEnvVarGet) {
      expect(res.status).toBe(404);
      return;
    }
    expect(res.body.items).toEqual([{ id: 's-1', type: 'env', name: 'TOKEN', description: '', selector: ['env', 'TOKEN'], value_type: 'secret', value: 'draft-canary-secret', edited: false, visible: true, editable: true }]);
  });

  it('replaces env vars and features without a hash check only on 1.14 (checklist 20)', async () => {
    const appId = await newApp();
    const first = await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: EMPTY_GRAPH, features: {}, environment_variables: [SECRET] });
    const env = await client.post(`/console/api/apps/${appId}/workflows/draft/environment-variables`, {
      environment_variables: [{ ...SECRET, value: '[__HIDDEN__]', name: 'RENAMED' }, { id: 'x', name: 'PLAIN', value: 'v', value_type: 'string' }],
    });
    const features = await client.post(`/console/api/apps/${appId}/workflows/draft/features`, { features: { opening_statement: 'x' } });
    if (!sim.profile.hasDraftVariablePost) {
      expect(env.status).toBe(sim.profile.hasEnvVarGet ? 405 : 404);
      expect(features.status).toBe(404);
      return;
    }
    expect(env.body).toEqual({ result: 'success' });
    expect(features.body).toEqual({ result: 'success' });
    const draft = sim.state.workflows.find((w) => w.app_id === appId && w.version === 'draft')!;
    expect(draft.environment_variables.map((v) => [v.name, v.value])).toEqual([['RENAMED', 'draft-canary-secret'], ['PLAIN', 'v']]);
    expect(draft.features).toEqual({ opening_statement: 'x' });
    const after = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    expect(after.body.hash).toBe(first.body.hash);
    const noDraft = await client.post(`/console/api/apps/${await newApp()}/workflows/draft/environment-variables`, { environment_variables: [] });
    expect(noDraft.status).toBe(400);
    expect(noDraft.body.message).toBe('No draft workflow found.');
  });

  it('handles conversation variables of advanced-chat drafts', async () => {
    const appId = await newApp('advanced-chat');
    const conversation = [{ id: 'c-1', name: 'memory', value: [], value_type: 'array[string]', description: '' }];
    await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: EMPTY_GRAPH, features: {}, conversation_variables: conversation });
    const res = await client.get(`/console/api/apps/${appId}/workflows/draft/conversation-variables`);
    expect(res.body.items[0]).toMatchObject({ id: 'c-1', type: 'conversation', name: 'memory', value_type: 'array[string]', value: [] });
    const draft = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    expect(draft.body.conversation_variables).toEqual([{ id: 'c-1', name: 'memory', value_type: 'array[string]', value: [], description: '' }]);
  });

  it('refuses chat apps on draft endpoints with 404 app_not_found', async () => {
    const chat = await newApp('chat');
    const res = await client.get(`/console/api/apps/${chat}/workflows/draft`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('app_not_found');
    expect(res.body.message).toMatch(/^App mode is not in the supported list/);
  });

  it('refuses start and trigger nodes together where triggers exist', async () => {
    const appId = await newApp();
    const graph = { nodes: [{ id: 's', data: { type: 'start' } }, { id: 't', data: { type: 'trigger-webhook' } }], edges: [] };
    const res = await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph, features: {} });
    if (sim.profile.triggerNodes) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 'invalid_param', message: 'Start node and trigger nodes cannot coexist in the same workflow', status: 400 });
    } else {
      expect(res.status).toBe(200);
    }
  });
});
