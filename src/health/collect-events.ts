// Folds an SSE run (service API or console draft run, contract §8.4) into what a blocking call
// would have answered, so a streamed attempt is judged exactly like a blocking one (assess.ts).

import type { DifyStreamEvent } from '../dify/index.js';
import type { HealthAttempt } from './types.js';

export type Observed = Omit<HealthAttempt, 'latencyMs'>;

/** Folds a stream into what a blocking call would have answered. */
export async function collectEvents(events: AsyncIterable<DifyStreamEvent>): Promise<Observed> {
  let answer: string | undefined;
  let status: string | undefined;
  let runError: string | null | undefined;
  let outputs: Record<string, unknown> | null | undefined;
  let totalTokens: number | undefined;
  let workflowId: string | undefined;
  for await (const event of events) {
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (event.event === 'message' || event.event === 'agent_message') answer = (answer ?? '') + text(event.answer);
    if (event.event === 'message_replace') answer = text(event.answer);
    if (event.event === 'message_end') {
      totalTokens ??= usageTokens(event.metadata as Record<string, unknown> | undefined);
      status ??= 'succeeded';
    }
    if (event.event === 'workflow_finished') {
      status = typeof data.status === 'string' ? data.status : 'unknown';
      runError = (data.error as string | null | undefined) ?? null;
      outputs = (data.outputs as Record<string, unknown> | null | undefined) ?? null;
      if (typeof data.total_tokens === 'number') totalTokens = data.total_tokens;
      if (typeof data.workflow_id === 'string') workflowId = data.workflow_id;
    }
  }
  return {
    ...(status === undefined ? { status: 'unknown' } : { status }),
    ...(runError === undefined ? {} : { runError }),
    ...(outputs === undefined ? {} : { outputs }),
    ...(answer === undefined ? {} : { answer }),
    ...tokens(totalTokens),
    ...(workflowId === undefined ? {} : { workflowId }),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function usageTokens(metadata: Record<string, unknown> | undefined): number | undefined {
  const usage = metadata?.usage as { total_tokens?: unknown } | undefined;
  return typeof usage?.total_tokens === 'number' ? usage.total_tokens : undefined;
}

export function tokens(total: number | undefined): { totalTokens?: number } {
  return total === undefined ? {} : { totalTokens: total };
}

/** The transport honours the signal; this makes the deadline hold even for a stalled stream. */
export function withDeadline<T>(work: Promise<T>, signal: AbortSignal, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error(`timed out after ${ms} ms`));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
