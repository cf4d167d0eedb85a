// Shows Diagnostics on GitHub at the file and line they concern. With a token that may create
// check runs (checks: write) they become one check run with annotations, sent 50 at a time (the
// Checks API limit per request). A plain GITHUB_TOKEN without that permission (forks, read-only
// workflows) answers 403 to the first request; we then fall back to `::error file=…::` workflow
// commands through @actions/core, which escapes them. Also writes the job summary.

import * as core from '@actions/core';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { sortDiagnostics } from '../diagnostics.js';
import { GitHubApiError, type GitHub } from './client.js';
import { safeSlice } from './markdown-blocks.js';

export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub caps a check run's output.summary and output.text at 65,535 characters. */
const OUTPUT_LIMIT = 65_535;

export type CheckConclusion = 'success' | 'failure' | 'neutral';
export type AnnotationLevel = 'notice' | 'warning' | 'failure';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  message: string;
  title: string;
}

/** The part of @actions/core used for the fallback; tests and other runners may pass their own. */
export type WorkflowCommands = Pick<typeof core, 'error' | 'warning' | 'notice'>;

export interface PublishDiagnosticsOptions {
  gh: GitHub;
  owner: string;
  repo: string;
  headSha: string;
  /** Check run name, e.g. `dify-gitops / validate`. */
  name: string;
  title: string;
  /** Markdown shown on the check run page. */
  summary: string;
  diagnostics: readonly Diagnostic[];
  /** Default: failure with errors, neutral with warnings only, success otherwise. */
  conclusion?: CheckConclusion;
  detailsUrl?: string | undefined;
  commands?: WorkflowCommands;
}

export type PublishDiagnosticsResult =
  | { via: 'check-run'; checkRunId: number; url: string; annotations: number; requests: number }
  | { via: 'workflow-commands'; reason: string; annotations: number };

export async function publishDiagnostics(options: PublishDiagnosticsOptions): Promise<PublishDiagnosticsResult> {
  const { gh, owner, repo } = options;
  const diagnostics = sortDiagnostics(options.diagnostics);
  const annotations = diagnostics.map(renderAnnotation);
  const batches = chunk(annotations, ANNOTATIONS_PER_REQUEST);
  const conclusion = options.conclusion ?? assessConclusion(diagnostics);
  const output = (batch: CheckAnnotation[]) => ({
    title: safeSlice(options.title, 255),
    summary: safeSlice(options.summary, OUTPUT_LIMIT),
    annotations: batch,
  });
  const done = { status: 'completed' as const, conclusion };
  const last = batches.length - 1;

  let created;
  try {
    created = await gh.rest.checks.create({
      owner,
      repo,
      name: options.name,
      head_sha: options.headSha,
      ...(options.detailsUrl === undefined ? {} : { details_url: options.detailsUrl }),
      ...(last === 0 ? done : { status: 'in_progress' as const }),
      output: output(batches[0]!),
    });
  } catch (error) {
    if (!(error instanceof GitHubApiError) || error.status !== 403 || error.rateLimited) throw error;
    emitWorkflowCommands(diagnostics, options.commands ?? core);
    return { via: 'workflow-commands', reason: error.githubMessage, annotations: diagnostics.length };
  }
  const checkRunId = created.data.id;
  for (let i = 1; i <= last; i++) {
    await gh.rest.checks.update({
      owner,
      repo,
      check_run_id: checkRunId,
      ...(i === last ? done : {}),
      output: output(batches[i]!),
    });
  }
  return { via: 'check-run', checkRunId, url: created.data.html_url ?? '', annotations: annotations.length, requests: batches.length };
}

/** Diagnostic → Checks API annotation. Columns only when known (the API allows them on one line only). */
export function renderAnnotation(d: Diagnostic): CheckAnnotation {
  const line = Math.max(d.line, 1);
  return {
    path: d.file,
    start_line: line,
    end_line: line,
    ...(d.line > 0 && d.col > 0 ? { start_column: d.col, end_column: d.col } : {}),
    annotation_level: LEVELS[d.severity],
    message: safeSlice(d.path === undefined ? d.message : `${d.message}\n(at ${d.path})`, OUTPUT_LIMIT),
    title: safeSlice(d.code, 255),
  };
}

const LEVELS: Record<Severity, AnnotationLevel> = { error: 'failure', warning: 'warning', info: 'notice' };

export function assessConclusion(diagnostics: readonly Diagnostic[]): CheckConclusion {
  if (diagnostics.some((d) => d.severity === 'error')) return 'failure';
  return diagnostics.some((d) => d.severity === 'warning') ? 'neutral' : 'success';
}

/**
 * `::error file=…,line=…,col=…,title=…::message` lines. GitHub shows at most 10 errors and 10
 * warnings per step as annotations; the rest still appear in the log.
 */
export function emitWorkflowCommands(diagnostics: readonly Diagnostic[], commands: WorkflowCommands = core): void {
  for (const d of diagnostics) {
    const properties = {
      title: d.code,
      file: d.file,
      ...(d.line > 0 ? { startLine: d.line } : {}),
      ...(d.line > 0 && d.col > 0 ? { startColumn: d.col } : {}),
    };
    const message = d.path === undefined ? d.message : `${d.message} (at ${d.path})`;
    if (d.severity === 'error') commands.error(message, properties);
    else if (d.severity === 'warning') commands.warning(message, properties);
    else commands.notice(message, properties);
  }
}

/** A Markdown table of the diagnostics for the job summary or a check run summary. Pure. */
export function renderDiagnosticsSummary(title: string, diagnostics: readonly Diagnostic[], maxRows = 200): string {
  const sorted = sortDiagnostics(diagnostics);
  const count = (s: Severity) => sorted.filter((d) => d.severity === s).length;
  const lines = [`### ${title}`, '', `${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes.`];
  if (sorted.length === 0) return lines.join('\n');
  lines.push('', '| Severity | Location | Code | Message |', '| --- | --- | --- | --- |');
  for (const d of sorted.slice(0, maxRows)) {
    const where = d.line > 0 ? `${d.file}:${d.line}:${Math.max(d.col, 1)}` : d.file;
    lines.push(`| ${d.severity} | ${cell(where)} | ${cell(d.code)} | ${cell(d.message)} |`);
  }
  if (sorted.length > maxRows) lines.push('', `…and ${sorted.length - maxRows} more.`);
  return lines.join('\n');
}

/**
 * Appends Markdown to the job summary (GITHUB_STEP_SUMMARY, read by @actions/core). Returns false
 * outside GitHub Actions, where there is no summary to write to.
 */
export async function writeJobSummary(markdown: string, summary: typeof core.summary = core.summary): Promise<boolean> {
  try {
    await summary.addRaw(markdown, true).write();
    return true;
  } catch (error) {
    if (/GITHUB_STEP_SUMMARY/.test((error as Error).message)) {
      summary.emptyBuffer();
      return false;
    }
    throw error;
  }
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, '<br>');
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches.length === 0 ? [[]] : batches;
}
