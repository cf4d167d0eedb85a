import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptDatasetId } from '../../src/simulator/dsl/dataset-ids.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn, workflowDsl } from '../support/simulator-console.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- exported YAML is arbitrary data
const parseDoc = (text: string): any => parse(text);

const DATASET = '0b6f3c1e-2f5d-4e8a-9c3b-5a7d9e1f2a4b';

function richNodes(): unknown[] {
  return [
    { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [] } },
    { id: 'tool', type: 'custom', position: { x: 1, y: 0 }, data: { type: 'tool', title: 'T', provider_id: 'langgenius/tavily/tavily', credential_id: 'cred-1' } },
    { id: 'agent', type: 'custom', position: { x: 2, y: 0 }, data: { type: 'agent', title: 'A', agent_parameters: { tools: { value: [{ provider_name: 'x', credential_id: 'cred-2' }] } } } },
    { id: 'kr', type: 'custom', position: { x: 3, y: 0 }, data: { type: 'knowledge-retrieval', title: 'K', dataset_ids: [DATASET] } },
    { id: 'llm', type: 'custom', position: { x: 4, y: 0 }, data: { type: 'llm', title: 'L', model: { provider: 'langgenius/openai/openai', name: 'gpt-4o' } } },
  ];
}

const ENV = [
  { id: 'e1', name: 'SECRET', value: 'export-canary-9876', value_type: 'secret', description: 'x' },
  { id: 'e2', name: 'COUNT', value: 3, value_type: 'number', description: '' },
  { id: 'e3', name: 'RATIO', value: 0.5, value_type: 'number', description: '' },
];

describe('DSL export on 1.14.1 (checklist 10)', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  let appId: string;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn());
    sim.state.installedPlugins = ['langgenius/openai:0.2.6@abc', 'langgenius/tavily:0.1.1@def'];
    appId = (await client.importYaml(workflowDsl({ nodes: richNodes(), env: ENV }))).body.app_id;
  });
  afterAll(async () => {
    await sim.close();
  });

  async function exported(query = ''): Promise<{ text: string; doc: ReturnType<typeof parseDoc> }> {
    const res = await client.get(`/console/api/apps/${appId}/export${query}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data']);
    return { text: res.body.data, doc: parseDoc(res.body.data) };
  }

  it('writes keys sorted at every level', async () => {
    const { text, doc } = await exported();
    const topLevel = text.split('\n').filter((l) => /^[a-z_]+:/.test(l)).map((l) => l.split(':')[0]);
    expect(topLevel).toEqual(['app', 'dependencies', 'kind', 'version', 'workflow']);
    const check = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(check);
      else if (value && typeof value === 'object') {
        const keys = Object.keys(value);
        expect(keys).toEqual([...keys].sort());
        Object.values(value).forEach(check);
      }
    };
    check(doc);
    expect(doc.version).toBe('0.6.0');
    expect(doc.app).toMatchObject({ mode: 'workflow', icon_type: 'emoji' });
  });

  it('blanks secrets unless include_secret, and writes integer/float env types', async () => {
    const plain = (await exported()).doc.workflow.environment_variables;
    expect(plain.find((v: { name: string }) => v.name === 'SECRET')).toEqual({ id: 'e1', name: 'SECRET', description: 'x', selector: ['env', 'SECRET'], value: '', value_type: 'secret' });
    expect(plain.find((v: { name: string }) => v.name === 'COUNT').value_type).toBe('integer');
    expect(plain.find((v: { name: string }) => v.name === 'RATIO').value_type).toBe('float');
    const withSecret = (await exported('?include_secret=true')).doc.workflow.environment_variables;
    expect(withSecret[0].value).toBe('export-canary-9876');
    expect((await client.get(`/console/api/apps/${appId}/export?include_secret=maybe`)).status).toBe(400);
  });

  it('strips tool and agent credential ids unless include_secret', async () => {
    const nodes = (await exported()).doc.workflow.graph.nodes;
    expect(nodes[1].data).not.toHaveProperty('credential_id');
    expect(nodes[2].data.agent_parameters.tools.value[0]).not.toHaveProperty('credential_id');
    const kept = (await exported('?include_secret=true')).doc.workflow.graph.nodes;
    expect(kept[1].data.credential_id).toBe('cred-1');
  });

  it('encrypts dataset ids with the workspace key (deterministic, decryptable)', async () => {
    const [encrypted] = (await exported()).doc.workflow.graph.nodes[3].data.dataset_ids;
    expect(encrypted).not.toBe(DATASET);
    expect(encrypted).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decryptDatasetId(encrypted, sim.state.workspace.id)).toBe(DATASET);
    expect(decryptDatasetId(encrypted, 'another-workspace')).toBeUndefined();
    expect((await exported()).doc.workflow.graph.nodes[3].data.dataset_ids[0]).toBe(encrypted);
  });

  it('lists only installed plugins as dependencies, sorted', async () => {
    const { doc } = await exported();
    expect(doc.dependencies.map((d: { value: { marketplace_plugin_unique_identifier: string } }) => d.value.marketplace_plugin_unique_identifier)).toEqual(['langgenius/openai:0.2.6@abc', 'langgenius/tavily:0.1.1@def']);
    expect(doc.dependencies[0]).toEqual({ type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/openai:0.2.6@abc', version: '0.2.6' }, current_identifier: null });
  });

  it('exports the draft by default and a published version with workflow_id', async () => {
    await client.post(`/console/api/apps/${appId}/workflows/publish`, {});
    const publishedId = sim.state.apps.find((a) => a.id === appId)!.workflow_id!;
    const draft = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    const graph = { ...draft.body.graph, nodes: draft.body.graph.nodes.slice(0, 1) };
    await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph, features: draft.body.features, hash: draft.body.hash });
    expect((await exported()).doc.workflow.graph.nodes).toHaveLength(1);
    expect((await exported(`?workflow_id=${publishedId}`)).doc.workflow.graph.nodes).toHaveLength(5);
    const draftId = sim.state.workflows.find((w) => w.app_id === appId && w.version === 'draft')!.id;
    expect((await client.get(`/console/api/apps/${appId}/export?workflow_id=${draftId}`)).status).toBe(500);
    const unknown = await client.get(`/console/api/apps/${appId}/export?workflow_id=nope`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ code: 'invalid_param', message: 'Missing draft workflow configuration, please check.', status: 400 });
  });

  it('refuses a workflow app without a draft', async () => {
    const empty = await client.post('/console/api/apps', { name: 'empty', mode: 'workflow' });
    const res = await client.get(`/console/api/apps/${empty.body.id}/export`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Missing draft workflow configuration, please check.');
  });

  it('resets trigger fields', async () => {
    const nodes = [
      { id: 'sched', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'trigger-schedule', title: 'S', mode: 'cron', cron_expression: '0 * * * *', config: { mode: 'cron' } } },
      { id: 'hook', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'trigger-webhook', title: 'W', webhook_url: 'https://x', webhook_debug_url: 'https://y' } },
      { id: 'plug', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'trigger-plugin', title: 'P', subscription_id: 'sub-1' } },
    ];
    const res = await client.importYaml(workflowDsl({ nodes }));
    const out = parse((await client.get(`/console/api/apps/${res.body.app_id}/export`)).body.data).workflow.graph.nodes;
    expect(out[0].data.config).toEqual({ mode: 'visual', frequency: 'daily', visual_config: { time: '12:00 AM', on_minute: 0, weekdays: ['sun'], monthly_days: [1] }, timezone: 'UTC' });
    expect(out[0].data.cron_expression).toBe('0 * * * *');
    expect(out[1].data).toMatchObject({ webhook_url: '', webhook_debug_url: '' });
    expect(out[2].data.subscription_id).toBe('');
  });

  it('exports chat-family apps with model_config, always without tool credential ids', async () => {
    const chat = await client.post('/console/api/apps', { name: 'agent', mode: 'agent-chat' });
    await client.post(`/console/api/apps/${chat.body.id}/model-config`, {
      model: { provider: 'langgenius/openai/openai', name: 'gpt-4o', mode: 'chat', completion_params: {} },
      agent_mode: { enabled: true, tools: [{ provider_id: 'langgenius/tavily/tavily', credential_id: 'c-9' }] },
    });
    const doc = parse((await client.get(`/console/api/apps/${chat.body.id}/export?include_secret=true`)).body.data);
    expect(doc).toHaveProperty('model_config');
    expect(doc).not.toHaveProperty('workflow');
    expect(doc.model_config.agent_mode.tools[0]).not.toHaveProperty('credential_id');
  });
});

describe.each([['1.0.0'], ['1.12.1']] as [ProfileName][])('era differences of export on profile %s', (profile) => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ profile }));
  });
  afterAll(async () => {
    await sim.close();
  });

  it('writes the DSL version, env types, dataset ids and icons of this era', async () => {
    const res = await client.importYaml(workflowDsl({ version: sim.profile.dslVersion, nodes: richNodes(), env: ENV }));
    const app = sim.state.apps.find((a) => a.id === res.body.app_id)!;
    app.icon_type = 'image';
    app.icon = 'file-id';
    const doc = parse((await client.get(`/console/api/apps/${app.id}/export`)).body.data);
    expect(doc.version).toBe(sim.profile.dslVersion);
    expect(doc.app).not.toHaveProperty('icon_type');
    expect(doc.app).toMatchObject({ icon: '🤖', icon_background: '#FFEAD5' });
    const count = doc.workflow.environment_variables.find((v: { name: string }) => v.name === 'COUNT');
    expect(count.value_type).toBe(profile === '1.0.0' ? 'number' : 'integer');
    const ids = doc.workflow.graph.nodes[3].data.dataset_ids;
    expect(ids[0] === DATASET).toBe(profile === '1.0.0');
    expect(doc.workflow.graph.nodes[1].data.credential_id === undefined).toBe(profile !== '1.0.0');
  });
});
