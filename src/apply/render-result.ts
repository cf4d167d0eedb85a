// The apply report: one block per app (outcome, which gate stopped it, message, the checks of
// the draft gate and of the published version), for the terminal or as JSON. Pure; the CLI
// redacts on the way out.

import type { HealthReport } from '../health/types.js';
import type { ApplyAllResult } from './apply-all.js';
import type { AppApplyResult } from './types.js';

const WORDS: Record<AppApplyResult['outcome'], string> = {
  applied: 'applied',
  'no-op': 'no changes',
  skipped: 'skipped',
  'failed-before-change': 'FAILED (nothing changed)',
  'rolled-back': 'ROLLED BACK',
  'needs-human': 'NEEDS A HUMAN',
  recovered: 'recovered',
};

export function renderApplyText(result: ApplyAllResult): string {
  const lines: string[] = [];
  for (const r of result.recovered) lines.push(...block(r, 'recover'));
  if (result.refused !== undefined) lines.push(result.refused);
  for (const r of result.results) lines.push(...block(r, 'apply'));
  if (result.results.length === 0 && result.refused === undefined) lines.push('Nothing to apply: every selected app matches git.');
  lines.push(`Apply finished with exit code ${result.exitCode}.`);
  return `${lines.join('\n')}\n`;
}

const GATES = { draft: 'ROLLED BACK AT THE DRAFT GATE (draft put back, nothing published)', published: 'ROLLED BACK (failed its checks once live)' } as const;

function block(r: AppApplyResult, verb: string): string[] {
  const word = r.outcome === 'rolled-back' && r.gate !== undefined ? GATES[r.gate] : WORDS[r.outcome];
  const lines = [`${verb} ${r.environment}/${r.app}: ${word}${r.appId ? ` (app ${r.appId})` : ''}`, `  ${r.message}`];
  const reports: [string, HealthReport | undefined][] =
    r.gate === 'draft'
      ? [['draft health', r.draftHealth ?? r.health]]
      : [['draft health', r.draftHealth], ['health', r.health], ['health after rollback', r.rollbackHealth]];
  for (const [label, report] of reports) {
    if (report === undefined) continue;
    for (const check of report.checks) {
      lines.push(`  ${label}: ${check.name} ${check.passed ? 'passed' : 'failed'}: ${check.summary}`);
      const failed = check.verdicts.find((v) => !v.passed);
      if (!check.passed && failed) for (const reason of failed.reasons) lines.push(`    - ${reason}`);
    }
  }
  return lines;
}
