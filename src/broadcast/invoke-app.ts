// Calls one app once through the service API, on the endpoint its mode requires (contract §8.2):
// workflow → /v1/workflows/run, chat / advanced-chat / agent-chat → /v1/chat-messages (agent-chat
// streams: it has no blocking mode), completion → /v1/completion-messages. Never throws: every
// outcome, a timeout included, becomes an Invocation. Shared by `broadcast` and `run`.

import { DifyApiError, DifyUnavailableError, type ServiceApiClient, type ServiceCallOptions } from '../dify/index.js';
import { foldStream, usageOf, type StreamFold } from './fold-stream.js';
import type { AppRequest, Invocation, RunIds } from './types.js';

export const DEFAULT_USER = 'dify-gitops';

export interface InvokeOptions {
  /** Use the streaming endpoint (always for agent-chat). */
  stream: boolean;
  /** Per call: the whole call, stream included, must finish within this. */
  timeoutMs: number;
  /** Streaming: each answer chunk as it arrives (`message`, `agent_message`, `text_chunk`). */
  onChunk?: (text: string) => void;
  /** Monotonic milliseconds; default performance.now. */
  clock?: () => number;
}

type Observed = Omit<Invocation, 'latencyMs' | 'firstChunkMs'>;

export async function invokeApp(service: ServiceApiClient, mode: string, request: AppRequest, options: InvokeOptions): Promise<Invocation> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const signal = AbortSignal.timeout(options.timeoutMs);
  const call: ServiceCallOptions = { timeoutMs: options.timeoutMs, signal };
  let firstChunkAt: number | undefined;
  const onChunk = (text: string): void => {
    firstChunkAt ??= clock();
    options.onChunk?.(text);
  };
  const timing = (): Pick<Invocation, 'latencyMs' | 'firstChunkMs'> => ({
    latencyMs: clock() - started,
    ...(firstChunkAt === undefined ? {} : { firstChunkMs: firstChunkAt - started }),
  });
  try {
    const observed = await withDeadline(callByMode(service, mode, request, options.stream, call, onChunk), signal, options.timeoutMs);
    return { ...observed, ...timing() };
  } catch (error) {
    return { ...failure(error, signal.aborted, options.timeoutMs), ...timing() };
  }
}

async function callByMode(
  service: ServiceApiClient,
  mode: string,
  request: AppRequest,
  stream: boolean,
  call: ServiceCallOptions,
  onChunk: (text: string) => void,
): Promise<Observed> {
  const user = request.user ?? DEFAULT_USER;
  const inputs = request.inputs ?? {};
  switch (mode) {
    case 'workflow': {
      if (stream) return fromFold(await foldStream(await service.runWorkflowStream({ user, inputs }, call), onChunk), true);
      const { task_id, workflow_run_id, data } = await service.runWorkflow({ user, inputs }, call);
      const ids: RunIds = { taskId: task_id, workflowRunId: workflow_run_id, ...(data.workflow_id ? { workflowId: data.workflow_id } : {}) };
      return {
        ...runOutcome(data.status, data.error),
        outputs: data.outputs,
        usage: typeof data.total_tokens === 'number' ? { total: data.total_tokens } : null,
        ids,
      };
    }
    case 'chat':
    case 'advanced-chat':
    case 'agent-chat': {
      const input = { user, inputs, query: request.query ?? '' };
      if (stream || mode === 'agent-chat') return fromFold(await foldStream(await service.chatStream(input, call), onChunk), false);
      const answer = await service.chat(input, call);
      return { ...runOutcome('succeeded', null), answer: answer.answer, usage: usageOf(answer.metadata), ids: messageIds(answer) };
    }
    case 'completion': {
      const input = { user, inputs, ...(request.query === undefined ? {} : { query: request.query }) };
      if (stream) return fromFold(await foldStream(await service.completionStream(input, call), onChunk), false);
      const answer = await service.completion(input, call);
      return { ...runOutcome('succeeded', null), answer: answer.answer, usage: usageOf(answer.metadata), ids: messageIds(answer) };
    }
    default:
      return { status: 'error', runStatus: null, error: `apps of mode ${mode} cannot be run through the service API`, errorCode: 'unsupported_mode', usage: null, ids: {} };
  }
}

/** succeeded and partial-succeeded (errors handled inside the graph) count as ok. */
function runOutcome(runStatus: string, error: string | null): Pick<Observed, 'status' | 'runStatus' | 'error' | 'errorCode'> {
  const ok = runStatus === 'succeeded' || runStatus === 'partial-succeeded';
  return { status: ok ? 'ok' : 'failed-run', runStatus, error: ok ? null : (error ?? `run ${runStatus}`), errorCode: null };
}

/** Workflow apps answer with outputs; every other mode with the answer text. */
function fromFold(fold: StreamFold, workflow: boolean): Observed {
  const failedAfterFinish = fold.streamError !== undefined && fold.runStatus !== undefined && fold.runStatus !== 'succeeded';
  if (fold.streamError !== undefined && !failedAfterFinish) throw fold.streamError;
  const runStatus = fold.runStatus ?? (fold.ended ? 'succeeded' : 'unknown');
  return {
    ...runOutcome(runStatus, fold.runError ?? null),
    ...(workflow ? { outputs: fold.outputs ?? null } : { answer: fold.answer ?? '' }),
    usage: fold.usage ?? null,
    ids: fold.ids,
  };
}

function messageIds(answer: { task_id: string; id?: string; message_id?: string; conversation_id?: string }): RunIds {
  const messageId = answer.message_id ?? answer.id;
  return {
    taskId: answer.task_id,
    ...(messageId ? { messageId } : {}),
    ...(answer.conversation_id ? { conversationId: answer.conversation_id } : {}),
  };
}

function failure(error: unknown, aborted: boolean, timeoutMs: number): Observed {
  const timedOut = aborted || (error instanceof DifyUnavailableError && error.reason === 'timeout');
  if (timedOut) return { status: 'timeout', runStatus: null, error: `no answer within ${timeoutMs} ms`, errorCode: 'timeout', usage: null, ids: {} };
  if (error instanceof DifyApiError) return { status: 'error', runStatus: null, error: error.message, errorCode: error.code, usage: null, ids: {} };
  return { status: 'error', runStatus: null, error: error instanceof Error ? error.message : String(error), errorCode: 'error', usage: null, ids: {} };
}

/** The transport honours the signal; this makes the deadline hold even for a stalled stream. */
function withDeadline<T>(work: Promise<T>, signal: AbortSignal, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error(`timed out after ${ms} ms`));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
