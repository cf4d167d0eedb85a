// What apply's draft gate relies on from the simulator's console draft runs (contract §6.8,
// §8.4): the DRAFT runs while another version is published, the finished event names the draft
// (not the published version), events come in Dify's order, the answer is always SSE (even if a
// client asks for blocking), and the endpoints are bound to their app mode.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn } from '../support/simulator-console.js';
import { dataEvents, e, graphDsl, llmWorkflow, n, parseSse, publishedApp, v1 } from '../support/sim-console.js';

describe('console draft runs for the draft gate', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn());
  });
  afterAll(() => sim.close());

  it('runs the draft, not the published version, in Dify event order, always as SSE', async () => {
    const { appId, key } = await publishedApp(client, llmWorkflow('RESPOND: published {{#start.q#}}'));
    const publishedId = sim.state.apps.find((a) => a.id === appId)!.workflow_id;
    // Change only the draft (an import over the app does not publish).
    const res = await client.importYaml(graphDsl(llmWorkflow('RESPOND: draft {{#start.q#}}')), { app_id: appId });
    expect(res.status).toBe(200);
    const draftId = sim.state.workflows.find((w) => w.app_id === appId && w.version === 'draft')!.id;

    const run = await client.post(`/console/api/apps/${appId}/workflows/draft/run`, { inputs: { q: 'x' }, response_mode: 'blocking' });
    expect(run.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = dataEvents(parseSse(run.text));
    const names = events.map((ev) => String(ev.event));
    expect(names[0]).toBe('workflow_started');
    expect(names.at(-1)).toBe('workflow_finished');
    expect(names.filter((name) => name === 'node_started')).toHaveLength(names.filter((name) => name === 'node_finished').length);
    for (const ev of events) expect(ev.workflow_run_id).toBe(events[0].workflow_run_id);
    expect(events.at(-1)).toMatchObject({ data: { workflow_id: draftId, status: 'succeeded', outputs: { answer: 'draft x' } } });
    expect(typeof events.at(-1).data.total_tokens).toBe('number');

    // The service API still answers with the published version: nothing went live.
    const live = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u', response_mode: 'blocking' });
    expect(live.body.data).toMatchObject({ workflow_id: publishedId, outputs: { answer: 'published x' } });
  });

  it('reports a failing draft node in workflow_finished (status failed, its error)', async () => {
    const { appId } = await publishedApp(client, llmWorkflow('RESPOND: ok'));
    await client.importYaml(graphDsl(llmWorkflow('FAIL: the model is down')), { app_id: appId });
    const events = dataEvents(parseSse((await client.post(`/console/api/apps/${appId}/workflows/draft/run`, { inputs: { q: 'x' } })).text));
    expect(events.at(-1)).toMatchObject({ event: 'workflow_finished', data: { status: 'failed' } });
    expect(String(events.at(-1).data.error)).toContain('the model is down');
  });

  it('binds each endpoint to its mode; advanced-chat answers message chunks, message_end, then workflow_finished', async () => {
    const chat = await publishedApp(client, { mode: 'advanced-chat', nodes: [n('start', 'start', { variables: [] }), n('ans', 'answer', { answer: 'you said {{#sys.query#}}' })], edges: [e('start', 'ans')] });
    const wrong = await client.post(`/console/api/apps/${chat.appId}/workflows/draft/run`, { inputs: {} });
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('app_not_found');
    const events = dataEvents(parseSse((await client.post(`/console/api/apps/${chat.appId}/advanced-chat/workflows/draft/run`, { query: 'hi', inputs: {} })).text));
    const names = events.map((ev) => String(ev.event));
    expect(names.indexOf('message')).toBeGreaterThan(names.indexOf('workflow_started'));
    expect(names.indexOf('message_end')).toBeGreaterThan(names.lastIndexOf('message'));
    expect(names.indexOf('workflow_finished')).toBeGreaterThan(names.indexOf('message_end'));
  });
});
