// Puts a plan where reviewers look: one sticky comment per environment on the pull request
// (edited in place on every push, or re-posted with the previous push's comments hidden as
// outdated), the lint findings as annotations on the changed files (a check run, or workflow
// commands when the token may not create one), and the whole plan in the job summary.

import type { Diagnostic } from '../diagnostics.js';
import type { DslDocument } from '../dsl/index.js';
import { UsageError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import type { ActionsContext } from './actions-env.js';
import { publishDiagnostics, renderDiagnosticsSummary, writeJobSummary, type PublishDiagnosticsResult, type WorkflowCommands } from './annotations.js';
import type { GitHub } from './client.js';
import { renderPlanComment, planCommentFamily, type PlanCommentOptions } from './render-plan-comment.js';
import { ensureStickyComment, type StickyCommentResult } from './sticky-comment.js';

export interface PostPlanCommentOptions {
  gh: GitHub;
  actionsContext: ActionsContext;
  plan: Plan;
  environment: string;
  diagnostics?: readonly Diagnostic[] | undefined;
  /** Desired DSL per app name, for the graphs. */
  desired?: ReadonlyMap<string, DslDocument> | undefined;
  /** Comments per environment at most (default 10). */
  maxComments?: number;
  /** 'edit' (default): one comment kept up to date. 'repost': new comments, the previous push's hidden as outdated. */
  strategy?: 'edit' | 'repost';
  /** Only comments by this login count as ours (e.g. `github-actions[bot]`). */
  author?: string | undefined;
  applyCommand?: string | undefined;
  render?: Omit<PlanCommentOptions, 'maxParts'>;
}

export interface PostedPlanComment extends StickyCommentResult {
  environment: string;
  parts: number;
}

export async function postPlanComment(options: PostPlanCommentOptions): Promise<PostedPlanComment> {
  const { actionsContext: actions } = options;
  const issueNumber = actions.pullRequest?.number ?? actions.issueNumber;
  if (issueNumber === undefined) {
    throw new UsageError(`a plan comment needs a pull request, but event ${actions.eventName ?? 'unknown'} has none; run it on pull_request`);
  }
  const maxComments = options.maxComments ?? 10;
  const parts = renderPlanComment(
    {
      plan: options.plan,
      environment: options.environment,
      desired: options.desired,
      diagnostics: options.diagnostics,
      fullPlanUrl: actions.runUrl,
      applyCommand: options.applyCommand,
    },
    { ...options.render, maxParts: maxComments },
  );
  const result = await ensureStickyComment({
    gh: options.gh,
    owner: actions.owner,
    repo: actions.repo,
    issueNumber,
    marker: planCommentFamily(options.environment),
    headSha: actions.pullRequest?.headSha ?? actions.sha,
    parts,
    maxComments,
    strategy: options.strategy ?? 'edit',
    // An earlier, longer plan's extra parts are hidden, not deleted: the history stays readable.
    surplus: 'hide',
    ...(options.author === undefined ? {} : { author: options.author }),
  });
  return { ...result, environment: options.environment, parts: parts.length };
}

export interface ReportDiagnosticsOptions {
  gh: GitHub;
  actionsContext: ActionsContext;
  diagnostics: readonly Diagnostic[];
  /** Check run name (default `dify-gitops / lint`). */
  name?: string;
  /** Markdown added to the job summary after the findings (e.g. the whole plan). */
  summaryExtra?: string | undefined;
  commands?: WorkflowCommands;
  /** Writes the job summary; default @actions/core's summary (GITHUB_STEP_SUMMARY). */
  writeSummary?: (markdown: string) => Promise<boolean>;
}

export interface ReportedDiagnostics {
  annotations: PublishDiagnosticsResult | undefined;
  /** False outside GitHub Actions (no GITHUB_STEP_SUMMARY). */
  jobSummary: boolean;
}

/**
 * Annotations for every finding on the commit under review, and the job summary. Without a
 * commit (no GITHUB_SHA and no pull request) only the summary is written.
 */
export async function reportDiagnostics(options: ReportDiagnosticsOptions): Promise<ReportedDiagnostics> {
  const { actionsContext: actions, diagnostics } = options;
  const headSha = actions.pullRequest?.headSha ?? actions.sha;
  const title = diagnostics.length === 0 ? 'No lint findings' : `${diagnostics.length} lint finding${diagnostics.length === 1 ? '' : 's'}`;
  const table = renderDiagnosticsSummary('dify-gitops lint', diagnostics);
  const annotations =
    headSha === undefined
      ? undefined
      : await publishDiagnostics({
          gh: options.gh,
          owner: actions.owner,
          repo: actions.repo,
          headSha,
          name: options.name ?? 'dify-gitops / lint',
          title,
          summary: table,
          diagnostics,
          detailsUrl: actions.runUrl,
          ...(options.commands === undefined ? {} : { commands: options.commands }),
        });
  const markdown = options.summaryExtra === undefined ? table : `${table}\n\n${options.summaryExtra}`;
  const jobSummary = await (options.writeSummary ?? writeJobSummary)(`${markdown}\n`);
  return { annotations, jobSummary };
}
