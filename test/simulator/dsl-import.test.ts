import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptDatasetId } from '../../src/simulator/dsl/dataset-ids.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn, workflowDsl } from '../support/simulator-console.js';

function minimal(version: string | null, mode = 'workflow'): string {
  const versionLine = version === null ? '' : `version: ${version}\n`;
  return `app:\n  name: v\n  mode: ${mode}\nkind: app\n${versionLine}workflow:\n  graph:\n    nodes: []\n    edges: []\n  features: {}\n`;
}

describe('DSL import on 1.14.1', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  let clock = Date.parse('2026-05-01T08:00:00Z');
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ now: () => clock }));
  });
  afterAll(async () => {
    await sim.close();
  });

  it('answers 200 completed with the Import body and creates the app with a draft only (checklist 11)', async () => {
    const res = await client.importYaml(workflowDsl({ name: 'Imported' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.any(String),
      status: 'completed',
      app_id: expect.any(String),
      app_mode: 'workflow',
      current_dsl_version: '0.6.0',
      imported_dsl_version: '0.6.0',
      error: '',
    });
    const app = sim.state.apps.find((a) => a.id === res.body.app_id)!;
    expect(app).toMatchObject({ name: 'Imported', enable_site: true, enable_api: true, workflow_id: null });
    expect(sim.state.workflows.filter((w) => w.app_id === app.id).map((w) => w.version)).toEqual(['draft']);
  });

  it('answers a bad import mode with a plain 400 invalid_param, not an Import body', async () => {
    const res = await client.post('/console/api/apps/imports', { mode: 'zip', yaml_content: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_param', message: 'Invalid import_mode: zip', status: 400 });
  });

  it.each([
    ['missing content', { mode: 'yaml-content' }, 'yaml_content is required when import_mode is yaml-content'],
    ['invalid YAML', { mode: 'yaml-content', yaml_content: 'app: [unclosed' }, /^Invalid YAML format: /],
    ['a non-mapping', { mode: 'yaml-content', yaml_content: '- a\n- b\n' }, 'Invalid YAML format: content must be a mapping'],
    ['a float version', { mode: 'yaml-content', yaml_content: 'version: 0.6\napp: {name: x, mode: workflow}\n' }, "Invalid version type, expected str, got <class 'float'>"],
    ['an int version', { mode: 'yaml-content', yaml_content: 'version: 1\napp: {name: x, mode: workflow}\n' }, "Invalid version type, expected str, got <class 'int'>"],
    ['no app', { mode: 'yaml-content', yaml_content: "version: '0.6.0'\nkind: app\n" }, 'Missing app data in YAML content'],
    ['no app mode', { mode: 'yaml-content', yaml_content: "version: '0.6.0'\napp: {name: x}\n" }, 'loss app mode'],
    ['an unknown mode', { mode: 'yaml-content', yaml_content: "version: '0.6.0'\napp: {name: x, mode: robot}\n" }, "'robot' is not a valid AppMode"],
    ['no workflow section', { mode: 'yaml-content', yaml_content: "version: '0.6.0'\napp: {name: x, mode: workflow}\n" }, 'Missing workflow data for workflow/advanced chat app'],
    ['no model_config', { mode: 'yaml-content', yaml_content: "version: '0.6.0'\napp: {name: x, mode: chat}\n" }, 'Missing model_config for chat/agent-chat/completion app'],
    ['an unparsable version', { mode: 'yaml-content', yaml_content: minimal('abc') }, "Invalid version: 'abc'"],
    ['an env var without value', { mode: 'yaml-content', yaml_content: workflowDsl({ env: [{ name: 'X', value_type: 'string', value: null }] }) }, 'missing value'],
    ['an env var of another type', { mode: 'yaml-content', yaml_content: workflowDsl({ env: [{ name: 'X', value_type: 'boolean', value: true }] }) }, 'not supported value type boolean'],
  ])('fails with 400 for %s (checklist 12)', async (_name, body, error) => {
    const before = sim.state.apps.length;
    const res = await client.post('/console/api/apps/imports', body);
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('failed');
    expect(res.body.app_id).toBeNull();
    if (typeof error === 'string') expect(res.body.error).toBe(error);
    else expect(res.body.error).toMatch(error);
    expect(sim.state.apps.length).toBe(before);
  });

  it('coerces a missing or wrong kind to app and a missing version to 0.1.0 (checklist 13)', async () => {
    const res = await client.importYaml(minimal(null).replace('kind: app', 'kind: plugin'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed-with-warnings', imported_dsl_version: '0.1.0' });
  });

  it('parks a pending import for 600 s: confirm works once, then says expired (checklist 14)', async () => {
    const before = sim.state.apps.length;
    const pending = await client.importYaml(minimal("'0.7.0'"));
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'pending', app_id: null, app_mode: null, imported_dsl_version: '0.7.0', error: '' });
    expect(sim.state.apps.length).toBe(before);
    clock += 599_000;
    const confirmed = await client.post(`/console/api/apps/imports/${pending.body.id}/confirm`, undefined);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'completed', app_mode: 'workflow', imported_dsl_version: '0.7.0' });
    expect(sim.state.apps.length).toBe(before + 1);
    const again = await client.post(`/console/api/apps/imports/${pending.body.id}/confirm`, undefined);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ status: 'failed', error: 'Import information expired or does not exist' });
  });

  it('expires a pending import after the TTL on the injectable clock', async () => {
    const pending = await client.importYaml(minimal("'1.0.0'"));
    expect(pending.status).toBe(202);
    clock += 601_000;
    const late = await client.post(`/console/api/apps/imports/${pending.body.id}/confirm`, undefined);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('Import information expired or does not exist');
  });

  it('overwrites only workflow and advanced-chat apps, by id (checklist 15)', async () => {
    const unknown = await client.importYaml(workflowDsl(), { app_id: '99999999-9999-4999-8999-999999999999' });
    expect(unknown.body).toMatchObject({ status: 'failed', error: 'App not found' });
    const chat = await client.post('/console/api/apps', { name: 'chat', mode: 'chat' });
    const refused = await client.importYaml(workflowDsl(), { app_id: chat.body.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('Only workflow or advanced chat apps can be overwritten');
  });

  it('overwrites the draft without a hash conflict, keeps the mode, bumps updated_at and does not publish', async () => {
    const first = await client.importYaml(workflowDsl({ name: 'Target' }));
    const appId = first.body.app_id;
    await client.post(`/console/api/apps/${appId}/workflows/publish`, {});
    const published = sim.state.apps.find((a) => a.id === appId)!.workflow_id;
    // A concurrent edit changes the draft hash; an import still goes through.
    const draft = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: { nodes: [], edges: [] }, features: {}, hash: draft.body.hash });
    clock += 5_000;
    const dsl = workflowDsl({ name: 'From YAML', mode: 'advanced-chat' }).replace('"opening_statement": ""', '"opening_statement": "new"');
    const res = await client.importYaml(dsl, { app_id: appId, description: 'override' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', app_id: appId, app_mode: 'workflow' });
    const app = sim.state.apps.find((a) => a.id === appId)!;
    expect(app).toMatchObject({ name: 'From YAML', description: 'override', mode: 'workflow', workflow_id: published });
    expect(app.updated_at).toBe(Math.floor(clock / 1000));
    const after = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    expect(after.body.features).toEqual({ opening_statement: 'new' });
    expect(after.body.graph.nodes).toHaveLength(2);
  });

  it('keeps a stored secret for [__HIDDEN__] with a matching id and erases it for "" (checklist 16)', async () => {
    const env = (value: string) => [{ id: 'env-secret-1', name: 'API_KEY', value, value_type: 'secret', description: '' }];
    const created = await client.importYaml(workflowDsl({ env: env('canary-secret-1234') }));
    const appId = created.body.app_id;
    await client.importYaml(workflowDsl({ env: env('[__HIDDEN__]') }), { app_id: appId });
    let vars = await client.get(`/console/api/apps/${appId}/workflows/draft/environment-variables`);
    expect(vars.body.items[0].value).toBe('canary-secret-1234');
    await client.importYaml(workflowDsl({ env: env('') }), { app_id: appId });
    vars = await client.get(`/console/api/apps/${appId}/workflows/draft/environment-variables`);
    expect(vars.body.items[0].value).toBe('');
  });

  it('decrypts dataset ids of this workspace and silently drops foreign ones', async () => {
    const mine = '0b6f3c1e-2f5d-4e8a-9c3b-5a7d9e1f2a4b';
    const plain = '1c7f4d2e-3a6b-4f9c-8d2e-6b8a0f3c5d7e';
    const foreign = encryptDatasetId('2d8a5e3f-4b7c-4a0d-9e3f-7c9b1a4d6e8f', 'another-tenant');
    const nodes = [
      { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [] } },
      { id: 'kr', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'knowledge-retrieval', title: 'KR', dataset_ids: [encryptDatasetId(mine, sim.state.workspace.id), plain, foreign, 'garbage'] } },
    ];
    const res = await client.importYaml(workflowDsl({ nodes }));
    const draft = await client.get(`/console/api/apps/${res.body.app_id}/workflows/draft`);
    expect(draft.body.graph.nodes[1].data.dataset_ids).toEqual([mine, plain]);
  });

  it('reports not-installed dependencies by app id for 600 s (checklist 17)', async () => {
    sim.state.installedPlugins = ['langgenius/openai:0.2.6@aaaa'];
    const deps = `dependencies:\n- type: marketplace\n  value: {marketplace_plugin_unique_identifier: 'langgenius/openai:0.2.6@aaaa', version: 0.2.6}\n  current_identifier: null\n- type: marketplace\n  value: {marketplace_plugin_unique_identifier: 'langgenius/tavily:0.1.0@bbbb', version: 0.1.0}\n  current_identifier: null\n`;
    const res = await client.importYaml(minimal("'0.6.0'") + deps);
    expect(res.status).toBe(200);
    const check = await client.get(`/console/api/apps/imports/${res.body.app_id}/check-dependencies`);
    expect(check.body).toEqual({
      leaked_dependencies: [
        { type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/tavily:0.1.0@bbbb', version: '0.1.0' }, current_identifier: null },
      ],
    });
    clock += 601_000;
    expect((await client.get(`/console/api/apps/imports/${res.body.app_id}/check-dependencies`)).body).toEqual({ leaked_dependencies: [] });
    expect((await client.get('/console/api/apps/imports/99999999-9999-4999-8999-999999999999/check-dependencies')).body.code).toBe('app_not_found');
    const malformed = await client.importYaml(minimal("'0.6.0'") + 'dependencies:\n- type: pypi\n  value: {}\n');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toContain('validation error for PluginDependency');
  });

  it('requires application/json for imports (415 otherwise)', async () => {
    const res = await client.request('POST', '/console/api/apps/imports', { body: JSON.stringify({ mode: 'yaml-content', yaml_content: 'x' }), contentType: 'text/plain' });
    expect(res.status).toBe(415);
  });

  it('answers yaml-url failures as failed imports (no network needed)', async () => {
    const res = await client.post('/console/api/apps/imports', { mode: 'yaml-url', yaml_url: 'http://127.0.0.1:1/nothing.yml' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^Error fetching YAML from URL: /);
    const url = `${sim.url}/_simulator/faults`;
    const notYaml = await client.post('/console/api/apps/imports', { mode: 'yaml-url', yaml_url: url });
    expect(notYaml.body.status).toBe('failed');
  });
});

const VERSION_TABLE: Record<ProfileName, [string | null, string][]> = {
  '1.14.1': [["'0.6.0'", 'completed'], ["'0.6.3'", 'pending'], ["'0.7.0'", 'pending'], ["'1.0.0'", 'pending'], ["'0.5.0'", 'completed-with-warnings'], ["'0.1.5'", 'completed-with-warnings'], [null, 'completed-with-warnings'], ["'abc'", 'failed']],
  '1.12.1': [["'0.5.0'", 'completed'], ["'0.5.1'", 'pending'], ["'0.6.0'", 'pending'], ["'0.4.0'", 'completed-with-warnings'], [null, 'completed-with-warnings']],
  '1.9.1': [["'0.4.0'", 'completed'], ["'0.3.1'", 'completed-with-warnings'], ["'0.5.0'", 'pending']],
  '1.0.0': [["'0.1.5'", 'completed'], ["'0.1.3'", 'completed-with-warnings'], ["'0.1.9'", 'completed-with-warnings'], ["'0.2.0'", 'pending'], ["'0.0.9'", 'pending'], ["'1.1.5'", 'pending'], [null, 'completed-with-warnings'], ["'abc'", 'failed']],
};

describe.each(Object.entries(VERSION_TABLE))('version rule on profile %s (checklist 13)', (profile, rows) => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ profile: profile as ProfileName }));
  });
  afterAll(async () => {
    await sim.close();
  });

  it.each(rows)('version %s → %s', async (version, status) => {
    const res = await client.importYaml(minimal(version));
    expect(res.body.status).toBe(status);
    expect(res.status).toBe({ completed: 200, 'completed-with-warnings': 200, pending: 202, failed: 400 }[status]);
    expect('app_mode' in res.body).toBe(sim.profile.importHasAppMode);
  });

  it('bumps app.updated_at on import-overwrite only from 1.9.2', async () => {
    const first = await client.importYaml(minimal(`'${sim.profile.dslVersion}'`));
    const app = sim.state.apps.find((a) => a.id === first.body.app_id)!;
    app.updated_at = 1000;
    await client.importYaml(minimal(`'${sim.profile.dslVersion}'`), { app_id: app.id });
    expect(app.updated_at !== 1000).toBe(sim.profile.bumpsAppUpdatedAt);
  });
});
