// A Plan as terminal text, GitHub markdown (a summary table, then one folded section per app) or
// JSON. The per-app diffs are the DSL core's renderers. Pure; secret values never reach here.

import { renderDiffMarkdown, renderDiffText, WORKFLOW_MODES } from '../dsl/index.js';
import { ACTION_ORDER, countActions } from './summarize.js';
import type { Finding, Plan, PlanAction, PlanEntry } from './types.js';

export type PlanFormat = 'text' | 'markdown' | 'json';

const ACTION_WORDS: Record<PlanAction, string> = {
  error: 'cannot plan',
  'replace-required': 'replace required',
  create: 'to create',
  update: 'to update',
  'update-model-config': 'model-config update (live at once)',
  'draft-only-drift': 'draft-only drift',
  'no-op': 'unchanged',
};

export function renderPlan(plan: Plan, format: PlanFormat, options: { color?: boolean } = {}): string {
  if (format === 'json') return `${JSON.stringify(plan, null, 2)}\n`;
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, options);
}

export function renderPlanSummary(plan: Plan): string {
  const counts = countActions(plan);
  const parts = ACTION_ORDER.filter((action) => counts[action] > 0).map((action) => `${counts[action]} ${ACTION_WORDS[action]}`);
  return `Plan: ${parts.length === 0 ? 'no apps' : parts.join(', ')}.`;
}

export function renderPlanText(plan: Plan, options: { color?: boolean } = {}): string {
  const lines: string[] = [renderPlanSummary(plan), ''];
  for (const entry of plan.entries) {
    lines.push(`${entry.environment} / ${entry.app}: ${entry.action}${entry.appId === null ? '' : ` (app ${entry.appId})`}${entry.blocked ? ' [blocked]' : ''}`);
    lines.push(`  ${entry.summary}`);
    for (const note of entry.notes) lines.push(`  note: ${note}`);
    if (entry.importOutcome !== null && entry.changes) lines.push(`  import: expect ${entry.importOutcome.status} (${entry.importOutcome.message})`);
    if (entry.secrets.length > 0 && entry.changes) lines.push(`  secrets: ${entry.secrets.map(secretWords).join('; ')}`);
    if (entry.healthChecks.length > 0 && entry.changes) lines.push(`  health checks: ${entry.healthChecks.join(', ')}${gateWords(entry)}`);
    for (const finding of entry.findings) lines.push(`  ${findingLine(finding)}`);
    if (entry.diff !== null && entry.diff.summary.total > 0 && entry.action !== 'draft-only-drift') lines.push(indent(renderDiffText(entry.diff, options)));
    if (entry.draftDiff !== null) {
      lines.push('  UI draft vs published:');
      lines.push(indent(renderDiffText(entry.draftDiff, options), '    '));
    }
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [`### dify-gitops plan${plan.revision === null ? '' : ` for \`${plan.revision.id}\``}`, '', renderPlanSummary(plan), ''];
  out.push('| Environment | App | Action | Summary |', '| --- | --- | --- | --- |');
  for (const entry of plan.entries) {
    const flag = entry.blocked ? ' ⛔' : entry.findings.some((f) => f.severity === 'warning') ? ' ⚠️' : '';
    out.push(`| ${cell(entry.environment)} | ${cell(entry.app)} | \`${entry.action}\`${flag} | ${cell(entry.summary)} |`);
  }
  out.push('');
  for (const entry of plan.entries.filter((e) => e.action !== 'no-op')) {
    out.push('<details>', `<summary><b>${escapeHtml(entry.environment)} / ${escapeHtml(entry.app)}</b>: ${escapeHtml(entry.action)}</summary>`, '');
    for (const note of entry.notes) out.push(`- ${note}`);
    if (entry.importOutcome !== null && entry.changes) out.push(`- Import: expect \`${entry.importOutcome.status}\` (${entry.importOutcome.message})`);
    if (entry.secrets.length > 0 && entry.changes) out.push(`- Secrets: ${entry.secrets.map((s) => `\`${s.variable}\` ${secretWords(s).slice(s.variable.length + 1)}`).join('; ')}`);
    if (entry.healthChecks.length > 0 && entry.changes) out.push(`- Health checks: ${entry.healthChecks.map((name) => `\`${name}\``).join(', ')}`);
    for (const finding of entry.findings) out.push(`- **${finding.severity}** \`${finding.code}\`: ${finding.message}`);
    out.push('');
    if (entry.diff !== null && entry.diff.summary.total > 0 && entry.action !== 'draft-only-drift') out.push(renderDiffMarkdown(entry.diff), '');
    if (entry.draftDiff !== null) out.push('UI draft vs published:', '', renderDiffMarkdown(entry.draftDiff), '');
    out.push('</details>', '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function secretWords(secret: PlanEntry['secrets'][number]): string {
  if (secret.effect === 'set') return `${secret.variable} set from ${secret.source}`;
  if (secret.effect === 'keep') return `${secret.variable} keeps its live value`;
  return `${secret.variable} starts empty (no binding, not live)`;
}

function findingLine(finding: Finding): string {
  return `${finding.severity} ${finding.code}: ${finding.message}`;
}

function indent(text: string, prefix = '  '): string {
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line === '' ? line : `${prefix}${line}`))
    .join('\n');
}

function cell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Which gates will check the change (apply's draft gate runs only where a publish follows an import). */
function gateWords(entry: PlanEntry): string {
  if (entry.action === 'update' || (entry.action === 'create' && WORKFLOW_MODES.includes(entry.mode))) return ' (gates: on the imported draft before publish, unless --no-draft-gate; then on the published version)';
  if (entry.action === 'update-model-config' || entry.action === 'create') return ' (gate: once live; this mode has no draft to check first)';
  return '';
}
