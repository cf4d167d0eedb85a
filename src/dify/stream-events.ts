// Turns a streamed SSE body into Dify events (contract §8.4): `data:` JSON objects, pings
// skipped, an `error` event raised as DifyStreamError, no end marker (the stream closing is the
// end). The decoding step is pure; the reader only adds the body iteration and cleanup.

import type { Redactor } from '../secrets/redactor.js';
import { createUnexpectedResponseError } from './error-translation.js';
import { DifyApiError, DifyStreamError } from './errors.js';
import { createSseParser, type SseMessage } from './sse.js';
import type { StreamResponse, Transport } from './transport.js';

/** One Dify stream event: `event` plus its payload (`task_id`, `data`, `answer`, …). */
export interface DifyStreamEvent {
  event: string;
  [field: string]: unknown;
}

export interface StreamWhere {
  method: string;
  endpoint: string;
  status: number;
}

/** Decodes one SSE message; undefined for pings and empty frames. Throws for `error` events. */
export function decodeStreamMessage(message: SseMessage, where: StreamWhere, redactor: Redactor): DifyStreamEvent | undefined {
  if (message.event === 'ping' || message.data.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.data);
  } catch {
    throw createUnexpectedResponseError({ ...where, problem: `stream event is not JSON: ${message.data.slice(0, 80)}` }, redactor);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw createUnexpectedResponseError({ ...where, problem: `stream event is not an object: ${message.data.slice(0, 80)}` }, redactor);
  }
  const payload = parsed as Record<string, unknown>;
  const event = typeof payload.event === 'string' ? payload.event : message.event;
  if (event === 'ping') return undefined;
  if (event === 'error') {
    throw new DifyStreamError({
      method: where.method,
      endpoint: where.endpoint,
      status: typeof payload.status === 'number' ? payload.status : where.status,
      code: typeof payload.code === 'string' ? payload.code : 'stream_error',
      detail: redactor.redact(typeof payload.message === 'string' ? payload.message : 'error event without a message'),
      body: redactor.redactDeep(payload),
    });
  }
  return { ...payload, event };
}

/** Reads the events of a streamed response; breaking out of the loop closes the connection. */
export async function* readEventStream(
  response: StreamResponse,
  transport: Pick<Transport, 'translateStreamError'>,
  redactor: Redactor,
): AsyncGenerator<DifyStreamEvent, void, undefined> {
  const parser = createSseParser();
  const where: StreamWhere = { method: response.method, endpoint: response.endpoint, status: response.status };
  try {
    for await (const chunk of response.body) {
      for (const message of parser.push(chunk)) {
        const event = decodeStreamMessage(message, where, redactor);
        if (event !== undefined) yield event;
      }
    }
    for (const message of parser.end()) {
      const event = decodeStreamMessage(message, where, redactor);
      if (event !== undefined) yield event;
    }
  } catch (error) {
    if (error instanceof DifyApiError) throw error;
    throw transport.translateStreamError(error, response);
  } finally {
    response.cancel();
  }
}
