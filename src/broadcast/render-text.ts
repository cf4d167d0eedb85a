// The text form of a broadcast report: one table row per app (status, latency, tokens, schema
// verdict, the answer cut to one short line), then the details that need words (errors, every
// repair step and schema problem), then the totals. Pure.

import { previewOutput, truncate } from './preview.js';
import type { BroadcastAppResult, BroadcastReport, BroadcastTotals } from './types.js';

const OUTPUT_CHARS = 60;

export function renderBroadcastText(report: BroadcastReport): string {
  const header = `broadcast to ${report.results.length} app${report.results.length === 1 ? '' : 's'} in ${report.environment} (concurrency ${report.concurrency}, timeout ${formatMs(report.timeoutMs)}${report.stream ? ', streaming' : ''})`;
  const rows = [['APP', 'MODE', 'STATUS', 'LATENCY', 'TOKENS', 'SCHEMA', 'OUTPUT'], ...report.results.map(row)];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => [...r[col]!].length)));
  const right = new Set([3, 4]);
  const table = rows.map((r) =>
    r
      .map((cell, col) => (col === r.length - 1 ? cell : right.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join('  ')
      .trimEnd(),
  );
  const details = report.results.flatMap(detail);
  return [header, '', ...table, ...(details.length > 0 ? ['', ...details] : []), '', totalsLine(report.totals, report.wallMs), ''].join('\n');
}

function row(result: BroadcastAppResult): string[] {
  const preview = previewOutput(result, OUTPUT_CHARS);
  const output = result.status === 'ok' ? (preview ? oneLine(preview.text) : '') : oneLine(truncate(result.error ?? '', OUTPUT_CHARS));
  return [
    result.app,
    result.mode ?? '-',
    result.status,
    result.latencyMs === null ? '-' : formatMs(result.latencyMs),
    result.usage === null ? '-' : String(result.usage.total),
    schemaCell(result),
    output,
  ];
}

function schemaCell(result: BroadcastAppResult): string {
  if (result.schema === null) return '-';
  if (!result.schema.valid) return 'invalid';
  return result.schema.repaired ? 'valid (repaired)' : 'valid';
}

function detail(result: BroadcastAppResult): string[] {
  const lines: string[] = [];
  if (result.error !== null) lines.push(`  ${result.status}: ${result.error}`);
  if (result.schema !== null && result.schema.reasons.length > 0) {
    lines.push(`  ${result.schema.valid ? 'valid after repair' : 'invalid'} against ${result.schema.name} (${result.schema.subject}):`);
    lines.push(...result.schema.reasons.map((reason) => `    - ${reason}`));
  }
  return lines.length === 0 ? [] : [`${result.app}:`, ...lines];
}

export function totalsLine(totals: BroadcastTotals, wallMs: number): string {
  const statuses = (['ok', 'failed-run', 'error', 'timeout'] as const).map((s) => `${s} ${totals.byStatus[s]}`).join(', ');
  const invalid = totals.invalid > 0 ? `, ${totals.invalid} invalid` : '';
  const latency = totals.latencyMs === null ? 'latency -' : `latency p50 ${formatMs(totals.latencyMs.p50)}, p95 ${formatMs(totals.latencyMs.p95)}`;
  return `${totals.passed} passed, ${totals.failed} failed (${statuses}${invalid}); ${latency}; ${totals.tokens} tokens; wall ${formatMs(wallMs)}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
