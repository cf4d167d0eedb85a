// Runs health checks against an app through the service API and judges them (assess.ts). Every
// attempt of every check runs in parallel under the shared bound, each with its own timeout.
// Workflow and advanced-chat runs are pinned to the version just published (`/v1/workflows/<id>/
// run`, chat `workflow_id`, Dify ≥ 1.7.2), so a concurrent publish cannot make a check test the
// wrong version. Chat-family apps have no versions: their live config is what answers.

import type { LimitFunction } from 'p-limit';
import type { HealthCheck } from '../config/types.js';
import type { DifyStreamEvent, ServiceApiClient } from '../dify/index.js';
import { assessHealth, assessHealthCheck } from './assess.js';
import type { HealthAttempt, HealthReport } from './types.js';

export const HEALTH_USER = 'dify-gitops-health';

export interface RunChecksInput {
  service: ServiceApiClient;
  checks: readonly HealthCheck[];
  /** Pin runs to this published version; null: whatever is live. */
  workflowId: string | null;
  limit: LimitFunction;
  /** Monotonic milliseconds (performance.now by default). */
  clock?: () => number;
}

export async function runHealthChecks(input: RunChecksInput): Promise<HealthReport> {
  const clock = input.clock ?? (() => performance.now());
  const results = await Promise.all(
    input.checks.map(async (check) => {
      const attempts = await Promise.all(
        Array.from({ length: check.attempts }, () => input.limit(() => attemptOnce(input.service, check, input.workflowId, clock))),
      );
      return assessHealthCheck(check, attempts);
    }),
  );
  return assessHealth(results);
}

async function attemptOnce(service: ServiceApiClient, check: HealthCheck, workflowId: string | null, clock: () => number): Promise<HealthAttempt> {
  const started = clock();
  const signal = AbortSignal.timeout(check.timeoutMs);
  const options = { timeoutMs: check.timeoutMs, signal };
  try {
    const observed = await withDeadline(callApp(service, check, workflowId, options), signal, check.timeoutMs);
    return { ...observed, latencyMs: clock() - started };
  } catch (error) {
    const message = signal.aborted ? `timed out after ${check.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    return { error: message, latencyMs: clock() - started };
  }
}

type Observed = Omit<HealthAttempt, 'latencyMs'>;

async function callApp(service: ServiceApiClient, check: HealthCheck, workflowId: string | null, options: { timeoutMs: number; signal: AbortSignal }): Promise<Observed> {
  const inputs = check.inputs;
  const pin = workflowId ?? undefined;
  const streaming = check.responseMode === 'streaming';
  switch (check.mode) {
    case 'workflow': {
      const request = { user: HEALTH_USER, inputs, ...(pin === undefined ? {} : { workflowId: pin }) };
      if (streaming) return collect(await service.runWorkflowStream(request, options));
      const { data } = await service.runWorkflow(request, options);
      return { status: data.status, runError: data.error, outputs: data.outputs, ...tokens(data.total_tokens), ...(data.workflow_id ? { workflowId: data.workflow_id } : {}) };
    }
    case 'advanced-chat':
    case 'chat':
    case 'agent-chat': {
      const request = { user: HEALTH_USER, inputs, query: check.query ?? '', ...(pin !== undefined && check.mode === 'advanced-chat' ? { workflow_id: pin } : {}) };
      if (streaming || check.mode === 'agent-chat') return collect(await service.chatStream(request, options));
      const answer = await service.chat(request, options);
      return { status: 'succeeded', answer: answer.answer, ...tokens(usageTokens(answer.metadata)) };
    }
    case 'completion': {
      const request = { user: HEALTH_USER, inputs, ...(check.query === undefined ? {} : { query: check.query }) };
      if (streaming) return collect(await service.completionStream(request, options));
      const answer = await service.completion(request, options);
      return { status: 'succeeded', answer: answer.answer, ...tokens(usageTokens(answer.metadata)) };
    }
  }
}

/** Folds a stream into what a blocking call would have answered. */
async function collect(events: AsyncIterable<DifyStreamEvent>): Promise<Observed> {
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

function usageTokens(metadata: Record<string, unknown> | undefined): number | undefined {
  const usage = metadata?.usage as { total_tokens?: unknown } | undefined;
  return typeof usage?.total_tokens === 'number' ? usage.total_tokens : undefined;
}

function tokens(total: number | undefined): { totalTokens?: number } {
  return total === undefined ? {} : { totalTokens: total };
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
