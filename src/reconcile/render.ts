// Terminal and JSON renderings of a ReconcileReport. Pure; the CLI redacts what it prints.

import type { ReconcileReport, ReconcileStatus } from './types.js';

const ORDER: readonly ReconcileStatus[] = ['error', 'skipped-failed-revision', 'heal-failed', 'rolled-back', 'drift', 'adopted', 'draft-only-drift', 'healed', 'pruned', 'suspended', 'in-sync'];

export function renderReconcileText(report: ReconcileReport): string {
  const lines: string[] = [];
  for (const environment of report.environments) {
    const counts = new Map<ReconcileStatus, number>();
    for (const app of environment.apps) counts.set(app.status, (counts.get(app.status) ?? 0) + 1);
    const summary = ORDER.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ') || 'no apps';
    lines.push(`reconcile ${environment.env}: ${summary}`);
    if (environment.error !== undefined) lines.push(`  ! ${environment.error}`);
    // In-sync apps are the quiet majority: counted, not listed.
    const listed = environment.apps.filter((a) => a.status !== 'in-sync').sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.app.localeCompare(b.app));
    for (const app of listed) lines.push(`  ${app.status.padEnd(24)} ${app.app}${app.detail === undefined ? '' : `: ${app.detail}`}`);
    if (environment.pullRequest !== undefined) lines.push(`  adopt pull request: ${environment.pullRequest.url} (${environment.pullRequest.action})`);
    if (environment.issue !== undefined) lines.push(`  drift issue: ${environment.issue.url ?? 'none'} (${environment.issue.action})`);
  }
  if (report.aborted === true) lines.push('reconcile stopped early: apps not started are not listed');
  lines.push(`exit code ${report.exitCode}`);
  return `${lines.join('\n')}\n`;
}

export function renderReconcileJson(report: ReconcileReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
