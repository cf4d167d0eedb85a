// The vocabulary of broadcast and run: what is sent, what one app answered, and the totals.
// Plain data only; docs/broadcast.md documents the JSON form of these types.

import type { ServiceApiClient } from '../dify/index.js';

/** Which repository apps a broadcast goes to. */
export type BroadcastSelection = { kind: 'apps'; apps: readonly string[] } | { kind: 'all' } | { kind: 'tag'; tag: string };

/** The same request for every app; the endpoint follows each app's mode. */
export interface AppRequest {
  /** Chat-family apps (and completion, optionally); workflow apps ignore it. */
  query?: string;
  inputs?: Record<string, unknown>;
  /** The end-user id Dify records; default `dify-gitops`. */
  user?: string;
}

/**
 * `ok`: the app answered and the run succeeded (workflow `succeeded` or `partial-succeeded`).
 * `failed-run`: the app ran and reported a failure with HTTP 200 (workflow `failed`, `stopped`,
 * `paused`). `error`: no usable answer (an HTTP error such as `completion_request_error`, an
 * unknown app, no API key, a broken stream). `timeout`: no answer within the per-app timeout.
 */
export type AppStatus = 'ok' | 'failed-run' | 'error' | 'timeout';

export interface RunIds {
  taskId?: string;
  messageId?: string;
  conversationId?: string;
  workflowRunId?: string;
  /** The published workflow version that ran. */
  workflowId?: string;
}

export interface TokenUsage {
  total: number;
  prompt?: number;
  completion?: number;
}

/** One call to one app, as observed. */
export interface Invocation {
  status: AppStatus;
  /** Dify's run status (`succeeded`, `failed`, …); null when there was no run to speak of. */
  runStatus: string | null;
  /** Chat, advanced-chat, agent-chat and completion apps. */
  answer?: string;
  /** Workflow apps. */
  outputs?: Record<string, unknown> | null;
  /** Why the run failed or the call erred (redacted). */
  error: string | null;
  /** Dify's error code (`completion_request_error`, `invalid_param`, …) for `error`. */
  errorCode: string | null;
  usage: TokenUsage | null;
  /** From sending the request to the last byte of the answer (ms). */
  latencyMs: number;
  /** Streaming only: from sending to the first answer chunk (ms). */
  firstChunkMs?: number;
  ids: RunIds;
}

export interface SchemaVerdict {
  /** The output schema's name in the repository. */
  name: string;
  /** What was checked: `answer`, `outputs` or `outputs.<name>`. */
  subject: string;
  /** Valid after repair. */
  valid: boolean;
  /** Extraction or repair was needed. */
  repaired: boolean;
  /** Repair steps, then schema or parse problems, in words. */
  reasons: string[];
}

/** One app's line in a broadcast report. */
export interface BroadcastAppResult extends Omit<Invocation, 'latencyMs'> {
  app: string;
  /** Null when the app was never called (not found, no API key). */
  latencyMs: number | null;
  appId: string | null;
  /** The live app's mode (which decided the endpoint); null when the app was not found. */
  mode: string | null;
  /** Only when a schema was given and the app answered. */
  schema: SchemaVerdict | null;
  /** status `ok` and, when a schema was given, valid. */
  passed: boolean;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  max: number;
}

export interface BroadcastTotals {
  apps: number;
  passed: number;
  failed: number;
  byStatus: Record<AppStatus, number>;
  /** Apps that answered but whose output is invalid against the schema. */
  invalid: number;
  /** Over apps that got an answer (`ok` and `failed-run`); null when none did. */
  latencyMs: LatencySummary | null;
  tokens: number;
}

export interface BroadcastReport {
  environment: string;
  /** Results in the order of the selected apps. */
  results: BroadcastAppResult[];
  totals: BroadcastTotals;
  /** Wall time of the sending phase (ms). */
  wallMs: number;
  concurrency: number;
  timeoutMs: number;
  stream: boolean;
}

/** An app ready to be called, or the reason it cannot be. */
export type BroadcastTarget =
  | { app: string; appId: string; mode: string; service: ServiceApiClient }
  | { app: string; appId: string | null; mode: string | null; error: string; errorCode: string };
