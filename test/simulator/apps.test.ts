import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_NAMES, type ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn, workflowDsl } from '../support/simulator-console.js';

describe('apps on profile 1.14.1', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  let clock = Date.parse('2026-04-01T00:00:00Z');
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ now: () => clock }));
  });
  afterAll(async () => {
    await sim.close();
  });

  it('creates an app: 201, enable_site/enable_api true, no draft for workflow apps (checklist 9)', async () => {
    const res = await client.post('/console/api/apps', { name: 'Flow', mode: 'workflow', description: 'hello' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Flow', mode: 'workflow', enable_site: true, enable_api: true, model_config: null, workflow: null });
    expect(res.body).not.toHaveProperty('site');
    expect(res.body).not.toHaveProperty('icon_type');
    expect(Number.isInteger(res.body.created_at)).toBe(true);
    const draft = await client.get(`/console/api/apps/${res.body.id}/workflows/draft`);
    expect(draft.status).toBe(404);
    expect(draft.body).toEqual({ code: 'draft_workflow_not_exist', message: 'Draft workflow need to be initialized.', status: 404 });
  });

  it('gives chat-family apps a default model config', async () => {
    const res = await client.post('/console/api/apps', { name: 'Chatty', mode: 'chat' });
    expect(res.status).toBe(201);
    expect(res.body.model_config.model).toMatchObject({ provider: 'langgenius/openai/openai' });
    expect(res.body.model_config).toHaveProperty('pre_prompt');
  });

  it('validates the create body with pydantic-style 400s', async () => {
    expect((await client.post('/console/api/apps', { mode: 'workflow' })).body.code).toBe('invalid_param');
    const badMode = await client.post('/console/api/apps', { name: 'x', mode: 'channel' });
    expect(badMode.status).toBe(400);
    expect(badMode.body.code).toBe('invalid_param');
    const longDescription = await client.post('/console/api/apps', { name: 'x', mode: 'chat', description: 'd'.repeat(401) });
    expect(longDescription.status).toBe(400);
  });

  it('answers 415 for a non-JSON body and 400 bad_request for an empty JSON body (checklist 7)', async () => {
    const text = await client.request('POST', '/console/api/apps', { body: 'name=x', contentType: 'application/x-www-form-urlencoded' });
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('unsupported_media_type');
    const empty = await client.request('POST', '/console/api/apps', { body: '', contentType: 'application/json' });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ code: 'bad_request', message: 'Invalid JSON payload received or JSON payload is empty.', status: 400 });
  });

  it('lists apps newest first with page/limit/total/has_more and int timestamps (checklist 8)', async () => {
    for (let i = 0; i < 3; i++) {
      clock += 1000;
      await client.post('/console/api/apps', { name: `Paged ${i}`, mode: 'completion' });
    }
    const res = await client.get('/console/api/apps?page=1&limit=2&name=paged');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, limit: 2, total: 3, has_more: true });
    expect(res.body.data.map((a: { name: string }) => a.name)).toEqual(['Paged 2', 'Paged 1']);
    const page2 = await client.get('/console/api/apps?page=2&limit=2&name=paged');
    expect(page2.body).toMatchObject({ total: 3, has_more: false });
    expect(page2.body.data.map((a: { name: string }) => a.name)).toEqual(['Paged 0']);
    const item = res.body.data[0];
    for (const key of ['id', 'name', 'max_active_requests', 'description', 'mode', 'icon_type', 'icon', 'icon_background', 'model_config', 'workflow', 'use_icon_as_answer_icon', 'created_by', 'created_at', 'updated_by', 'updated_at', 'tags', 'author_name', 'has_draft_trigger']) {
      expect(item).toHaveProperty(key);
    }
    expect(Number.isInteger(item.updated_at)).toBe(true);
  });

  it('filters by mode and uses only the first 30 characters of name', async () => {
    const long = 'N'.repeat(30);
    await client.post('/console/api/apps', { name: `${long}-suffix`, mode: 'workflow' });
    const hit = await client.get(`/console/api/apps?name=${long}XYZ`);
    expect(hit.body.data.map((a: { name: string }) => a.name)).toEqual([`${long}-suffix`]);
    const workflows = await client.get('/console/api/apps?mode=workflow&limit=100');
    expect(workflows.body.data.every((a: { mode: string }) => a.mode === 'workflow')).toBe(true);
    expect((await client.get('/console/api/apps?limit=101')).status).toBe(400);
    expect((await client.get('/console/api/apps?page=0')).status).toBe(400);
    expect((await client.get('/console/api/apps?mode=nope')).body.code).toBe('invalid_param');
  });

  it('shows the published version as `workflow` in the list and detail (checklist 8)', async () => {
    const imported = await client.importYaml(workflowDsl({ name: 'Published one' }));
    const id = imported.body.app_id;
    const before = await client.get('/console/api/apps?name=Published one');
    expect(before.body.data[0].workflow).toBeNull();
    expect((await client.post(`/console/api/apps/${id}/workflows/publish`, {})).status).toBe(200);
    const after = await client.get('/console/api/apps?name=Published one');
    const published = sim.state.apps.find((a) => a.id === id)!.workflow_id;
    expect(after.body.data[0].workflow).toMatchObject({ id: published });
    const detail = await client.get(`/console/api/apps/${id}`);
    expect(detail.body.workflow.id).toBe(published);
    expect(detail.body.site.code).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(detail.body.site.access_token).toBe(detail.body.site.code);
    expect(detail.body.api_base_url).toBe(`${sim.url}/v1`);
  });

  it('PUT resets omitted fields (description "", icon "", max_active_requests 0)', async () => {
    const created = await client.post('/console/api/apps', { name: 'Put me', mode: 'workflow', description: 'keep?', icon: '🙂' });
    const res = await client.request('PUT', `/console/api/apps/${created.body.id}`, { json: { name: 'Renamed' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', description: '', icon: '', max_active_requests: 0 });
    expect(res.body.site).toBeDefined();
  });

  it('deletes with 204 and an empty body, cascading keys and workflows; then 404 app_not_found (checklist 9)', async () => {
    const imported = await client.importYaml(workflowDsl({ name: 'Doomed' }));
    const id = imported.body.app_id;
    sim.state.apiKeys.push({ id: 'k1', app_id: id, token: 'app-aaaaaaaaaaaaaaaaaaaaaaaa', last_used_at: null, created_at: 0 });
    const res = await client.request('DELETE', `/console/api/apps/${id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(sim.state.workflows.filter((w) => w.app_id === id)).toEqual([]);
    expect(sim.state.apiKeys.filter((k) => k.app_id === id)).toEqual([]);
    const gone = await client.get(`/console/api/apps/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ code: 'app_not_found', message: 'App not found.', status: 404 });
    expect((await client.get('/console/api/apps/not-a-uuid')).body.code).toBe('not_found');
  });

  it('copies an app (secrets included) and toggles site and API', async () => {
    const imported = await client.importYaml(workflowDsl({ name: 'Original', env: [{ id: 'e-1', name: 'KEY', value: 'secret-canary', value_type: 'secret', description: '' }] }));
    const id = imported.body.app_id;
    const copy = await client.post(`/console/api/apps/${id}/copy`, { name: 'The copy' });
    expect(copy.status).toBe(201);
    expect(copy.body.name).toBe('The copy');
    const env = await client.get(`/console/api/apps/${copy.body.id}/workflows/draft/environment-variables`);
    expect(env.body.items[0].value).toBe('secret-canary');
    const site = await client.post(`/console/api/apps/${id}/site-enable`, { enable_site: false });
    expect(site.body.enable_site).toBe(false);
    const api = await client.post(`/console/api/apps/${id}/api-enable`, { enable_api: false });
    expect(api.status).toBe(200);
    expect(api.body.enable_api).toBe(false);
  });

  it('applies a chat-family model config at once and refuses workflow apps', async () => {
    const chat = await client.post('/console/api/apps', { name: 'Live config', mode: 'chat' });
    const res = await client.post(`/console/api/apps/${chat.body.id}/model-config`, {
      model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} },
      pre_prompt: 'You are terse.',
    });
    expect(res.body).toEqual({ result: 'success' });
    const detail = await client.get(`/console/api/apps/${chat.body.id}`);
    expect(detail.body.model_config).toMatchObject({ pre_prompt: 'You are terse.', model: { name: 'gpt-4o-mini' } });
    const flow = await client.post('/console/api/apps', { name: 'Not chat', mode: 'workflow' });
    const refused = await client.post(`/console/api/apps/${flow.body.id}/model-config`, { model: {} });
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('app_not_found');
  });

  it('enforces roles: normal members cannot edit, editors cannot toggle the API', async () => {
    const { ConsoleClient } = await import('../support/simulator-console.js');
    sim.state.accounts.push(
      { id: '00000000-0000-4000-8000-000000000010', email: 'normal@example.com', name: 'n', password: 'Normal123', role: 'normal', failedLogins: 0 },
      { id: '00000000-0000-4000-8000-000000000011', email: 'editor@example.com', name: 'e', password: 'Editor123', role: 'editor', failedLogins: 0 },
    );
    const normal = new ConsoleClient(sim);
    await normal.login('normal@example.com', 'Normal123');
    expect((await normal.get('/console/api/apps')).status).toBe(200);
    const denied = await normal.post('/console/api/apps', { name: 'no', mode: 'chat' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    const editor = new ConsoleClient(sim);
    await editor.login('editor@example.com', 'Editor123');
    const app = await editor.post('/console/api/apps', { name: 'by editor', mode: 'chat' });
    expect(app.status).toBe(201);
    expect((await editor.post(`/console/api/apps/${app.body.id}/api-enable`, { enable_api: false })).status).toBe(403);
  });
});

describe.each(PROFILE_NAMES.map((p) => [p]))('app list tag_ids on profile %s', (profile: ProfileName) => {
  let sim: Simulator;
  let client: ConsoleClient;
  const tagA = '11111111-1111-4111-8111-111111111111';
  const tagB = '22222222-2222-4222-8222-222222222222';
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ profile }));
    const tenant = sim.state.workspace.id;
    sim.state.tags.push({ id: tagA, tenant_id: tenant, name: 'A', type: 'app' }, { id: tagB, tenant_id: tenant, name: 'B', type: 'app' });
    const one = await client.post('/console/api/apps', { name: 'tagged-a', mode: 'chat' });
    const two = await client.post('/console/api/apps', { name: 'tagged-b', mode: 'chat' });
    await client.post('/console/api/apps', { name: 'untagged', mode: 'chat' });
    sim.state.apps.find((a) => a.id === one.body.id)!.tag_ids.push(tagA);
    sim.state.apps.find((a) => a.id === two.body.id)!.tag_ids.push(tagB);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('filters by tag ids in the form this release accepts (any tag matches)', async () => {
    const names = (res: { body: { data: { name: string }[] } }) => res.body.data.map((a) => a.name).sort();
    if (sim.profile.tagIdsQuery === 'indexed') {
      expect(names(await client.get(`/console/api/apps?tag_ids[0]=${tagA}&tag_ids[1]=${tagB}`))).toEqual(['tagged-a', 'tagged-b']);
      const plain = await client.get(`/console/api/apps?tag_ids=${tagA}`);
      expect(plain.status).toBe(400);
      expect(plain.body.message).toContain('Unsupported tag_ids type.');
    } else {
      expect(names(await client.get(`/console/api/apps?tag_ids=${tagA},${tagB}`))).toEqual(['tagged-a', 'tagged-b']);
    }
    const bad = await client.get(`/console/api/apps?${sim.profile.tagIdsQuery === 'indexed' ? 'tag_ids[0]' : 'tag_ids'}=not-a-uuid`);
    expect(bad.status).toBe(400);
    const none = await client.get(`/console/api/apps?${sim.profile.tagIdsQuery === 'indexed' ? 'tag_ids[0]' : 'tag_ids'}=33333333-3333-4333-8333-333333333333`);
    expect(none.body).toEqual({ page: 1, limit: 20, total: 0, has_more: false, data: [] });
  });
});
