// The service-API client over a real socket: blocking answers, SSE streams written in awkward
// chunks, an error event mid-stream, errors before streaming, no retry of runs, and the app key
// kept out of messages. (Against the simulator: client-service-simulator.test.ts.)
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDifyClient, type DifyClient } from '../../src/dify/index.js';
import { DifyApiError, DifyAuthError, DifyStreamError, DifyUnavailableError } from '../../src/dify/errors.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { sendJson, startScriptedServer, type Handler, type ScriptedServer } from '../support/scripted-http-server.js';

const KEY = 'app-CanaryKey0123456789abcd';
let server: ScriptedServer | undefined;
let client: DifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

async function start(handler: Handler): Promise<ReturnType<DifyClient['service']>> {
  server = await startScriptedServer(handler);
  client = createDifyClient({
    baseUrl: server.url,
    auth: { kind: 'password', email: 'x@y.z', password: 'unused-password' },
    redactor: new Redactor(),
    timeoutMs: 2_000,
    sleep: () => Promise.resolve(),
  });
  return client.service(KEY);
}

/** Writes an SSE body in pieces with pauses, splitting inside a multibyte character and a CRLF. */
function streamInPieces(res: ServerResponse, text: string, cuts: number[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  const bytes = Buffer.from(text, 'utf8');
  const bounds = [0, ...cuts, bytes.length];
  let i = 0;
  const next = (): void => {
    if (i >= bounds.length - 1) return void res.end();
    res.write(bytes.subarray(bounds[i], bounds[i + 1]));
    i++;
    setTimeout(next, 5);
  };
  next();
}

describe('service API client', () => {
  it('sends a blocking chat with the app key and user', async () => {
    const svc = await start((_req, res) =>
      sendJson(res, 200, { event: 'message', task_id: 't', id: 'm', message_id: 'm', conversation_id: 'c', mode: 'chat', answer: 'hi', metadata: {}, created_at: 1 }),
    );
    const answer = await svc.chat({ query: 'hello', user: 'u-1' });
    expect(answer).toMatchObject({ answer: 'hi', conversation_id: 'c' });
    const [req] = server!.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/v1/chat-messages' });
    expect(req!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(req!.body)).toEqual({ inputs: {}, query: 'hello', user: 'u-1', response_mode: 'blocking' });
  });

  it('streams workflow events split at awkward byte boundaries, skipping pings', async () => {
    const text =
      'data: {"event":"workflow_started","workflow_run_id":"r","data":{"id":"r"}}\r\n\r\n' +
      'event: ping\r\n\r\n' +
      'data: {"event":"text_chunk","data":{"text":"héllo 👋"}}\n\n' +
      'data: {"event":"workflow_finished","data":{"status":"succeeded","outputs":{"x":1}}}\n\n';
    const emoji = Buffer.from(text).indexOf(Buffer.from('👋'));
    const crlf = Buffer.from(text).indexOf('\r\n');
    const svc = await start((_req, res) => streamInPieces(res, text, [crlf + 1, emoji + 2, emoji + 3]));
    const events = [];
    for await (const event of await svc.runWorkflowStream({ user: 'u', inputs: { q: 1 } })) events.push(event);
    expect(events.map((e) => e.event)).toEqual(['workflow_started', 'text_chunk', 'workflow_finished']);
    expect(events[1]).toMatchObject({ data: { text: 'héllo 👋' } });
    expect(JSON.parse(server!.requests[0]!.body)).toMatchObject({ response_mode: 'streaming', inputs: { q: 1 } });
  });

  it('raises an error event as DifyStreamError after the earlier events', async () => {
    const svc = await start((_req, res) =>
      streamInPieces(res, 'data: {"event":"message","answer":"a"}\n\ndata: {"event":"error","code":"completion_request_error","message":"model failed","status":400}\n\n', []),
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of await svc.chatStream({ query: 'q', user: 'u' })) seen.push(event.event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['message']);
    expect(error).toBeInstanceOf(DifyStreamError);
    expect((error as Error).message).toBe('POST /v1/chat-messages → 400 completion_request_error: model failed');
  });

  it('gives errors raised before streaming as normal HTTP errors', async () => {
    const svc = await start((_req, res) => sendJson(res, 400, { code: 'invalid_param', message: 'Workflow not published', status: 400 }));
    const error = await svc.runWorkflowStream({ user: 'u' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyApiError);
    expect((error as Error).message).toBe('POST /v1/workflows/run → 400 invalid_param: Workflow not published');
  });

  it('never retries a run, but retries reads', async () => {
    const svc = await start((req, res, index) => {
      if (req.method === 'POST') return sendJson(res, 500, { code: 'internal_server_error', message: 'boom', status: 500 });
      if (index < 2) return sendJson(res, 502, {});
      sendJson(res, 200, { name: 'app', tags: [] });
    });
    await expect(svc.runWorkflow({ user: 'u' })).rejects.toBeInstanceOf(DifyUnavailableError);
    expect(server!.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    await expect(svc.info()).resolves.toMatchObject({ name: 'app' });
    expect(server!.requests.filter((r) => r.url === '/v1/info')).toHaveLength(2);
  });

  it('runs a specific version and parses string outputs of older run records', async () => {
    const svc = await start((req, res) => {
      if (req.url === '/v1/workflows/wf-1/run') {
        return sendJson(res, 200, { task_id: 't', workflow_run_id: 'r', data: { id: 'r', status: 'failed', outputs: null, error: 'node x failed' } });
      }
      sendJson(res, 200, { id: 'r', status: 'succeeded', outputs: '{"answer": 42}', inputs: '{"q": 1}', error: null });
    });
    const run = await svc.runWorkflow({ user: 'u', workflowId: 'wf-1' });
    // A failed run is still HTTP 200: a result, not an error.
    expect(run.data).toMatchObject({ status: 'failed', error: 'node x failed' });
    expect(JSON.parse(server!.requests[0]!.body)).toEqual({ inputs: {}, user: 'u', response_mode: 'blocking' });
    expect((await svc.getWorkflowRun('r')).outputs).toEqual({ answer: 42 });
  });

  it('stops a task and keeps the app key out of auth errors', async () => {
    const svc = await start((req, res) => {
      if (req.url.endsWith('/stop')) return sendJson(res, 200, { result: 'success' });
      sendJson(res, 401, { code: 'unauthorized', message: `Access token is invalid: ${KEY}`, status: 401 });
    });
    await svc.stop('workflow', 'task-1', 'u');
    expect(server!.requests[0]).toMatchObject({ url: '/v1/workflows/tasks/task-1/stop', body: '{"user":"u"}' });
    const error = await svc.parameters().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyAuthError);
    expect((error as Error).message).toBe('GET /v1/parameters → 401 unauthorized: Access token is invalid: ***');
  });

  it('times out a stream that goes silent', async () => {
    const svc = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"event":"workflow_started"}\n\n');
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of await svc.runWorkflowStream({ user: 'u' }, { timeoutMs: 200 })) seen.push(event.event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['workflow_started']);
    expect(error).toBeInstanceOf(DifyUnavailableError);
    expect((error as Error).message).toBe('POST /v1/workflows/run → timeout: response body stalled for longer than the 200 ms timeout');
  });
});
