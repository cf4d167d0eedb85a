// Checklist 26–28 and 31: route-versus-mode errors, unpublished apps, blocking response shapes,
// input validation, conversations, stop, the workflow-run detail per profile, the concurrency limit.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn } from '../support/simulator-console.js';
import { chatApp, createKey, e, graphDsl, importApp, llmWorkflow, n, publish, publishedApp, v1 } from '../support/sim-console.js';

const PRICE = /^\d+\.\d{7}$/;

describe('Service API runs (1.14.1)', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn());
  });
  afterAll(() => sim.close());

  it('runs the published workflow in blocking mode with the exact §8.3 shape and records the run', async () => {
    const { appId, key } = await publishedApp(client, llmWorkflow('Q: {{#start.q#}}'));
    const res = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'hello' }, user: 'alice' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(res.body).sort()).toEqual(['data', 'task_id', 'workflow_run_id']);
    expect(Object.keys(res.body.data).sort()).toEqual(['created_at', 'elapsed_time', 'error', 'finished_at', 'id', 'outputs', 'status', 'total_steps', 'total_tokens', 'workflow_id']);
    const app = sim.state.apps.find((a) => a.id === appId);
    // "Q: hello" = 8 chars → 2 tokens; "echo: Q: hello" = 14 chars → 4 tokens
    expect(res.body.data).toMatchObject({ id: res.body.workflow_run_id, workflow_id: app?.workflow_id, status: 'succeeded', outputs: { answer: 'echo: Q: hello' }, error: null, total_tokens: 6, total_steps: 3 });
    expect(res.body.data.elapsed_time).toBeTypeOf('number');
    const run = sim.state.runs.find((r) => r.id === res.body.workflow_run_id);
    expect(run).toMatchObject({ app_id: appId, status: 'succeeded', triggered_from: 'app-run', created_by_role: 'end_user', created_by_session: 'alice', inputs: { q: 'hello' } });
  });

  it('a failed run is still HTTP 200 with status failed', async () => {
    const { key } = await publishedApp(client, llmWorkflow('FAIL: upstream exploded {{#start.q#}}'));
    const res = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'failed', error: 'upstream exploded x', outputs: {} });
  });

  it('unpublished: run gives Workflow not published, parameters gives app_unavailable; publish fixes both', async () => {
    const appId = await importApp(client, graphDsl(llmWorkflow('{{#start.q#}}')));
    const key = await createKey(client, appId);
    const run = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u' });
    expect(run.status).toBe(400);
    expect(run.body).toEqual({ code: 'invalid_param', message: 'Workflow not published', status: 400 });
    const params = await v1(sim, key, 'GET', '/v1/parameters');
    expect(params.status).toBe(400);
    expect(params.body).toEqual({ code: 'app_unavailable', message: 'App unavailable, please check your app configurations.', status: 400 });
    await publish(client, appId);
    expect((await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u' })).body.data.status).toBe('succeeded');
    const after = await v1(sim, key, 'GET', '/v1/parameters');
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      opening_statement: 'Hello!',
      user_input_form: [{ 'text-input': { variable: 'q', label: 'Q', type: 'text-input', required: true, max_length: 48 } }],
      system_parameters: { image_file_size_limit: 10, video_file_size_limit: 100, audio_file_size_limit: 50, file_size_limit: 15, workflow_file_upload_limit: 10 },
    });
  });

  it('runs the published version, not later draft edits', async () => {
    const options = llmWorkflow('RESPOND: v1');
    const { appId, key } = await publishedApp(client, options);
    const draft = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    const graph = structuredClone(draft.body.graph);
    graph.nodes[1].data.prompt_template = [{ role: 'user', text: 'RESPOND: v2' }];
    expect((await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph, features: draft.body.features, hash: draft.body.hash, environment_variables: [], conversation_variables: [] })).status).toBe(200);
    const run = async (): Promise<string> => String((await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u' })).body.data.outputs.answer);
    expect(await run()).toBe('v1');
    await publish(client, appId);
    expect(await run()).toBe('v2');
  });

  it('validates inputs with Dify messages before running', async () => {
    const { key } = await publishedApp(client, llmWorkflow('{{#start.q#}}', { maxLength: 5 }));
    const cases: [unknown, number, string][] = [
      [{}, 400, 'q is required in input form'],
      [{ q: 'too long!' }, 400, 'q in input form must be less than 5 characters'],
      [{ q: 7 }, 400, "(type 'text-input') q in input form must be a string"],
    ];
    for (const [inputs, status, message] of cases) {
      const res = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs, user: 'u' });
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ code: 'invalid_param', message, status });
    }
    const missingInputs = await v1(sim, key, 'POST', '/v1/workflows/run', { user: 'u' });
    expect(missingInputs.status).toBe(400);
    expect(missingInputs.body.code).toBe('invalid_param');
    expect(missingInputs.body.message).toContain('inputs\n  Field required');
  });

  it('route-versus-mode errors', async () => {
    const workflow = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    const chat = await chatApp(client, 'chat');
    const completion = await chatApp(client, 'completion');
    const agent = await chatApp(client, 'agent-chat');
    const call = (key: string, path: string, body: Record<string, unknown>) => v1(sim, key, 'POST', path, { inputs: {}, user: 'u', ...body });
    expect((await call(workflow.key, '/v1/chat-messages', { query: 'q' })).body).toMatchObject({ code: 'not_chat_app', status: 400 });
    expect((await call(chat.key, '/v1/workflows/run', {})).body).toMatchObject({ code: 'not_workflow_app', status: 400 });
    expect((await call(chat.key, '/v1/completion-messages', {})).body).toMatchObject({ code: 'app_unavailable', status: 400 });
    expect((await call(completion.key, '/v1/chat-messages', { query: 'q' })).body).toMatchObject({ code: 'not_chat_app', status: 400 });
    const blockingAgent = await call(agent.key, '/v1/chat-messages', { query: 'q', response_mode: 'blocking' });
    expect(blockingAgent.status).toBe(400);
    expect(blockingAgent.body).toEqual({ code: 'invalid_param', message: 'Agent Chat App does not support blocking mode', status: 400 });
    expect((await v1(sim, chat.key, 'GET', `/v1/workflows/run/${randomUUID()}`)).body).toMatchObject({ code: 'not_workflow_app' });
  });

  it('chat blocking: message shape with decimal-string prices, conversations and completion', async () => {
    const { key } = await chatApp(client, 'chat', { pre_prompt: 'You are {{persona}}.', user_input_form: [{ 'text-input': { variable: 'persona', label: 'P', required: true } }] });
    const first = await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: { persona: 'kind' }, query: 'hi there', user: 'bob' });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['answer', 'conversation_id', 'created_at', 'event', 'id', 'message_id', 'metadata', 'mode', 'task_id']);
    expect(first.body).toMatchObject({ event: 'message', mode: 'chat', answer: 'echo: hi there' });
    expect(first.body.id).toBe(first.body.message_id);
    const usage = first.body.metadata.usage;
    expect(first.body.metadata).toMatchObject({ annotation_reply: null, retriever_resources: [] });
    // "You are kind.\nhi there" = 22 chars → 6 tokens; "echo: hi there" = 14 → 4
    expect(usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 4, total_tokens: 10, currency: 'USD', prompt_unit_price: '0.001', prompt_price: '0.0000060', completion_price: '0.0000080', total_price: '0.0000140' });
    for (const field of ['prompt_price', 'completion_price', 'total_price']) expect(usage[field]).toMatch(PRICE);
    expect(usage.latency).toBeTypeOf('number');
    const again = await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: { persona: 'kind' }, query: 'more', user: 'bob', conversation_id: first.body.conversation_id });
    expect(again.body.conversation_id).toBe(first.body.conversation_id);
    const otherUser = await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: { persona: 'kind' }, query: 'q', user: 'eve', conversation_id: first.body.conversation_id });
    expect(otherUser.status).toBe(404);
    expect(otherUser.body).toEqual({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });
    const badId = await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: { persona: 'kind' }, query: 'q', user: 'bob', conversation_id: 'nope' });
    expect(badId.status).toBe(400);
    expect(badId.body.message).toContain('conversation_id must be a valid UUID');
    const failing = await chatApp(client, 'chat', { pre_prompt: 'FAIL: model is down' });
    const failed = await v1(sim, failing.key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'q', user: 'bob' });
    expect(failed.status).toBe(400);
    expect(failed.body).toEqual({ code: 'completion_request_error', message: 'model is down', status: 400 });
    const completion = await chatApp(client, 'completion');
    const done = await v1(sim, completion.key, 'POST', '/v1/completion-messages', { inputs: { query: 'translate me' }, user: 'bob' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ event: 'message', mode: 'completion', answer: 'echo: translate me' });
    expect(done.body).not.toHaveProperty('conversation_id');
  });

  it('advanced-chat keeps conversation variables across messages and fails blocking runs as 400', async () => {
    const dsl = {
      mode: 'advanced-chat' as const,
      conversationVariables: [{ id: randomUUID(), name: 'turns', value_type: 'number', value: 0, description: '', selector: ['conversation', 'turns'] }],
      nodes: [
        n('start', 'start', { variables: [] }),
        n('as', 'assigner', { version: '2', items: [{ variable_selector: ['conversation', 'turns'], operation: '+=', input_type: 'constant', value: 1 }] }),
        n('ans', 'answer', { answer: 'turn {{#conversation.turns#}}: {{#sys.query#}}' }),
      ],
      edges: [e('start', 'as'), e('as', 'ans')],
    };
    const { key } = await publishedApp(client, dsl);
    const first = await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'a', user: 'u' });
    expect(first.body).toMatchObject({ event: 'message', mode: 'advanced-chat', answer: 'turn 1: a' });
    const second = await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'b', user: 'u', conversation_id: first.body.conversation_id });
    expect(second.body.answer).toBe('turn 2: b');
    const fresh = await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'c', user: 'u' });
    expect(fresh.body.answer).toBe('turn 1: c');
    const broken = await publishedApp(client, { ...dsl, nodes: [n('start', 'start', { variables: [] }), n('ans', 'answer', { answer: '{{#sys.query#}}' }), n('x', 'mystery')], edges: [e('start', 'x'), e('x', 'ans')] });
    const failed = await v1(sim, broken.key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'a', user: 'u' });
    expect(failed.status).toBe(400);
    expect(failed.body).toEqual({ code: 'invalid_param', message: "Run failed: Node type 'mystery' is not supported by the simulator", status: 400 });
  });

  it('runs a specific published version by workflow id (≥1.7.2) with Dify errors for bad ids', async () => {
    const { appId, key } = await publishedApp(client, llmWorkflow('RESPOND: first'));
    const firstVersion = sim.state.apps.find((a) => a.id === appId)?.workflow_id;
    const draft = await client.get(`/console/api/apps/${appId}/workflows/draft`);
    const graph = structuredClone(draft.body.graph);
    graph.nodes[1].data.prompt_template = [{ role: 'user', text: 'RESPOND: second' }];
    await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph, features: draft.body.features, hash: draft.body.hash });
    await publish(client, appId);
    const byId = await v1(sim, key, 'POST', `/v1/workflows/${firstVersion}/run`, { inputs: { q: 'x' }, user: 'u' });
    expect(byId.body.data).toMatchObject({ workflow_id: firstVersion, outputs: { answer: 'first' } });
    expect((await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u' })).body.data.outputs.answer).toBe('second');
    const bad = await v1(sim, key, 'POST', '/v1/workflows/not-a-uuid/run', { inputs: { q: 'x' }, user: 'u' });
    expect(bad.body).toEqual({ code: 'bad_request', message: "Invalid workflow_id format: 'not-a-uuid'. ", status: 400 });
    const missing = randomUUID();
    expect((await v1(sim, key, 'POST', `/v1/workflows/${missing}/run`, { inputs: { q: 'x' }, user: 'u' })).body).toEqual({ code: 'not_found', message: `Workflow not found with id: ${missing}`, status: 404 });
    const draftId = sim.state.workflows.find((w) => w.app_id === appId && w.version === 'draft')?.id;
    const draftRun = await v1(sim, key, 'POST', `/v1/workflows/${draftId}/run`, { inputs: { q: 'x' }, user: 'u' });
    expect(draftRun.status).toBe(400);
    expect(draftRun.body.code).toBe('bad_request');
    expect(draftRun.body.message).toMatch(/^Cannot use draft workflow version/);
  });

  it('GET /v1/workflows/run/<id>: inputs as a JSON string, outputs as an object, 404 when unknown', async () => {
    const { key } = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    const run = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'é' }, user: 'u' });
    const detail = await v1(sim, key, 'GET', `/v1/workflows/run/${run.body.workflow_run_id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: run.body.workflow_run_id, status: 'succeeded', inputs: '{"q": "\\u00e9"}', outputs: { answer: 'echo: é' }, total_steps: 3 });
    const unknown = await v1(sim, key, 'GET', `/v1/workflows/run/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ code: 'not_found', message: 'Workflow run not found.', status: 404 });
  });

  it('GET /v1/info lists tag names, mode and author', async () => {
    const { appId, key } = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    const tag = await client.post('/console/api/tags', { name: 'prod', type: 'app' });
    await client.post('/console/api/tag-bindings', { tag_ids: [tag.body.id], target_id: appId, type: 'app' });
    const info = await v1(sim, key, 'GET', '/v1/info');
    expect(info.body).toEqual({ name: 'Service test', description: 'd', tags: ['prod'], mode: 'workflow', author_name: 'owner' });
  });

  it('enforces max_active_requests with 400 invalid_param while a slow run is in flight', async () => {
    const { appId, key } = await publishedApp(client, llmWorkflow('SLEEP_MS: 600\n{{#start.q#}}'));
    const app = sim.state.apps.find((a) => a.id === appId);
    if (!app) throw new Error('app missing');
    app.max_active_requests = 1;
    const slow = v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'a' }, user: 'u' });
    // Wait until the first request holds the slot (its run is recorded as running).
    while (!sim.state.runs.some((r) => r.app_id === appId && r.status === 'running')) await new Promise((r) => setTimeout(r, 10));
    const second = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'b' }, user: 'u' });
    expect(second.status).toBe(400);
    expect(second.body).toEqual({
      code: 'invalid_param',
      message: `Too many requests. Please try again later. The current maximum concurrent requests allowed for ${appId} is 1.`,
      status: 400,
    });
    expect((await slow).body.data.status).toBe('succeeded');
    expect((await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'c' }, user: 'u' })).status).toBe(200);
  });

  it('stop endpoints: user required, mode checked, unknown tasks still succeed', async () => {
    const workflow = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    const chat = await chatApp(client, 'chat');
    expect((await v1(sim, workflow.key, 'POST', `/v1/workflows/tasks/${randomUUID()}/stop`, { user: 'u' })).body).toEqual({ result: 'success' });
    expect((await v1(sim, workflow.key, 'POST', '/v1/workflows/tasks/x/stop', {})).body.message).toBe('Arg user must be provided.');
    expect((await v1(sim, chat.key, 'POST', '/v1/workflows/tasks/x/stop', { user: 'u' })).body.code).toBe('not_workflow_app');
    expect((await v1(sim, chat.key, 'POST', '/v1/chat-messages/x/stop', { user: 'u' })).body).toEqual({ result: 'success' });
    expect((await v1(sim, chat.key, 'POST', '/v1/completion-messages/x/stop', { user: 'u' })).body.code).toBe('app_unavailable');
  });
});
