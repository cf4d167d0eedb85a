import { describe, expect, it } from 'vitest';
import { DifyStreamError, DifyUnexpectedResponseError } from '../../src/dify/errors.js';
import { decodeStreamMessage, readEventStream } from '../../src/dify/stream-events.js';
import type { StreamResponse } from '../../src/dify/transport.js';
import { Redactor } from '../../src/secrets/redactor.js';

const WHERE = { method: 'POST', endpoint: '/v1/workflows/run', status: 200 };

function fakeResponse(chunks: string[], onCancel: () => void = () => undefined): StreamResponse {
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield await Promise.resolve(new TextEncoder().encode(chunk));
  }
  return { status: 200, headers: {}, body: body(), cancel: onCancel, method: 'POST', endpoint: '/v1/workflows/run', timeoutMs: 1000 };
}

const transport = { translateStreamError: (error: unknown) => error };

describe('decodeStreamMessage', () => {
  const redactor = new Redactor();

  it('returns the JSON payload with its event name', () => {
    expect(decodeStreamMessage({ event: 'message', data: '{"event":"text_chunk","data":{"text":"a"}}' }, WHERE, redactor)).toEqual({
      event: 'text_chunk',
      data: { text: 'a' },
    });
  });

  it('falls back to the SSE event name when the JSON has none', () => {
    expect(decodeStreamMessage({ event: 'custom', data: '{"x":1}' }, WHERE, redactor)).toEqual({ event: 'custom', x: 1 });
  });

  it('skips pings, in either form', () => {
    expect(decodeStreamMessage({ event: 'ping', data: '' }, WHERE, redactor)).toBeUndefined();
    expect(decodeStreamMessage({ event: 'message', data: '{"event":"ping"}' }, WHERE, redactor)).toBeUndefined();
  });

  it('raises an error event as DifyStreamError with Dify code and status', () => {
    const data = '{"event":"error","message":"Invalid API key sk-err-canary","code":"provider_not_initialize","status":400}';
    const secretful = new Redactor();
    secretful.add('sk-err-canary');
    let caught: unknown;
    try {
      decodeStreamMessage({ event: 'message', data }, WHERE, secretful);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DifyStreamError);
    expect(caught).toMatchObject({ code: 'provider_not_initialize', status: 400 });
    expect((caught as Error).message).toBe('POST /v1/workflows/run → 400 provider_not_initialize: Invalid API key ***');
  });

  it('rejects non-JSON and non-object data', () => {
    expect(() => decodeStreamMessage({ event: 'message', data: 'not json' }, WHERE, redactor)).toThrow(DifyUnexpectedResponseError);
    expect(() => decodeStreamMessage({ event: 'message', data: '[1]' }, WHERE, redactor)).toThrow(DifyUnexpectedResponseError);
  });
});

describe('readEventStream', () => {
  it('yields events across chunk boundaries and treats stream end as done', async () => {
    let cancelled = 0;
    const response = fakeResponse(['data: {"event":"workflow_st', 'arted"}\n\nevent: ping\n\n', 'data: {"event":"workflow_finished"}\n'], () => cancelled++);
    const events = [];
    for await (const event of readEventStream(response, transport, new Redactor())) events.push(event.event);
    expect(events).toEqual(['workflow_started', 'workflow_finished']);
    expect(cancelled).toBe(1);
  });

  it('releases the connection when the consumer stops early', async () => {
    let cancelled = 0;
    const response = fakeResponse(['data: {"event":"a"}\n\n', 'data: {"event":"b"}\n\n'], () => cancelled++);
    for await (const event of readEventStream(response, transport, new Redactor())) {
      expect(event.event).toBe('a');
      break;
    }
    expect(cancelled).toBe(1);
  });

  it('throws on an error event after yielding earlier events', async () => {
    const response = fakeResponse(['data: {"event":"workflow_started"}\n\ndata: {"event":"error","code":"internal_server_error","message":"boom","status":500}\n\n']);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of readEventStream(response, transport, new Redactor())) seen.push(event.event);
      })(),
    ).rejects.toThrow(DifyStreamError);
    expect(seen).toEqual(['workflow_started']);
  });
});
