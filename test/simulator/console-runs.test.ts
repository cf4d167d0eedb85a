// Console debugger runs (§6.8): draft runs stream SSE from the DRAFT graph; the run list and
// detail show debugger and service runs separately.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn } from '../support/simulator-console.js';
import { dataEvents, e, graphDsl, importApp, llmWorkflow, n, parseSse, publishedApp, v1 } from '../support/sim-console.js';

describe('console draft runs and run history', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn());
  });
  afterAll(() => sim.close());

  it('runs the draft (unpublished) graph as SSE and records a debugging run', async () => {
    const appId = await importApp(client, graphDsl(llmWorkflow('RESPOND: draft says {{#start.q#}}')));
    const res = await client.post(`/console/api/apps/${appId}/workflows/draft/run`, { inputs: { q: 'hi' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = dataEvents(parseSse(res.text));
    const finished = events.at(-1);
    expect(finished).toMatchObject({ event: 'workflow_finished', data: { status: 'succeeded', outputs: { answer: 'draft says hi' } } });
    const owner = sim.state.accounts[0];
    expect(finished.data.created_by).toEqual({ id: owner?.id, name: owner?.name, email: owner?.email });
    const runs = await client.get(`/console/api/apps/${appId}/workflow-runs`);
    expect(runs.body).toMatchObject({ limit: 20, has_more: false });
    expect(runs.body.data).toHaveLength(1);
    expect(runs.body.data[0]).toMatchObject({ id: finished.workflow_run_id, version: 'draft', status: 'succeeded', total_steps: 3, created_by_account: { id: owner?.id }, exceptions_count: 0 });
    const detail = await client.get(`/console/api/apps/${appId}/workflow-runs/${finished.workflow_run_id}`);
    expect(detail.body).toMatchObject({ id: finished.workflow_run_id, inputs: { q: 'hi' }, outputs: { answer: 'draft says hi' }, created_by_role: 'account', graph: { nodes: expect.any(Array) } });
    expect((await client.get(`/console/api/apps/${appId}/workflow-runs/${randomUUID()}`)).status).toBe(404);
  });

  it('validates before streaming and needs a draft', async () => {
    const appId = await importApp(client, graphDsl(llmWorkflow('{{#start.q#}}')));
    const missing = await client.post(`/console/api/apps/${appId}/workflows/draft/run`, { inputs: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ code: 'invalid_param', message: 'q is required in input form', status: 400 });
    const created = await client.post('/console/api/apps', { name: 'empty', mode: 'workflow', icon_type: 'emoji', icon: '🤖', icon_background: '#FFEAD5' });
    const noDraft = await client.post(`/console/api/apps/${created.body.id}/workflows/draft/run`, { inputs: {} });
    expect(noDraft.body).toEqual({ code: 'invalid_param', message: 'Workflow not initialized', status: 400 });
  });

  it('advanced-chat draft runs take a query and keep the conversation', async () => {
    const appId = await importApp(
      client,
      graphDsl({ mode: 'advanced-chat', nodes: [n('start', 'start', { variables: [] }), n('ans', 'answer', { answer: 'you said {{#sys.query#}}' })], edges: [e('start', 'ans')] }),
    );
    const res = await client.post(`/console/api/apps/${appId}/advanced-chat/workflows/draft/run`, { query: 'ping', inputs: {} });
    const events = dataEvents(parseSse(res.text));
    expect(events.filter((ev) => ev.event === 'message').map((ev) => String(ev.answer)).join('')).toBe('you said ping');
    const again = await client.post(`/console/api/apps/${appId}/advanced-chat/workflows/draft/run`, { query: 'pong', conversation_id: events[0].conversation_id });
    expect(dataEvents(parseSse(again.text))[0].conversation_id).toBe(events[0].conversation_id);
    const list = await client.get(`/console/api/apps/${appId}/advanced-chat/workflow-runs`);
    expect(list.body.data).toHaveLength(2);
  });

  it('lists service runs under triggered_from=app-run with cursor pagination', async () => {
    const { appId, key } = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    for (const q of ['a', 'b', 'c']) await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q }, user: 'u' });
    expect((await client.get(`/console/api/apps/${appId}/workflow-runs`)).body.data).toHaveLength(0);
    const page1 = await client.get(`/console/api/apps/${appId}/workflow-runs?triggered_from=app-run&limit=2`);
    expect(page1.body.has_more).toBe(true);
    expect(page1.body.data).toHaveLength(2);
    const page2 = await client.get(`/console/api/apps/${appId}/workflow-runs?triggered_from=app-run&limit=2&last_id=${page1.body.data[1].id}`);
    expect(page2.body).toMatchObject({ has_more: false });
    expect(page2.body.data).toHaveLength(1);
    const ids = [...page1.body.data, ...page2.body.data].map((r: { id: string }) => r.id);
    const stored = sim.state.runs.filter((r) => r.app_id === appId).map((r) => r.id).reverse();
    expect(ids).toEqual(stored);
    expect((await client.get(`/console/api/apps/${appId}/workflow-runs?status=bogus`)).status).toBe(400);
  });
});
