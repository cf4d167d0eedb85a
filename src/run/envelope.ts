// The result of one `dify-gitops run`, as one JSON document: what `--format json` prints and what
// a callback POSTs (signed, docs/callbacks.md). Every key is always present (null when it does
// not apply); the answer is complete, never cut. `id` is new for every run, so a receiver can
// ignore a delivery it already handled (retries re-sign the same body). docs/run.md. Pure.

import { idsJson, type BroadcastJsonResult } from '../broadcast/render-json.js';
import type { AppStatus, Invocation } from '../broadcast/types.js';

export const RUN_ENVELOPE_VERSION = 1;

export interface RunEnvelope {
  version: number;
  event: 'run.finished';
  /** Unique per run (UUID). */
  id: string;
  app: string;
  environment: string;
  appId: string;
  mode: string;
  /** ok | failed-run | error | timeout (the same vocabulary as broadcast). */
  status: AppStatus;
  /** Dify's run status (`succeeded`, `failed`, …); null without a run. */
  runStatus: string | null;
  /** Chat-family and completion apps; null for workflow apps. */
  answer: string | null;
  /** Workflow apps; null otherwise. */
  outputs: Record<string, unknown> | null;
  error: { code: string | null; message: string } | null;
  usage: { totalTokens: number; promptTokens: number | null; completionTokens: number | null } | null;
  latencyMs: number;
  firstChunkMs: number | null;
  streamed: boolean;
  ids: BroadcastJsonResult['ids'];
  /** ISO 8601, when the answer was complete. */
  finishedAt: string;
}

export interface EnvelopeInput {
  id: string;
  app: string;
  environment: string;
  appId: string;
  mode: string;
  streamed: boolean;
  invocation: Invocation;
  finishedAt: Date;
}

export function buildRunEnvelope(input: EnvelopeInput): RunEnvelope {
  const { invocation } = input;
  const workflow = input.mode === 'workflow';
  return {
    version: RUN_ENVELOPE_VERSION,
    event: 'run.finished',
    id: input.id,
    app: input.app,
    environment: input.environment,
    appId: input.appId,
    mode: input.mode,
    status: invocation.status,
    runStatus: invocation.runStatus,
    answer: workflow ? null : (invocation.answer ?? null),
    outputs: workflow ? (invocation.outputs ?? null) : null,
    error: invocation.error === null ? null : { code: invocation.errorCode, message: invocation.error },
    usage:
      invocation.usage === null
        ? null
        : { totalTokens: invocation.usage.total, promptTokens: invocation.usage.prompt ?? null, completionTokens: invocation.usage.completion ?? null },
    latencyMs: Math.round(invocation.latencyMs),
    firstChunkMs: invocation.firstChunkMs === undefined ? null : Math.round(invocation.firstChunkMs),
    streamed: input.streamed,
    ids: idsJson(invocation.ids),
    finishedAt: input.finishedAt.toISOString(),
  };
}
