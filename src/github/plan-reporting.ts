// `dify-gitops plan --github-comment`: reads the Actions environment before anything is planned
// (a run outside a pull request fails at once, naming what is missing), then, once the plan is
// made, posts one sticky comment per environment, annotates the lint findings and writes the
// whole plan to the job summary. Without the flag the reporter does nothing.

import { readFileSync } from 'node:fs';
import type { CliContext } from '../cli/context.js';
import { renderEnvironmentDsl } from '../config/render-dsl.js';
import type { DesiredApp } from '../config/types.js';
import type { Diagnostic } from '../diagnostics.js';
import type { DslDocument } from '../dsl/index.js';
import { UsageError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { ActionsEnvError, readActionsContext, type ActionsContext } from './actions-env.js';
import type { GitHub } from './client.js';
import { renderPlanCommentBody } from './render-plan-comment.js';

/** GitHub refuses a job summary over 1 MiB; the whole plan goes there only below this. */
const JOB_SUMMARY_BUDGET = 900_000;

export interface PlanReportInput {
  /** The desired apps that were planned (for the graphs). */
  desired: readonly DesiredApp[];
  /** The repository's lint and validation findings. */
  diagnostics: readonly Diagnostic[];
}

export interface PlanReporter {
  report(plan: Plan, input: PlanReportInput): Promise<void>;
}

export interface OpenPlanReporterOptions {
  enabled: boolean;
  /** Comments per environment at most (default 10). */
  maxComments?: number;
}

/** Octokit and @actions/core are loaded only when the flag is given, so a plain `plan` stays fast. */
export async function openPlanReporter(ctx: CliContext, options: OpenPlanReporterOptions): Promise<PlanReporter> {
  if (!options.enabled) return { report: () => Promise.resolve() };
  let actionsContext: ActionsContext;
  try {
    actionsContext = readActionsContext({ env: ctx.env, readFile: (p) => readFileSync(p, 'utf8'), redactor: ctx.redactor, require: ['pullRequest'] });
  } catch (error) {
    if (error instanceof ActionsEnvError) throw new UsageError(`--github-comment: ${error.message}`, { cause: error });
    throw error;
  }
  const { createGitHubClient } = await import('./client.js');
  const gh = createGitHubClient({ token: actionsContext.token, baseUrl: actionsContext.apiUrl, redactor: ctx.redactor });
  return { report: (plan, input) => reportPlan(ctx, gh, actionsContext, plan, input, options.maxComments) };
}

async function reportPlan(ctx: CliContext, gh: GitHub, actionsContext: ActionsContext, plan: Plan, input: PlanReportInput, maxComments: number | undefined): Promise<void> {
  const { postPlanComment, reportDiagnostics } = await import('./post-plan.js');
  const { GitHubApiError } = await import('./client.js');
  const environments = [...new Set(plan.entries.map((e) => e.environment))];
  const bodies: string[] = [];
  let readOnly = false;
  for (const environment of environments) {
    const desired = desiredDocuments(input.desired, environment);
    bodies.push(renderPlanCommentBody({ plan, environment, desired, diagnostics: input.diagnostics, fullPlanUrl: actionsContext.runUrl }));
    if (readOnly) continue;
    try {
      const posted = await postPlanComment({ gh, actionsContext, plan, environment, desired, diagnostics: input.diagnostics, ...(maxComments === undefined ? {} : { maxComments }) });
      const first = posted.comments[0];
      ctx.err(`plan comment for ${environment}: ${first?.action ?? 'posted'} ${first?.url ?? ''} (${posted.parts} part${posted.parts === 1 ? '' : 's'})\n`);
    } catch (error) {
      // A pull request from a fork gets a read-only token: say so, keep the plan in the job summary.
      if (!(error instanceof GitHubApiError) || error.status !== 403 || error.rateLimited) throw error;
      readOnly = true;
      const fork = actionsContext.pullRequest?.isFork === true ? ' (a pull request from a fork gets a read-only GITHUB_TOKEN)' : '';
      ctx.err(`warning: cannot comment on pull request #${actionsContext.pullRequest?.number ?? '?'}${fork}: ${error.githubMessage}; the plan is in the job summary\n`);
    }
  }
  const whole = bodies.join('\n\n---\n\n');
  const summaryExtra = whole.length <= JOB_SUMMARY_BUDGET ? whole : `${bodies.map((b) => b.split('\n').slice(0, 3).join('\n')).join('\n\n')}\n\n_The whole plan is too long for a job summary; run \`dify-gitops plan\` to read it._`;
  const reported = await reportDiagnostics({ gh, actionsContext, diagnostics: input.diagnostics, summaryExtra: ctx.redactor.redact(summaryExtra) });
  if (reported.annotations?.via === 'workflow-commands') ctx.err(`lint findings written as workflow commands (${reported.annotations.reason})\n`);
}

/** The DSL each app gets in `environment` (overrides and mappings applied), by app name. Pure. */
export function desiredDocuments(desired: readonly DesiredApp[], environment: string): Map<string, DslDocument> {
  return new Map(desired.filter((d) => d.environment === environment).map((d) => [d.name, renderEnvironmentDsl(d)]));
}
