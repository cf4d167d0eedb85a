// The JSON form of a broadcast report (`--format json`): every key always present (null when it
// does not apply), keys in a fixed order, latencies in whole milliseconds, answers cut at 1,000
// characters. `version` changes only when a key's meaning does. docs/broadcast.md describes it.
// Pure.

import { previewOutput, type OutputPreview } from './preview.js';
import type { BroadcastAppResult, BroadcastReport, BroadcastTotals, RunIds, SchemaVerdict, TokenUsage } from './types.js';

export const BROADCAST_JSON_VERSION = 1;
export const JSON_PREVIEW_CHARS = 1_000;

export interface BroadcastJsonResult {
  app: string;
  appId: string | null;
  mode: string | null;
  status: BroadcastAppResult['status'];
  passed: boolean;
  runStatus: string | null;
  latencyMs: number | null;
  firstChunkMs: number | null;
  tokens: { total: number; prompt: number | null; completion: number | null } | null;
  output: OutputPreview | null;
  error: { code: string | null; message: string } | null;
  schema: SchemaVerdict | null;
  ids: Required<{ [K in keyof RunIds]: string | null }>;
}

export interface BroadcastJson {
  version: number;
  environment: string;
  concurrency: number;
  timeoutMs: number;
  stream: boolean;
  wallMs: number;
  results: BroadcastJsonResult[];
  totals: BroadcastTotals;
}

export function toBroadcastJson(report: BroadcastReport): BroadcastJson {
  return {
    version: BROADCAST_JSON_VERSION,
    environment: report.environment,
    concurrency: report.concurrency,
    timeoutMs: report.timeoutMs,
    stream: report.stream,
    wallMs: Math.round(report.wallMs),
    results: report.results.map(resultJson),
    totals: {
      ...report.totals,
      latencyMs: report.totals.latencyMs && {
        p50: Math.round(report.totals.latencyMs.p50),
        p95: Math.round(report.totals.latencyMs.p95),
        max: Math.round(report.totals.latencyMs.max),
      },
    },
  };
}

export function renderBroadcastJson(report: BroadcastReport): string {
  return `${JSON.stringify(toBroadcastJson(report), null, 2)}\n`;
}

function resultJson(result: BroadcastAppResult): BroadcastJsonResult {
  return {
    app: result.app,
    appId: result.appId,
    mode: result.mode,
    status: result.status,
    passed: result.passed,
    runStatus: result.runStatus,
    latencyMs: result.latencyMs === null ? null : Math.round(result.latencyMs),
    firstChunkMs: result.firstChunkMs === undefined ? null : Math.round(result.firstChunkMs),
    tokens: tokensJson(result.usage),
    output: previewOutput(result, JSON_PREVIEW_CHARS),
    error: result.error === null ? null : { code: result.errorCode, message: result.error },
    schema: result.schema,
    ids: idsJson(result.ids),
  };
}

function tokensJson(usage: TokenUsage | null): BroadcastJsonResult['tokens'] {
  return usage === null ? null : { total: usage.total, prompt: usage.prompt ?? null, completion: usage.completion ?? null };
}

export function idsJson(ids: RunIds): BroadcastJsonResult['ids'] {
  return {
    taskId: ids.taskId ?? null,
    messageId: ids.messageId ?? null,
    conversationId: ids.conversationId ?? null,
    workflowRunId: ids.workflowRunId ?? null,
    workflowId: ids.workflowId ?? null,
  };
}
