// The service API (`/v1`, contract §8), keyed by one app API key, over the client's transport.
// Runs are never retried (each would run the app again); reads and stop are. Blocking calls
// return Dify's JSON; streaming calls return the events as an async iterable (stream-events.ts).

import type { Redactor } from '../secrets/redactor.js';
import { defineShape, obj, str, type Shape, type ShapeChecker } from './shapes.js';
import { readEventStream, type DifyStreamEvent } from './stream-events.js';
import type { Transport, TransportRequest } from './transport.js';

export interface ServiceCallOptions {
  /** Overrides the client timeout (headers, and body idle time for streams). Runs can be slow. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ChatInput {
  query: string;
  user: string;
  inputs?: Record<string, unknown>;
  conversation_id?: string;
  files?: readonly unknown[];
  auto_generate_name?: boolean;
  /** advanced-chat: run this published version (≥1.7.2). */
  workflow_id?: string;
}

export interface CompletionInput {
  user: string;
  inputs?: Record<string, unknown>;
  query?: string;
  files?: readonly unknown[];
}

export interface WorkflowRunInput {
  user: string;
  inputs?: Record<string, unknown>;
  files?: readonly unknown[];
  /** Run this published version (`POST /v1/workflows/<id>/run`, ≥1.7.2) instead of the current one. */
  workflowId?: string;
}

export interface MessageAnswer {
  event?: string;
  task_id: string;
  id?: string;
  message_id?: string;
  conversation_id?: string;
  answer: string;
  metadata?: Record<string, unknown>;
  created_at?: number;
}

export interface WorkflowRunData {
  id: string;
  workflow_id?: string;
  /** `succeeded | failed | stopped | partial-succeeded | paused`: a failed run is still HTTP 200. */
  status: string;
  outputs: Record<string, unknown> | null;
  error: string | null;
  elapsed_time?: number;
  total_tokens?: number;
  total_steps?: number;
  created_at?: number;
  finished_at?: number | null;
}

export interface WorkflowRunAnswer {
  task_id: string;
  workflow_run_id: string;
  data: WorkflowRunData;
}

export interface AppInfo {
  name: string;
  description?: string;
  tags?: string[];
  mode?: string;
  author_name?: string;
}

export type StopKind = 'chat' | 'completion' | 'workflow';

export interface ServiceApiClient {
  chat(input: ChatInput, options?: ServiceCallOptions): Promise<MessageAnswer>;
  chatStream(input: ChatInput, options?: ServiceCallOptions): Promise<AsyncIterable<DifyStreamEvent>>;
  completion(input: CompletionInput, options?: ServiceCallOptions): Promise<MessageAnswer>;
  completionStream(input: CompletionInput, options?: ServiceCallOptions): Promise<AsyncIterable<DifyStreamEvent>>;
  runWorkflow(input: WorkflowRunInput, options?: ServiceCallOptions): Promise<WorkflowRunAnswer>;
  runWorkflowStream(input: WorkflowRunInput, options?: ServiceCallOptions): Promise<AsyncIterable<DifyStreamEvent>>;
  /** A run's record; `outputs` is parsed when an older Dify sends it as a JSON string. */
  getWorkflowRun(runId: string): Promise<WorkflowRunData & { inputs?: unknown }>;
  parameters(): Promise<Record<string, unknown>>;
  info(): Promise<AppInfo>;
  stop(kind: StopKind, taskId: string, user: string): Promise<void>;
}

const MESSAGE = defineShape<MessageAnswer>('message answer', obj({ answer: str, task_id: str }));
const RUN_DATA = obj({ id: str, status: str });
const WORKFLOW_RUN = defineShape<WorkflowRunAnswer>('workflow run answer', obj({ task_id: str, workflow_run_id: str, data: RUN_DATA }));
const RUN_RECORD = defineShape<WorkflowRunData & { inputs?: unknown; outputs: unknown }>('workflow run', RUN_DATA);
const OBJECT = defineShape<Record<string, unknown>>('object', { type: 'object' });
const INFO = defineShape<AppInfo>('app info', obj({ name: str }));
const RESULT = defineShape<{ result: string }>('result', obj({ result: str }));

const STOP_PATHS: Record<StopKind, (taskId: string) => string> = {
  chat: (taskId) => `/v1/chat-messages/${taskId}/stop`,
  completion: (taskId) => `/v1/completion-messages/${taskId}/stop`,
  workflow: (taskId) => `/v1/workflows/tasks/${taskId}/stop`,
};

export function createServiceApiClient(deps: {
  transport: Transport;
  shapes: ShapeChecker;
  redactor: Redactor;
  appKey: string;
}): ServiceApiClient {
  const { transport, shapes, redactor } = deps;
  const authorization = `Bearer ${redactor.add(deps.appKey)}`;

  function call(req: TransportRequest, options: ServiceCallOptions = {}): TransportRequest {
    const out: TransportRequest = { ...req, headers: { ...req.headers, authorization } };
    if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
    if (options.signal !== undefined) out.signal = options.signal;
    return out;
  }

  async function blocking<T>(path: string, json: Record<string, unknown>, shape: Shape<T>, options?: ServiceCallOptions): Promise<T> {
    const res = await transport.request(call({ method: 'POST', path, json: { inputs: {}, ...json, response_mode: 'blocking' } }, options));
    return shapes.parse(res, shape);
  }

  async function streaming(path: string, json: Record<string, unknown>, options?: ServiceCallOptions): Promise<AsyncIterable<DifyStreamEvent>> {
    const res = await transport.stream(call({ method: 'POST', path, json: { inputs: {}, ...json, response_mode: 'streaming' } }, options));
    return readEventStream(res, transport, redactor);
  }

  function workflowPath(input: WorkflowRunInput): string {
    return input.workflowId === undefined ? '/v1/workflows/run' : `/v1/workflows/${encodeURIComponent(input.workflowId)}/run`;
  }

  function workflowBody(input: WorkflowRunInput): Record<string, unknown> {
    const { workflowId: _ignored, ...body } = input;
    return body;
  }

  return {
    chat: (input, options) => blocking('/v1/chat-messages', { ...input }, MESSAGE, options),
    chatStream: (input, options) => streaming('/v1/chat-messages', { ...input }, options),
    completion: (input, options) => blocking('/v1/completion-messages', { ...input }, MESSAGE, options),
    completionStream: (input, options) => streaming('/v1/completion-messages', { ...input }, options),
    runWorkflow: (input, options) => blocking(workflowPath(input), workflowBody(input), WORKFLOW_RUN, options),
    runWorkflowStream: (input, options) => streaming(workflowPath(input), workflowBody(input), options),
    async getWorkflowRun(runId) {
      const res = await transport.request(call({ method: 'GET', path: `/v1/workflows/run/${encodeURIComponent(runId)}` }));
      const run = shapes.parse(res, RUN_RECORD);
      return { ...run, outputs: parseMaybeJson(run.outputs) };
    },
    parameters: async () => shapes.parse(await transport.request(call({ method: 'GET', path: '/v1/parameters' })), OBJECT),
    info: async () => shapes.parse(await transport.request(call({ method: 'GET', path: '/v1/info' })), INFO),
    async stop(kind, taskId, user) {
      const path = STOP_PATHS[kind](encodeURIComponent(taskId));
      shapes.parse(await transport.request(call({ method: 'POST', path, json: { user }, idempotent: true })), RESULT);
    },
  };
}

/** ≤1.13 sends run `outputs` as a JSON string; 1.14 as an object. */
function parseMaybeJson(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'string') return (value ?? null) as Record<string, unknown> | null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
