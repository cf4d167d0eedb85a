// The output of `rotate`: what was due and why, what each rotation did, what was not due. Text for
// people, JSON for scripts. Pure; values never reach here (results carry version ids only).

import type { RotateDueReport } from './rotate-due.js';

export function renderRotationText(report: RotateDueReport, options: { dryRun: boolean }): string {
  const lines: string[] = [];
  const { due, skipped } = report.plan;
  if (due.length === 0) lines.push('Nothing to rotate.');
  else if (options.dryRun) {
    lines.push(`Would rotate ${due.length} secret(s):`);
    for (const d of due) lines.push(`  ${d.secret.name} (${d.secret.environment}, ${d.secret.kind}): ${d.detail}`);
  } else {
    lines.push(`Rotated ${count(report, 'rotated')} of ${report.results.length} due secret(s):`);
    for (const r of report.results) lines.push(`  ${r.secret} (${r.environment}, ${r.kind}): ${r.outcome}: ${r.message}`);
  }
  if (skipped.length > 0) {
    lines.push('Not due:');
    for (const s of skipped) lines.push(`  ${s.secret.name} (${s.secret.environment}, ${s.secret.kind}): ${s.detail}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderRotationJson(report: RotateDueReport): string {
  const secret = (s: { name: string; environment: string; kind: string }): Record<string, string> => ({ secret: s.name, environment: s.environment, kind: s.kind });
  return `${JSON.stringify(
    {
      due: report.plan.due.map((d) => ({ ...secret(d.secret), reason: d.reason, detail: d.detail })),
      notDue: report.plan.skipped.map((s) => ({ ...secret(s.secret), detail: s.detail })),
      results: report.results,
      exitCode: report.exitCode,
    },
    null,
    2,
  )}\n`;
}

function count(report: RotateDueReport, outcome: string): number {
  return report.results.filter((r) => r.outcome === outcome).length;
}
