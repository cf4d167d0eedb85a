// The sending phase of a broadcast: every target called once, at most `concurrency` at a time
// (p-limit), each with its own timeout, so a slow or failing app never holds up or stops the
// others. Progress is reported as apps finish. Targets that could not be resolved are reported as
// errors without a call. Works on targets alone (no repository), so code and benchmarks can use it.

import pLimit from 'p-limit';
import { assessOutput, type OutputCheck } from './assess-output.js';
import { invokeApp } from './invoke-app.js';
import { summarizeResults } from './summarize.js';
import type { AppRequest, BroadcastAppResult, BroadcastReport, BroadcastTarget } from './types.js';

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface SendOptions {
  request: AppRequest;
  /** Calls in flight at once; default 8. The client's connection pool should be at least this. */
  concurrency?: number;
  /** Per app; default 60 s. */
  timeoutMs?: number;
  /** Use the streaming endpoints (agent-chat always streams). */
  stream?: boolean;
  /** Validate each answer after repair. */
  check?: OutputCheck;
  /** Called as each app finishes. */
  onProgress?: (done: number, total: number) => void;
  /** Monotonic milliseconds; default performance.now. */
  clock?: () => number;
}

export async function broadcastToTargets(environment: string, targets: readonly BroadcastTarget[], options: SendOptions): Promise<BroadcastReport> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stream = options.stream === true;
  const clock = options.clock ?? (() => performance.now());
  const limit = pLimit(concurrency);
  let done = 0;
  const finished = (result: BroadcastAppResult): BroadcastAppResult => {
    options.onProgress?.(++done, targets.length);
    return result;
  };
  const started = clock();
  const results = await Promise.all(
    targets.map((target) => {
      if ('error' in target) return Promise.resolve(finished(unresolved(target)));
      return limit(async () => {
        const invocation = await invokeApp(target.service, target.mode, options.request, { stream, timeoutMs, clock });
        const schema = options.check === undefined ? null : assessOutput(invocation, options.check);
        const passed = invocation.status === 'ok' && (options.check === undefined || schema?.valid === true);
        return finished({ app: target.app, appId: target.appId, mode: target.mode, ...invocation, schema, passed });
      });
    }),
  );
  return { environment, results, totals: summarizeResults(results), wallMs: clock() - started, concurrency, timeoutMs, stream };
}

function unresolved(target: Extract<BroadcastTarget, { error: string }>): BroadcastAppResult {
  return {
    app: target.app,
    appId: target.appId,
    mode: target.mode,
    status: 'error',
    runStatus: null,
    error: target.error,
    errorCode: target.errorCode,
    usage: null,
    latencyMs: null,
    ids: {},
    schema: null,
    passed: false,
  };
}
