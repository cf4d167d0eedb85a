// SSE payloads of workflow and advanced-chat runs (contract §8.4), built from engine events.
// Envelopes: workflow → {event, workflow_run_id, task_id, …}; advanced-chat → {event,
// conversation_id, message_id, created_at, task_id, …}. Error events carry no task_id.
// The 1.0.x profile adds the fields that era had (sequence_number, parallel_* keys).

import type { EngineEvent } from '../engine/types.js';
import { totalPrice, usageMetadata } from '../engine/usage.js';
import type { TokenUsage } from '../engine/types.js';

export interface StreamIds {
  family: 'workflow' | 'advanced-chat';
  taskId: string;
  runId: string;
  workflowId: string;
  messageId: string;
  conversationId: string;
  createdAt: number;
  /** 1.0.x payload fields (sequence_number, parallel_*). */
  legacy: boolean;
}

type Payload = Record<string, unknown>;
type NodeStarted = Extract<EngineEvent, { type: 'node_started' }>;
type NodeFinished = Extract<EngineEvent, { type: 'node_finished' }>;

function wrap(ids: StreamIds, event: string, payload: Payload): Payload {
  if (ids.family === 'workflow') return { event, workflow_run_id: ids.runId, ...payload };
  return { event, conversation_id: ids.conversationId, message_id: ids.messageId, created_at: ids.createdAt, ...payload };
}

function runPayload(ids: StreamIds, data: Payload): Payload {
  return { task_id: ids.taskId, workflow_run_id: ids.runId, data };
}

const LEGACY_PARALLEL = { parallel_id: null, parallel_start_node_id: null, parent_parallel_id: null, parent_parallel_start_node_id: null };

export function workflowStarted(ids: StreamIds, inputs: Payload, sequenceNumber: number): Payload {
  const data: Payload = { id: ids.runId, workflow_id: ids.workflowId, inputs, created_at: ids.createdAt };
  if (ids.legacy) data.sequence_number = sequenceNumber;
  else data.reason = 'initial';
  return wrap(ids, 'workflow_started', runPayload(ids, data));
}

export function nodeStarted(ids: StreamIds, ev: NodeStarted, executionId: string, createdAt: number): Payload {
  const data: Payload = {
    id: executionId,
    node_id: ev.nodeId,
    node_type: ev.nodeType,
    title: ev.title,
    index: ev.index,
    predecessor_node_id: ev.predecessorNodeId,
    inputs: ev.inputs,
    inputs_truncated: false,
    created_at: createdAt,
    extras: {},
    iteration_id: null,
    loop_id: null,
    agent_strategy: null,
    ...(ids.legacy ? LEGACY_PARALLEL : {}),
  };
  return wrap(ids, 'node_started', runPayload(ids, data));
}

function executionMetadata(usage: TokenUsage): Payload {
  if (usage.totalTokens === 0) return {};
  return { total_tokens: usage.totalTokens, total_price: totalPrice(usage), currency: 'USD' };
}

export function nodeFinished(ids: StreamIds, ev: NodeFinished, executionId: string, createdAt: number, finishedAt: number, elapsed: number): Payload {
  const data: Payload = {
    id: executionId,
    node_id: ev.nodeId,
    node_type: ev.nodeType,
    title: ev.title,
    index: ev.index,
    predecessor_node_id: ev.predecessorNodeId,
    inputs: ev.inputs,
    inputs_truncated: false,
    process_data: null,
    process_data_truncated: false,
    outputs: ev.outputs,
    outputs_truncated: false,
    status: ev.status,
    error: ev.error,
    elapsed_time: elapsed,
    execution_metadata: executionMetadata(ev.usage),
    created_at: createdAt,
    finished_at: finishedAt,
    files: [],
    iteration_id: null,
    loop_id: null,
    ...(ids.legacy ? LEGACY_PARALLEL : {}),
  };
  return wrap(ids, 'node_finished', runPayload(ids, data));
}

export function textChunk(ids: StreamIds, text: string, selector: string[]): Payload {
  return wrap(ids, 'text_chunk', runPayload(ids, { text, from_variable_selector: selector }));
}

export function message(ids: StreamIds, answer: string, selector: string[] | null): Payload {
  return wrap(ids, 'message', { task_id: ids.taskId, id: ids.messageId, answer, from_variable_selector: selector });
}

export function messageMetadata(usage: TokenUsage, latencySeconds: number): Payload {
  return { annotation_reply: null, retriever_resources: [], usage: usageMetadata(usage, latencySeconds) };
}

export function messageEnd(ids: StreamIds, usage: TokenUsage, latencySeconds: number): Payload {
  return wrap(ids, 'message_end', { task_id: ids.taskId, id: ids.messageId, metadata: messageMetadata(usage, latencySeconds), files: [] });
}

export interface FinishedData {
  status: string;
  outputs: Payload;
  error: string | null;
  elapsedTime: number;
  totalTokens: number;
  totalSteps: number;
  createdBy: Payload;
  finishedAt: number;
  exceptionsCount: number;
}

export function workflowFinished(ids: StreamIds, f: FinishedData): Payload {
  return wrap(
    ids,
    'workflow_finished',
    runPayload(ids, {
      id: ids.runId,
      workflow_id: ids.workflowId,
      status: f.status,
      outputs: f.outputs,
      error: f.error,
      elapsed_time: f.elapsedTime,
      total_tokens: f.totalTokens,
      total_steps: f.totalSteps,
      created_by: f.createdBy,
      created_at: ids.createdAt,
      finished_at: f.finishedAt,
      exceptions_count: f.exceptionsCount,
      files: [],
    }),
  );
}

/** `{event:"error", <envelope ids>, code, message, status}` — no task_id (§8.4). */
export function errorEvent(ids: StreamIds, code: string, messageText: string, status: number): Payload {
  const envelope =
    ids.family === 'workflow'
      ? { event: 'error', workflow_run_id: ids.runId }
      : { event: 'error', conversation_id: ids.conversationId, message_id: ids.messageId, created_at: ids.createdAt };
  return { ...envelope, code, message: messageText, status };
}
