// Folds a service-API event stream (contract §8.4) into what a blocking call would have answered,
// handing each answer chunk to `onChunk` the moment it arrives. Event order differs across
// Dify versions (workflow_finished before or after message_end), so nothing here relies on it.
// An `error` event is kept, not thrown: after a failed workflow_finished it only repeats the
// failure (advanced-chat), and the caller decides.

import { DifyApiError, type DifyStreamEvent } from '../dify/index.js';
import type { RunIds, TokenUsage } from './types.js';

export interface StreamFold {
  answer?: string;
  outputs?: Record<string, unknown> | null;
  /** From workflow_finished. */
  runStatus?: string;
  runError?: string | null;
  usage?: TokenUsage;
  /** message_end arrived. */
  ended: boolean;
  ids: RunIds;
  /** An `error` event or a broken stream, after the events before it were folded. */
  streamError?: DifyApiError;
}

const CHUNK_EVENTS = new Set(['message', 'agent_message']);

export async function foldStream(events: AsyncIterable<DifyStreamEvent>, onChunk: (text: string) => void): Promise<StreamFold> {
  const fold: StreamFold = { ended: false, ids: {} };
  try {
    for await (const event of events) foldEvent(fold, event, onChunk);
  } catch (error) {
    if (!(error instanceof DifyApiError)) throw error;
    fold.streamError = error;
  }
  return fold;
}

function foldEvent(fold: StreamFold, event: DifyStreamEvent, onChunk: (text: string) => void): void {
  collectIds(fold.ids, event);
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (CHUNK_EVENTS.has(event.event) && typeof event.answer === 'string') {
    fold.answer = (fold.answer ?? '') + event.answer;
    if (event.answer !== '') onChunk(event.answer);
  } else if (event.event === 'message_replace' && typeof event.answer === 'string') {
    // Moderation replaced the whole answer; chunks already handed out cannot be taken back.
    fold.answer = event.answer;
  } else if (event.event === 'text_chunk' && typeof data.text === 'string') {
    if (data.text !== '') onChunk(data.text);
  } else if (event.event === 'message_end') {
    fold.ended = true;
    const usage = usageOf(event.metadata as Record<string, unknown> | undefined);
    if (usage) fold.usage ??= usage;
  } else if (event.event === 'workflow_finished') {
    fold.runStatus = typeof data.status === 'string' ? data.status : 'unknown';
    fold.runError = typeof data.error === 'string' ? data.error : null;
    if (typeof data.total_tokens === 'number') fold.usage = { ...fold.usage, total: data.total_tokens };
    fold.outputs = (data.outputs as Record<string, unknown> | null | undefined) ?? null;
    if (typeof data.workflow_id === 'string') fold.ids.workflowId = data.workflow_id;
  }
}

/** Token counts from a message's `metadata.usage` (blocking answer or message_end). */
export function usageOf(metadata: Record<string, unknown> | undefined): TokenUsage | null {
  const usage = metadata?.usage as { total_tokens?: unknown; prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
  if (typeof usage?.total_tokens !== 'number') return null;
  return {
    total: usage.total_tokens,
    ...(typeof usage.prompt_tokens === 'number' ? { prompt: usage.prompt_tokens } : {}),
    ...(typeof usage.completion_tokens === 'number' ? { completion: usage.completion_tokens } : {}),
  };
}

function collectIds(ids: RunIds, event: DifyStreamEvent): void {
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (typeof event.task_id === 'string') ids.taskId ??= event.task_id;
  if (typeof event.message_id === 'string' && event.message_id !== '') ids.messageId ??= event.message_id;
  if (typeof event.conversation_id === 'string' && event.conversation_id !== '') ids.conversationId ??= event.conversation_id;
  if (typeof event.workflow_run_id === 'string') ids.workflowRunId ??= event.workflow_run_id;
  if (event.event === 'workflow_started' && typeof data.workflow_id === 'string') ids.workflowId ??= data.workflow_id;
}
