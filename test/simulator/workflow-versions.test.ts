import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn, workflowDsl } from '../support/simulator-console.js';

const SECRET_ENV = [{ id: 'sec-1', name: 'KEY', value: 'published-canary', value_type: 'secret', description: '' }];

describe('publish and versions on 1.14.1', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  let clock = Date.parse('2026-07-01T09:30:00Z');
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ now: () => clock }));
  });
  afterAll(async () => {
    await sim.close();
  });

  async function imported(): Promise<string> {
    return (await client.importYaml(workflowDsl({ env: SECRET_ENV }))).body.app_id as string;
  }

  it('publishes a new version each time, returning only {result, created_at} (checklist 21)', async () => {
    const appId = await imported();
    const app = sim.state.apps.find((a) => a.id === appId)!;
    clock += 1000;
    const res = await client.post(`/console/api/apps/${appId}/workflows/publish`, { marked_name: 'v1', marked_comment: 'first' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'success', created_at: Math.floor(clock / 1000) });
    const first = sim.state.workflows.find((w) => w.id === app.workflow_id)!;
    expect(first.version).toBe('2026-07-01 09:30:01');
    expect(app.updated_at).toBe(Math.floor(clock / 1000));
    clock += 1234;
    await client.post(`/console/api/apps/${appId}/workflows/publish`, {});
    const second = sim.state.workflows.find((w) => w.id === app.workflow_id)!;
    expect(second.id).not.toBe(first.id);
    expect(second.version).toBe('2026-07-01 09:30:02.234000');
    const published = await client.get(`/console/api/apps/${appId}/workflows/publish`);
    expect(published.body).toMatchObject({ id: second.id, version: second.version, marked_name: '' });
  });

  it('refuses publish without a draft and overlong names (checklist 21)', async () => {
    const empty = await client.post('/console/api/apps', { name: 'nothing', mode: 'workflow' });
    const res = await client.post(`/console/api/apps/${empty.body.id}/workflows/publish`, {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_param', message: 'No valid workflow found.', status: 400 });
    const appId = await imported();
    expect((await client.post(`/console/api/apps/${appId}/workflows/publish`, { marked_name: 'x'.repeat(21) })).status).toBe(400);
    expect((await client.post(`/console/api/apps/${appId}/workflows/publish`, { marked_comment: 'x'.repeat(101) })).status).toBe(400);
    expect((await client.request('POST', `/console/api/apps/${appId}/workflows/publish`, { body: '', contentType: 'text/plain' })).status).toBe(415);
  });

  it('answers GET publish with an all-null Workflow when never published', async () => {
    const appId = await imported();
    const res = await client.get(`/console/api/apps/${appId}/workflows/publish`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBeNull();
    expect(res.body.hash).toBeNull();
    expect(res.body.created_by).toEqual({ id: null, name: null, email: null });
  });

  it('lists versions: empty until published, then the draft first and newest first (checklist 22)', async () => {
    const appId = await imported();
    expect((await client.get(`/console/api/apps/${appId}/workflows`)).body).toEqual({ items: [], page: 1, limit: 10, has_more: false });
    for (const name of ['one', '', 'three']) {
      clock += 1000;
      await client.post(`/console/api/apps/${appId}/workflows/publish`, name ? { marked_name: name } : {});
    }
    const all = await client.get(`/console/api/apps/${appId}/workflows`);
    expect(all.body.items.map((w: { version: string; marked_name: string }) => w.marked_name || w.version)).toEqual(['draft', 'three', expect.stringMatching(/^2026-/), 'one']);
    const paged = await client.get(`/console/api/apps/${appId}/workflows?limit=2`);
    expect(paged.body).toMatchObject({ page: 1, limit: 2, has_more: true });
    const last = await client.get(`/console/api/apps/${appId}/workflows?limit=2&page=2`);
    expect(last.body.has_more).toBe(false);
    expect(last.body.items).toHaveLength(2);
    const named = await client.get(`/console/api/apps/${appId}/workflows?named_only=true`);
    expect(named.body.items.map((w: { marked_name: string }) => w.marked_name)).toEqual(['three', 'one']);
    const mine = await client.get(`/console/api/apps/${appId}/workflows?user_id=${sim.state.accounts[0]!.id}`);
    expect(mine.body.items).toHaveLength(4);
    const other = await client.get(`/console/api/apps/${appId}/workflows?user_id=00000000-0000-4000-8000-000000000000`);
    expect(other.status).toBe(403);
  });

  it('patches a version; no field is 400 {"message":"No valid fields to update"} (checklist 23)', async () => {
    const appId = await imported();
    await client.post(`/console/api/apps/${appId}/workflows/publish`, {});
    const id = sim.state.apps.find((a) => a.id === appId)!.workflow_id!;
    const none = await client.request('PATCH', `/console/api/apps/${appId}/workflows/${id}`, { json: {} });
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ message: 'No valid fields to update' });
    const ok = await client.request('PATCH', `/console/api/apps/${appId}/workflows/${id}`, { json: { marked_name: 'release-1' } });
    expect(ok.body).toMatchObject({ id, marked_name: 'release-1' });
    const missing = await client.request('PATCH', `/console/api/apps/${appId}/workflows/nope`, { json: { marked_name: 'x' } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', message: 'Workflow not found' });
  });

  it('deletes only versions that are not the draft, in use or tool-published (checklist 23)', async () => {
    const appId = await imported();
    await client.post(`/console/api/apps/${appId}/workflows/publish`, {});
    const old = sim.state.apps.find((a) => a.id === appId)!.workflow_id!;
    clock += 1000;
    await client.post(`/console/api/apps/${appId}/workflows/publish`, {});
    const current = sim.state.apps.find((a) => a.id === appId)!.workflow_id!;
    const draftId = sim.state.workflows.find((w) => w.app_id === appId && w.version === 'draft')!.id;
    const del = (id: string) => client.request('DELETE', `/console/api/apps/${appId}/workflows/${id}`);
    expect((await del(draftId)).body).toEqual({ code: 'bad_request', message: 'Cannot delete draft workflow versions', status: 400 });
    expect((await del(current)).body.message).toBe(`Cannot delete workflow that is currently in use by app '${appId}'`);
    sim.state.workflows.find((w) => w.id === old)!.tool_published = true;
    expect((await del(old)).body.message).toBe('Cannot delete workflow that is published as a tool');
    sim.state.workflows.find((w) => w.id === old)!.tool_published = false;
    const ok = await del(old);
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
    expect((await del(old)).body).toMatchObject({ code: 'not_found', message: `Workflow with ID ${old} not found` });
  });

  it('restores a published version into the draft with its secrets and no hash check (checklist 23)', async () => {
    const appId = await imported();
    await client.post(`/console/api/apps/${appId}/workflows/publish`, {});
    const published = sim.state.apps.find((a) => a.id === appId)!.workflow_id!;
    const draft = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: { nodes: [], edges: [] }, features: {}, hash: draft.body.hash, environment_variables: [] });
    const res = await client.post(`/console/api/apps/${appId}/workflows/${published}/restore`, undefined);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'success', hash: draft.body.hash, updated_at: expect.any(Number) });
    const env = await client.get(`/console/api/apps/${appId}/workflows/draft/environment-variables`);
    expect(env.body.items[0].value).toBe('published-canary');
    const draftId = sim.state.workflows.find((w) => w.app_id === appId && w.version === 'draft')!.id;
    const bad = await client.post(`/console/api/apps/${appId}/workflows/${draftId}/restore`, undefined);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('source workflow must be published');
    expect((await client.post(`/console/api/apps/${appId}/workflows/nope/restore`, undefined)).status).toBe(404);
  });
});

describe.each([['1.0.0'], ['1.12.1']] as [ProfileName][])('version endpoints on profile %s', (profile) => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ profile }));
  });
  afterAll(async () => {
    await sim.close();
  });

  it('has the version-control and restore endpoints of this release only', async () => {
    const appId = (await client.importYaml(workflowDsl({ version: sim.profile.dslVersion }))).body.app_id;
    const publish = await client.post(`/console/api/apps/${appId}/workflows/publish`, { marked_name: 'ignored-on-1.0.0' });
    expect(publish.status).toBe(200);
    const id = sim.state.apps.find((a) => a.id === appId)!.workflow_id!;
    const version = sim.state.workflows.find((w) => w.id === id)!;
    expect(version.marked_name).toBe(sim.profile.workflowVersionControl ? 'ignored-on-1.0.0' : '');
    const list = await client.get(`/console/api/apps/${appId}/workflows`);
    expect(list.body.limit).toBe(sim.profile.versionListDefaultLimit);
    const patch = await client.request('PATCH', `/console/api/apps/${appId}/workflows/${id}`, { json: { marked_name: 'x' } });
    expect(patch.status).toBe(sim.profile.workflowVersionControl ? 200 : 404);
    const restore = await client.post(`/console/api/apps/${appId}/workflows/${id}/restore`, undefined);
    expect(restore.status).toBe(404);
    expect(restore.body.code).toBe('not_found');
  });
});
