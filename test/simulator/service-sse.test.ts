// Checklist 29–30: SSE framing byte for byte (compact JSON in 1.14, Python json.dumps in 1.0.x),
// pings while a slow run is in flight, no [DONE], envelopes per app family, error events without
// task_id, event order per profile, stop mid-stream; plus the per-profile shapes of /v1 reads.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../../src/simulator/dsl/python-json.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import { type ConsoleClient, startLoggedIn } from '../support/simulator-console.js';
import { chatApp, dataEvents, e, llmWorkflow, n, parseSse, publishedApp, type SseEvent, v1 } from '../support/sim-console.js';

const advancedChat = (answer: string) => ({
  mode: 'advanced-chat' as const,
  nodes: [
    n('start', 'start', { variables: [] }),
    n('llm', 'llm', { model: { provider: 'openai', name: 'gpt-4o' }, prompt_template: [{ role: 'system', text: answer }], memory: { window: { enabled: false } } }),
    n('ans', 'answer', { answer: 'A: {{#llm.text#}}' }),
  ],
  edges: [e('start', 'llm'), e('llm', 'ans')],
});

describe('SSE on the 1.14.1 profile', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ pingIntervalMs: 25 }));
  });
  afterAll(() => sim.close());

  it('workflow: exact framing, compact JSON, pings during a slow node, order and envelope', async () => {
    const { key } = await publishedApp(client, llmWorkflow('SLEEP_MS: 400\nQ: {{#start.q#}}'));
    const res = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'hi' }, user: 'u', response_mode: 'streaming' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = parseSse(res.text);
    expect(res.text).not.toContain('[DONE]');
    for (const frame of frames) if (frame.kind === 'data') expect(frame.raw).toBe(JSON.stringify(frame.json));
    const kinds = frames.map((f) => (f.kind === 'ping' ? 'ping' : `${f.json.event}${f.json.data?.node_id ? `:${f.json.data.node_id}` : ''}`));
    const withoutPings = kinds.filter((k) => k !== 'ping');
    expect(withoutPings).toEqual([
      'workflow_started', 'node_started:start', 'node_finished:start', 'node_started:llm', 'text_chunk', 'node_finished:llm', 'node_started:end', 'node_finished:end', 'workflow_finished',
    ]);
    // The LLM node sleeps 400 ms, pings every 25 ms: pings arrive between its start and finish.
    const llmStart = kinds.indexOf('node_started:llm');
    const llmEnd = kinds.indexOf('node_finished:llm');
    expect(kinds.slice(llmStart, llmEnd)).toContain('ping');
    const events = dataEvents(frames);
    const started = events[0];
    expect(Object.keys(started)).toEqual(['event', 'workflow_run_id', 'task_id', 'data']);
    expect(started.data).toMatchObject({ workflow_id: expect.any(String), inputs: { q: 'hi' }, reason: 'initial' });
    for (const event of events) expect(event.workflow_run_id).toBe(started.workflow_run_id);
    expect(events[4]).toMatchObject({ event: 'text_chunk', data: { text: 'echo: Q: hi', from_variable_selector: ['llm', 'text'] } });
    // prompt "SLEEP_MS: 400\nQ: hi" = 19 chars → 5 tokens; reply "echo: Q: hi" = 11 → 3
    const llmFinished = events[5];
    expect(llmFinished.data).toMatchObject({ status: 'succeeded', outputs: { text: 'echo: Q: hi' }, execution_metadata: { total_tokens: 8, currency: 'USD' } });
    expect(llmFinished.data.elapsed_time).toBeGreaterThanOrEqual(0.3);
    const finished = events.at(-1);
    expect(finished.data).toMatchObject({ status: 'succeeded', outputs: { answer: 'echo: Q: hi' }, total_steps: 3, created_by: { user: 'u' }, exceptions_count: 0 });
  });

  it('a failed workflow ends with workflow_finished status failed and no error event', async () => {
    const { key } = await publishedApp(client, llmWorkflow('FAIL: nope'));
    const events = dataEvents(parseSse((await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u', response_mode: 'streaming' })).text));
    expect(events.at(-1)).toMatchObject({ event: 'workflow_finished', data: { status: 'failed', error: 'nope' } });
    expect(events.find((ev) => ev.event === 'node_finished' && ev.data.node_id === 'llm').data).toMatchObject({ status: 'failed', error: 'nope' });
  });

  it('validation errors come back as plain JSON before any stream', async () => {
    const { key } = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    const res = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: {}, user: 'u', response_mode: 'streaming' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toEqual({ code: 'invalid_param', message: 'q is required in input form', status: 400 });
  });

  it('advanced-chat: chat envelope, message chunks, then message_end before workflow_finished', async () => {
    const { key } = await publishedApp(client, advancedChat('RESPOND: fine'));
    const events = dataEvents(parseSse((await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'q', user: 'u', response_mode: 'streaming' })).text));
    expect(names(events).filter((x) => !x.startsWith('node_'))).toEqual(['workflow_started', 'message', 'message', 'message_end', 'workflow_finished']);
    const [first] = events;
    expect(Object.keys(first).slice(0, 5)).toEqual(['event', 'conversation_id', 'message_id', 'created_at', 'task_id']);
    for (const ev of events) expect([ev.conversation_id, ev.message_id]).toEqual([first.conversation_id, first.message_id]);
    const messages = events.filter((ev) => ev.event === 'message');
    expect(messages.map((m): unknown[] => [m.answer, m.from_variable_selector])).toEqual([['A: ', null], ['fine', ['llm', 'text']]]);
    expect(messages[0].id).toBe(first.message_id);
    const end = events.find((ev) => ev.event === 'message_end');
    expect(end.metadata.usage).toMatchObject({ total_tokens: expect.any(Number), total_price: expect.stringMatching(/^\d+\.\d{7}$/) });
  });

  it('advanced-chat failure: workflow_finished failed, then an error event without task_id', async () => {
    const { key } = await publishedApp(client, advancedChat('FAIL: bad gateway'));
    const events = dataEvents(parseSse((await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'q', user: 'u', response_mode: 'streaming' })).text));
    expect(events.at(-2)).toMatchObject({ event: 'workflow_finished', data: { status: 'failed', error: 'bad gateway' } });
    const error = events.at(-1);
    expect(error).toEqual({ event: 'error', conversation_id: events[0].conversation_id, message_id: events[0].message_id, created_at: events[0].created_at, code: 'invalid_param', message: 'Run failed: bad gateway', status: 400 });
    expect(names(events)).not.toContain('message_end');
  });

  it('chat and completion streams: envelopes, message_end, error events, agent-chat', async () => {
    const chat = await chatApp(client, 'chat', { pre_prompt: 'RESPOND: hello' });
    const chatEvents = dataEvents(parseSse((await v1(sim, chat.key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'q', user: 'u', response_mode: 'streaming' })).text));
    expect(names(chatEvents)).toEqual(['message', 'message_end']);
    expect(chatEvents[0]).toEqual({ event: 'message', conversation_id: expect.any(String), message_id: expect.any(String), created_at: expect.any(Number), task_id: expect.any(String), id: chatEvents[0].message_id, answer: 'hello', from_variable_selector: null });
    const completion = await chatApp(client, 'completion');
    const completionEvents = dataEvents(parseSse((await v1(sim, completion.key, 'POST', '/v1/completion-messages', { inputs: { query: 'x' }, user: 'u', response_mode: 'streaming' })).text));
    expect(Object.keys(completionEvents[0]).slice(0, 3)).toEqual(['event', 'message_id', 'created_at']);
    expect(completionEvents[0]).not.toHaveProperty('conversation_id');
    const failing = await chatApp(client, 'chat', { pre_prompt: 'FAIL: provider says no' });
    const errorEvents = dataEvents(parseSse((await v1(sim, failing.key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'q', user: 'u', response_mode: 'streaming' })).text));
    expect(errorEvents).toHaveLength(1);
    expect(errorEvents[0]).toEqual({ event: 'error', conversation_id: expect.any(String), message_id: expect.any(String), created_at: expect.any(Number), code: 'completion_request_error', message: 'provider says no', status: 400 });
    const agent = await chatApp(client, 'agent-chat', { pre_prompt: 'RESPOND: done' });
    const agentEvents = dataEvents(parseSse((await v1(sim, agent.key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'q', user: 'u', response_mode: 'streaming' })).text));
    expect(names(agentEvents)).toEqual(['agent_thought', 'agent_message', 'agent_thought', 'message_end']);
    expect(agentEvents[1]).toMatchObject({ answer: 'done' });
  });

  it('stop mid-stream: the task id from workflow_started stops the run as stopped', async () => {
    const { appId, key } = await publishedApp(client, llmWorkflow('SLEEP_MS: 30000\n{{#start.q#}}'));
    const res = await fetch(`${sim.url}/v1/workflows/run`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: { q: 'x' }, user: 'u', response_mode: 'streaming' }),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"event":"node_started","workflow_run_id"') || !text.includes('"node_id":"llm"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const taskId = JSON.parse(text.split('\n\n')[0]!.slice('data: '.length)).task_id;
    const stopped = await v1(sim, key, 'POST', `/v1/workflows/tasks/${taskId}/stop`, { user: 'u' });
    expect(stopped.body).toEqual({ result: 'success' });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const events = dataEvents(parseSse(text));
    expect(events.at(-1)).toMatchObject({ event: 'workflow_finished', data: { status: 'stopped', error: 'Stopped by user.' } });
    expect(events.some((ev) => ev.event === 'node_finished' && ev.data.node_id === 'llm')).toBe(false);
    expect(sim.state.runs.find((r) => r.app_id === appId)?.status).toBe('stopped');
  });
});

function names(events: SseEvent[]): string[] {
  return events.map((ev) => String(ev.event));
}

describe.each(['1.0.0', '1.12.1'] as ProfileName[])('older profile %s', (profile) => {
  let sim: Simulator;
  let client: ConsoleClient;
  beforeAll(async () => {
    ({ sim, client } = await startLoggedIn({ profile }));
  });
  afterAll(() => sim.close());

  it('frames SSE per era and orders advanced-chat events per era', async () => {
    const { key } = await publishedApp(client, advancedChat('RESPOND: é'));
    const frames = parseSse((await v1(sim, key, 'POST', '/v1/chat-messages', { inputs: {}, query: 'q', user: 'u', response_mode: 'streaming' })).text);
    const events = dataEvents(frames);
    for (const frame of frames) if (frame.kind === 'data') expect(frame.raw).toBe(profile === '1.0.0' ? pythonJsonDumps(frame.json) : JSON.stringify(frame.json));
    const tail = names(events).filter((x) => x === 'message_end' || x === 'workflow_finished');
    expect(tail).toEqual(profile === '1.0.0' ? ['workflow_finished', 'message_end'] : ['message_end', 'workflow_finished']);
    const started = events[0].data;
    expect(profile === '1.0.0' ? started.sequence_number : started.reason).toBe(profile === '1.0.0' ? 1 : 'initial');
  });

  it('GET /v1/workflows/run/<id>: outputs as a JSON string and 200 nulls for unknown runs', async () => {
    const { key } = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    const run = await v1(sim, key, 'POST', '/v1/workflows/run', { inputs: { q: 'x' }, user: 'u' });
    const detail = await v1(sim, key, 'GET', `/v1/workflows/run/${run.body.workflow_run_id}`);
    expect(detail.body).toMatchObject({ inputs: '{"q": "x"}', outputs: '{"answer": "echo: x"}' });
    const unknown = await v1(sim, key, 'GET', `/v1/workflows/run/${randomUUID()}`);
    expect(unknown.status).toBe(200);
    expect(Object.values(unknown.body).every((v) => v === null)).toBe(true);
  });

  it('run-by-workflow-id and /v1/info fields exist only where the release has them', async () => {
    const { appId, key } = await publishedApp(client, llmWorkflow('{{#start.q#}}'));
    const versionId = sim.state.apps.find((a) => a.id === appId)?.workflow_id;
    const byId = await v1(sim, key, 'POST', `/v1/workflows/${versionId}/run`, { inputs: { q: 'x' }, user: 'u' });
    const info = await v1(sim, key, 'GET', '/v1/info');
    if (profile === '1.0.0') {
      expect(byId.status).toBe(404);
      expect(info.body).toEqual({ name: 'Service test', description: 'd', tags: [] });
    } else {
      expect(byId.body.data.status).toBe('succeeded');
      expect(info.body).toMatchObject({ mode: 'workflow', author_name: 'owner' });
    }
  });
});
