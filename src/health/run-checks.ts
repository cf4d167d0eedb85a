// Runs health checks against an app through the service API and judges them (assess.ts). Every
// attempt of every check runs in parallel under the shared bound, each with its own timeout.
// Workflow and advanced-chat runs are pinned to the version just published (`/v1/workflows/<id>/
// run`, chat `workflow_id`, Dify ≥ 1.7.2), so a concurrent publish cannot make a check test the
// wrong version. Chat-family apps have no versions: their live config is what answers.

import type { LimitFunction } from 'p-limit';
import type { HealthCheck } from '../config/types.js';
import type { ServiceApiClient } from '../dify/index.js';
import { assessHealth, assessHealthCheck } from './assess.js';
import { collectEvents as collect, tokens, usageTokens, withDeadline, type Observed } from './collect-events.js';
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
  return runAttempts(input.checks, input.limit, (check, options) => callApp(input.service, check, input.workflowId, options), input.clock);
}

export type CallOptions = { timeoutMs: number; signal: AbortSignal };

/**
 * Every attempt of every check under the shared bound, each with its own deadline, judged by
 * assess.ts. `call` is where the attempt goes: the service API (here) or a draft run
 * (run-draft-checks.ts), so the published and the draft gate judge alike.
 */
export async function runAttempts(checks: readonly HealthCheck[], limit: LimitFunction, call: (check: HealthCheck, options: CallOptions) => Promise<Observed>, clock: () => number = () => performance.now()): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async (check) => {
      const attempts = await Promise.all(Array.from({ length: check.attempts }, () => limit(() => attemptOnce(check, call, clock))));
      return assessHealthCheck(check, attempts);
    }),
  );
  return assessHealth(results);
}

async function attemptOnce(check: HealthCheck, call: (check: HealthCheck, options: CallOptions) => Promise<Observed>, clock: () => number): Promise<HealthAttempt> {
  const started = clock();
  const signal = AbortSignal.timeout(check.timeoutMs);
  const options = { timeoutMs: check.timeoutMs, signal };
  try {
    const observed = await withDeadline(call(check, options), signal, check.timeoutMs);
    return { ...observed, latencyMs: clock() - started };
  } catch (error) {
    const message = signal.aborted ? `timed out after ${check.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    return { error: message, latencyMs: clock() - started };
  }
}

async function callApp(service: ServiceApiClient, check: HealthCheck, workflowId: string | null, options: CallOptions): Promise<Observed> {
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
