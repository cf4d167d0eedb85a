// The pull-request comment for one environment's plan, as Atlantis shapes a Terraform plan: a
// summary table, lint findings, then per app the semantic diff folded in <details> with a Mermaid
// flowchart of the graph coloured by change, the next command to run and a link to the full plan.
// renderPlanCommentBody gives the whole text (job summary, `npm start`'s demo file);
// renderPlanComment gives the parts to post, each within GitHub's comment limit. Pure: secret
// values never reach a Plan, and the diff renderer masks what normalisation marked secret.

import type { Diagnostic } from '../diagnostics.js';
import { sortDiagnostics } from '../diagnostics.js';
import { WORKFLOW_MODES, renderDiffMarkdown, type DslDocument } from '../dsl/index.js';
import { renderPlanSummary } from '../plan/render-plan.js';
import type { Plan, PlanEntry } from '../plan/types.js';
import { packComment, type CommentSection, type OverflowSummary } from './pack-comment.js';
import { renderMermaid, type MermaidOptions } from './render-mermaid.js';

export interface PlanCommentInput {
  plan: Plan;
  /** The environment this comment is about; the plan's other entries are left out. */
  environment: string;
  /** Desired DSL per app name, for the graphs; without one, a graph shows only what the diff names. */
  desired?: ReadonlyMap<string, DslDocument> | undefined;
  /** Lint and validation findings of the repository. */
  diagnostics?: readonly Diagnostic[] | undefined;
  /** Where the whole plan can be read (the workflow run's job summary, an artifact). */
  fullPlanUrl?: string | undefined;
  /** The apply command to suggest; default `dify-gitops apply --env <environment>`. */
  applyCommand?: string | undefined;
}

export interface PlanCommentOptions {
  /** Comments at most (default 10); past that the last one says what is missing and links the full plan. */
  maxParts?: number;
  /** Characters per comment (default GitHub's 65,536); tests use smaller ones. */
  limit?: number;
  mermaid?: MermaidOptions;
  /** Lint findings listed at most (default 50). */
  maxDiagnostics?: number;
}

export const LEGEND = '🟩 added · 🟨 changed · 🟥 removed (dashed) · ⬜ unchanged · thick arrow: new edge · dotted arrow: removed edge';

/** The comment as parts to post, in order (the hidden marker is added by ensureStickyComment). */
export function renderPlanComment(input: PlanCommentInput, options: PlanCommentOptions = {}): string[] {
  const entries = entriesOf(input);
  const env = code(input.environment);
  return packComment(planSections(input, options), {
    maxParts: options.maxParts ?? 10,
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    continuation: (part, parts) => `_dify-gitops plan for ${env}, continued (part ${part} of ${parts})_`,
    overflowNote: (summary) => overflowNote(input, entries, summary),
  });
}

/** The whole comment as one Markdown text (no splitting). */
export function renderPlanCommentBody(input: PlanCommentInput, options: Omit<PlanCommentOptions, 'maxParts' | 'limit'> = {}): string {
  return `${planSections(input, options).map((s) => s.text).join('\n\n')}\n`;
}

/** The sticky-comment family of an environment's plan (`plan:<environment>`). */
export function planCommentFamily(environment: string): string {
  // Environment names allow `--`, which a marker cannot hold (it would end the HTML comment).
  return `plan:${environment.replace(/-(?=-)/g, '_')}`;
}

function planSections(input: PlanCommentInput, options: PlanCommentOptions): CommentSection[] {
  const entries = entriesOf(input);
  const sections: CommentSection[] = [{ text: header(input, entries) }];
  const lint = lintSection(input.diagnostics ?? [], options.maxDiagnostics ?? 50);
  if (lint !== undefined) sections.push({ text: lint });
  for (const entry of entries.filter((e) => e.action !== 'no-op')) {
    sections.push({ text: appSection(entry, input.desired?.get(entry.app) ?? null, options.mermaid), label: entry.app });
  }
  sections.push({ text: footer(input, entries) });
  return sections;
}

function entriesOf(input: PlanCommentInput): PlanEntry[] {
  return input.plan.entries.filter((e) => e.environment === input.environment);
}

function header(input: PlanCommentInput, entries: PlanEntry[]): string {
  const { plan } = input;
  const server = plan.servers[input.environment];
  const about = [
    plan.revision === null ? undefined : `revision ${code(plan.revision.id)}${plan.revision.subject === '' ? '' : ` (${escapeMarkdown(plan.revision.subject)})`}`,
    server === undefined ? undefined : `Dify ${escapeMarkdown(server.version)}`,
  ].filter((s) => s !== undefined);
  const lines = [
    `### dify-gitops plan: ${code(input.environment)}`,
    '',
    ...(about.length === 0 ? [] : [`${about.join(' · ')}`, '']),
    `**${renderPlanSummary({ ...plan, entries })}**`,
  ];
  if (entries.length === 0) return [...lines, '', `No apps are deployed to ${code(input.environment)}.`].join('\n');
  lines.push('', '| App | Environment | Action | Nodes added | Nodes changed | Nodes removed | Warnings |', '| --- | --- | --- | ---: | ---: | ---: | ---: |');
  for (const entry of entries) {
    const nodes = entry.diff?.summary.nodes;
    const warnings = entry.findings.filter((f) => f.severity === 'warning').length;
    const action = `\`${entry.action}\`${entry.blocked ? ' ⛔ blocked' : ''}`;
    const count = (n: number | undefined): string => (n === undefined ? '–' : String(n));
    lines.push(`| ${cell(entry.app)} | ${cell(entry.environment)} | ${action} | ${count(nodes?.added)} | ${count(nodes?.changed)} | ${count(nodes?.removed)} | ${warnings === 0 ? '0' : `⚠️ ${warnings}`} |`);
  }
  return lines.join('\n');
}

function lintSection(diagnostics: readonly Diagnostic[], max: number): string | undefined {
  if (diagnostics.length === 0) return undefined;
  const sorted = sortDiagnostics(diagnostics);
  const icon = { error: '⛔', warning: '⚠️', info: 'ℹ️' } as const;
  const lines = [`**Lint findings (${sorted.length})**`, ''];
  for (const d of sorted.slice(0, max)) {
    const where = d.line > 0 ? `${d.file}:${d.line}:${Math.max(d.col, 1)}` : d.file;
    lines.push(`- ${icon[d.severity]} ${d.severity} ${code(d.code)} at ${code(where)}: ${escapeMarkdown(oneLine(d.message))}`);
  }
  if (sorted.length > max) lines.push(`- …and ${sorted.length - max} more (see the check run or the job summary)`);
  return lines.join('\n');
}

function appSection(entry: PlanEntry, desired: DslDocument | null, mermaid: MermaidOptions | undefined): string {
  const flag = entry.blocked ? ' ⛔' : entry.findings.some((f) => f.severity === 'warning') ? ' ⚠️' : '';
  const lines = ['<details>', `<summary><b>${escapeHtml(entry.app)}</b>: ${escapeHtml(entry.action)}${flag} — ${escapeHtml(oneLine(entry.summary))}</summary>`, ''];
  const graph = graphOf(entry, desired, mermaid);
  if (graph !== undefined) lines.push(graph, '');
  for (const note of entry.notes) lines.push(`- ${escapeMarkdown(oneLine(note))}`);
  if (entry.importOutcome !== null && entry.changes) lines.push(`- Import: expect \`${entry.importOutcome.status}\` (${escapeMarkdown(oneLine(entry.importOutcome.message))})`);
  if (entry.secrets.length > 0 && entry.changes) lines.push(`- Secrets (names only): ${entry.secrets.map(secretWords).join('; ')}`);
  if (entry.healthChecks.length > 0 && entry.changes) lines.push(`- Health checks: ${entry.healthChecks.map(code).join(', ')}`);
  for (const finding of entry.findings) lines.push(`- **${finding.severity}** ${code(finding.code)}: ${escapeMarkdown(oneLine(finding.message))}`);
  lines.push('');
  if (entry.diff !== null && entry.diff.summary.total > 0 && entry.action !== 'draft-only-drift') lines.push(renderDiffMarkdown(entry.diff).trimEnd(), '');
  if (entry.draftDiff !== null) lines.push('**UI draft vs published** (unpublished edits in Dify):', '', renderDiffMarkdown(entry.draftDiff).trimEnd(), '');
  lines.push('</details>');
  return lines.join('\n');
}

/** A flowchart for workflow apps whose graph changes (or that are created). */
function graphOf(entry: PlanEntry, desired: DslDocument | null, options: MermaidOptions | undefined): string | undefined {
  const diff = entry.diff;
  if (diff === null || !WORKFLOW_MODES.includes(entry.mode) || entry.action === 'draft-only-drift') return undefined;
  const { nodes, edges } = diff.summary;
  if (nodes.added + nodes.removed + nodes.changed + edges.added + edges.removed + edges.rewired === 0) return undefined;
  const graph = renderMermaid(desired, diff, options);
  if (graph.nodes.shown === 0) return undefined;
  const note = graph.note === undefined ? '' : ` ${graph.note}`;
  return ['```mermaid', graph.source, '```', '', `<sub>${LEGEND}.${escapeHtml(note)}</sub>`].join('\n');
}

function footer(input: PlanCommentInput, entries: PlanEntry[]): string {
  const lines = [`**Next:** ${nextStep(input, entries)}`];
  if (input.fullPlanUrl !== undefined) lines.push('', `[Full plan and logs](${input.fullPlanUrl})`);
  return lines.join('\n');
}

export function nextStep(input: Pick<PlanCommentInput, 'environment' | 'applyCommand'>, entries: readonly PlanEntry[]): string {
  const command = input.applyCommand ?? `dify-gitops apply --env ${input.environment}`;
  if (entries.some((e) => e.blocked)) return `apply refuses while an entry is blocked (⛔): fix what the plan reports and push again.`;
  if (entries.some((e) => e.changes)) return `merge to apply, or run ${code(command)}.`;
  return `nothing to apply in ${code(input.environment)}.`;
}

function overflowNote(input: PlanCommentInput, entries: PlanEntry[], summary: OverflowSummary): string {
  const where = input.fullPlanUrl === undefined ? 'in the output of `dify-gitops plan`' : `in the [full plan](${input.fullPlanUrl})`;
  const head = `**Plan truncated:** it needs ${summary.totalParts} comments and ${summary.shownParts} are posted.`;
  let names = summary.omitted.slice(0, 8).map((name) => code(name.slice(0, 40))).join(', ');
  if (summary.omitted.length > 8) names += `, and ${summary.omitted.length - 8} more`;
  const missing = summary.omitted.length === 0 ? '' : ` Not shown (or shown in part): ${summary.omitted.length} apps (${names}).`;
  const note = `${head}${missing} Everything is ${where}.\n\n**Next:** ${nextStep(input, entries)}`;
  // Names are the only unbounded part; drop them rather than overflow the reserve.
  return note.length <= 880 ? note : `${head} ${summary.omitted.length} apps are not shown. Everything is ${where}.\n\n**Next:** ${nextStep(input, entries)}`;
}

function secretWords(secret: PlanEntry['secrets'][number]): string {
  if (secret.effect === 'set') return `${code(secret.variable)} set from ${escapeMarkdown(secret.source)}`;
  if (secret.effect === 'keep') return `${code(secret.variable)} keeps its live value`;
  return `${code(secret.variable)} starts empty`;
}

function code(text: string): string {
  return `\`${oneLine(text).replace(/`/g, "'")}\``;
}

function cell(text: string): string {
  return escapeHtml(oneLine(text)).replace(/\|/g, '\\|');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text that stays text: no emphasis, links, HTML or code spans from what users wrote. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (ch) => `\\${ch}`);
}
