// The preview report: plain text for the terminal, and the Markdown section that goes into the
// pull request's plan comment (pass/fail per check, latency, tokens, and the reasons a check
// failed, schema errors included). Pure; the CLI redacts on the way out.

import type { HealthCheckResult } from '../health/types.js';
import type { CleanupResult, PreviewAppResult, PreviewRunResult } from './types.js';

export function previewFailed(result: PreviewAppResult): boolean {
  return result.action === 'failed' || result.health?.passed === false;
}

export function renderPreviewText(run: PreviewRunResult): string {
  const lines = [`Previews of pull request #${run.pr} in ${run.environment} (${run.selectedBy}; secrets: ${run.secrets}):`];
  if (run.results.length === 0) lines.push('  no app changes in this pull request: nothing to preview');
  for (const r of run.results) {
    lines.push(`  ${r.app} → ${r.previewName}: ${r.action}${r.appId ? ` (app ${r.appId})` : ''}${r.workflowId ? `, version ${r.workflowId}` : ''}`);
    if (r.error !== undefined) lines.push(`    error: ${r.error}`);
    for (const check of r.health?.checks ?? []) {
      lines.push(`    ${check.name}: ${check.passed ? 'passed' : 'FAILED'}: ${check.summary} (${figures(check)})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderCleanupText(result: CleanupResult): string {
  if (result.deleted.length === 0) return `No preview apps to delete in ${result.environment}.\n`;
  return `${[`Deleted ${result.deleted.length} preview app${result.deleted.length === 1 ? '' : 's'} in ${result.environment}:`, ...result.deleted.map((d) => `  ${d.name} (app ${d.appId})`)].join('\n')}\n`;
}

/** The previews section of the plan comment (without its hidden markers). */
export function renderPreviewMarkdown(run: PreviewRunResult): string {
  const lines = [`### Preview apps in \`${run.environment}\``, ''];
  if (run.results.length === 0) {
    lines.push('This pull request changes no app: nothing to preview.');
    return lines.join('\n');
  }
  const failed = run.results.filter(previewFailed).length;
  lines.push(failed === 0 ? `✅ ${run.results.length} preview${run.results.length === 1 ? '' : 's'} built and healthy.` : `❌ ${failed} of ${run.results.length} preview${run.results.length === 1 ? '' : 's'} failed.`, '');
  lines.push('| App | Preview | Check | Result | Latency (max) | Tokens (max) | Problems |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of run.results) {
    const preview = `${cell(r.previewName)} (${r.action})`;
    if (r.error !== undefined || (r.health?.checks.length ?? 0) === 0) {
      lines.push(`| ${cell(r.app)} | ${preview} | — | ${r.error === undefined ? 'no checks declared' : '❌ not built'} | — | — | ${cell(r.error ?? '')} |`);
      continue;
    }
    for (const check of r.health!.checks) {
      const problems = [...new Set(check.verdicts.flatMap((v) => v.reasons))];
      lines.push(`| ${cell(r.app)} | ${preview} | ${cell(check.name)} | ${check.passed ? '✅ pass' : '❌ fail'} ${check.passes}/${check.attempts} | ${latency(check)} | ${tokens(check)} | ${cell(problems.join('; '))} |`);
    }
  }
  lines.push('', `<sub>Built from this pull request's DSL, published and checked by \`dify-gitops preview\`; secrets: ${run.secrets === 'bind' ? 'bound as configured for this environment' : 'none (secret variables are empty)'}. Deleted when the pull request closes.</sub>`);
  return lines.join('\n');
}

function figures(check: HealthCheckResult): string {
  return `latency max ${latency(check)}, tokens max ${tokens(check)}`;
}

function latency(check: HealthCheckResult): string {
  return check.verdicts.length === 0 ? '—' : `${Math.round(Math.max(...check.verdicts.map((v) => v.latencyMs)))} ms`;
}

function tokens(check: HealthCheckResult): string {
  const counts = check.verdicts.map((v) => v.totalTokens).filter((t): t is number => t !== undefined);
  return counts.length === 0 ? '—' : String(Math.max(...counts));
}

/** A table cell: one line, pipes escaped, long text cut. */
function cell(text: string): string {
  const flat = text.replace(/\s+/g, ' ').replaceAll('|', '\\|').replaceAll('<', '&lt;');
  return flat.length > 300 ? `${flat.slice(0, 297)}…` : flat;
}
