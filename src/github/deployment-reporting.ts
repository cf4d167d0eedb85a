// GitHub Deployments around `dify-gitops apply` (flag --github-deployment): one deployment per
// environment for the commit, `in_progress` before anything changes, then `success`, `failure`
// (before any change, or refused), `failure` "…; rolled back to …" or `error` "Rollback failed,
// needs a human" from what the apply returned, every status linked to the workflow run. The
// outcome mapping (assessDeployment) is pure; descriptions are redacted before they leave.

import { readFileSync } from 'node:fs';
import type { AppApplyResult } from '../apply/types.js';
import type { CliContext } from '../cli/context.js';
import { ActionsEnvError, readActionsContext, type ActionsContext } from './actions-env.js';
import type { GitHub } from './client.js';
import { createDeployment, setDeploymentStatus, type DeploymentOutcome } from './deployments.js';
import { UsageError } from '../errors.js';

type ResultForDeployment = Pick<AppApplyResult, 'environment' | 'app' | 'outcome' | 'message'> & { gate?: 'draft' | 'published' | undefined };

/** The part of an apply's result a deployment status is made from. */
export interface ApplyOutcomeForDeployment {
  results: readonly ResultForDeployment[];
  recovered: readonly ResultForDeployment[];
  /** Apply refused to start (a blocked plan). */
  refused?: string | undefined;
  plan?: { revision: { id: string } | null } | undefined;
}

/** The status one environment's deployment ends with. Pure. */
export function assessDeployment(environment: string, outcome: ApplyOutcomeForDeployment): DeploymentOutcome {
  const mine = [...outcome.recovered, ...outcome.results].filter((r) => r.environment === environment);
  const named = (list: readonly { app: string }[]): string => (list.length === 1 ? list[0]!.app : `${list.length} apps (${list.map((r) => r.app).join(', ')})`);
  const human = mine.filter((r) => r.outcome === 'needs-human');
  if (human.length > 0) return { kind: 'rollback_failed', reason: `${named(human)}: ${human[0]!.message}` };
  // Stopped at the draft gate: nothing went live, so there was nothing to roll back.
  const rolledBack = mine.filter((r) => r.outcome === 'rolled-back' && r.gate !== 'draft');
  const stoppedAtDraft = mine.filter((r) => r.outcome === 'rolled-back' && r.gate === 'draft');
  if (rolledBack.length > 0) {
    const one = rolledBack.length === 1;
    return { kind: 'rolled_back', reason: `${named(rolledBack)} failed ${one ? 'its' : 'their'} health checks`, toVersion: one ? 'the previous version' : 'the previous versions' };
  }
  if (stoppedAtDraft.length > 0) {
    const one = stoppedAtDraft.length === 1;
    return { kind: 'failure', reason: `${named(stoppedAtDraft)} failed ${one ? 'its' : 'their'} health checks on the draft; nothing was published` };
  }
  if (outcome.refused !== undefined) return { kind: 'failure', reason: outcome.refused };
  const failed = mine.filter((r) => r.outcome === 'failed-before-change');
  if (failed.length > 0) return { kind: 'failure', reason: `${named(failed)}: ${failed[0]!.message}` };
  const applied = mine.filter((r) => r.outcome === 'applied' || r.outcome === 'recovered').length;
  const revision = outcome.plan?.revision?.id;
  const what = revision === undefined ? 'Deployed' : `Deployed ${revision}`;
  if (applied === 0) return { kind: 'success', description: `${what}: nothing to change; Dify already matches git` };
  return { kind: 'success', description: `${what}: ${applied} app${applied === 1 ? '' : 's'} applied; healthy` };
}

export interface DeploymentTarget {
  gh: GitHub;
  actionsContext: ActionsContext;
  /** Descriptions pass through it before they are sent. */
  redact: (text: string) => string;
  /** Told when a final status could not be set (apply's result still stands). */
  warn: (message: string) => void;
}

/**
 * Runs `apply` inside one GitHub deployment per environment. A throw from `apply` marks every
 * deployment failed and is rethrown; a GitHub failure after apply never hides apply's result.
 */
export async function withDeployments<T extends ApplyOutcomeForDeployment>(
  target: DeploymentTarget,
  environments: readonly string[],
  apply: () => Promise<T>,
): Promise<T> {
  const { gh, actionsContext: actions } = target;
  const sha = actions.sha;
  if (sha === undefined) throw new UsageError('GitHub deployments need GITHUB_SHA (the commit being deployed)');
  const common = { gh, owner: actions.owner, repo: actions.repo, logUrl: actions.runUrl };
  const deployments: { environment: string; id: number }[] = [];
  for (const environment of environments) {
    const { id } = await createDeployment({ gh, owner: actions.owner, repo: actions.repo, sha, environment, payload: { tool: 'dify-gitops', run: actions.runUrl ?? null } });
    deployments.push({ environment, id });
    await setDeploymentStatus({ ...common, deploymentId: id, outcome: { kind: 'in_progress' } });
  }
  let result: T;
  try {
    result = await apply();
  } catch (error) {
    const reason = target.redact(error instanceof Error ? error.message : String(error));
    for (const d of deployments) {
      // The apply's own error is what matters; a GitHub failure here is only reported.
      await setDeploymentStatus({ ...common, deploymentId: d.id, outcome: { kind: 'failure', reason } }).catch((statusError: unknown) =>
        target.warn(`could not mark the GitHub deployment of ${d.environment} failed: ${statusError instanceof Error ? statusError.message : String(statusError)}`),
      );
    }
    throw error;
  }
  for (const d of deployments) {
    try {
      await setDeploymentStatus({ ...common, deploymentId: d.id, outcome: redactOutcome(assessDeployment(d.environment, result), target.redact) });
    } catch (error) {
      target.warn(`could not set the GitHub deployment status of ${d.environment}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}

function redactOutcome(outcome: DeploymentOutcome, redact: (text: string) => string): DeploymentOutcome {
  switch (outcome.kind) {
    case 'failure':
    case 'rollback_failed':
      return { ...outcome, reason: redact(outcome.reason) };
    case 'rolled_back':
      return { ...outcome, toVersion: redact(outcome.toVersion), ...(outcome.reason === undefined ? {} : { reason: redact(outcome.reason) }) };
    default:
      return outcome.description === undefined ? outcome : { ...outcome, description: redact(outcome.description) };
  }
}

export interface DeploymentTracker {
  /** Runs `apply`, inside deployments when --github-deployment was given, else as is. */
  track<T extends ApplyOutcomeForDeployment>(environments: readonly string[], apply: () => Promise<T>): Promise<T>;
}

/**
 * For the apply command: reads the Actions environment up front (so a missing token fails before
 * anything changes) when `enabled`; otherwise a tracker that only runs apply. Octokit is loaded
 * only when enabled.
 */
export async function openDeploymentTracker(ctx: CliContext, options: { enabled: boolean }): Promise<DeploymentTracker> {
  if (!options.enabled) return { track: (_environments, apply) => apply() };
  let actionsContext: ActionsContext;
  try {
    actionsContext = readActionsContext({ env: ctx.env, readFile: (p) => readFileSync(p, 'utf8'), redactor: ctx.redactor, require: ['sha'] });
  } catch (error) {
    if (error instanceof ActionsEnvError) throw new UsageError(`--github-deployment: ${error.message}`, { cause: error });
    throw error;
  }
  const { createGitHubClient } = await import('./client.js');
  const gh = createGitHubClient({ token: actionsContext.token, baseUrl: actionsContext.apiUrl, redactor: ctx.redactor });
  const target: DeploymentTarget = {
    gh,
    actionsContext,
    redact: (text) => ctx.redactor.redact(text),
    warn: (message) => ctx.err(`warning: ${message}\n`),
  };
  return { track: (environments, apply) => withDeployments(target, environments, apply) };
}
