// GitHub Deployments for dify-gitops applies: one deployment per environment and commit, then
// statuses that follow the apply (in progress, success, failure, rolled back). GitHub has no
// "rolled back" state, so a rollback is a `failure` whose description says what happened and
// which version is live again; a failed rollback is an `error` asking for a human.

import { InternalError } from '../errors.js';
import type { GitHub } from './client.js';
import { safeSlice } from './markdown-blocks.js';

/** GitHub rejects longer deployment status descriptions. */
export const DESCRIPTION_LIMIT = 140;

export interface CreateDeploymentOptions {
  gh: GitHub;
  owner: string;
  repo: string;
  /** The commit being deployed. */
  sha: string;
  environment: string;
  description?: string;
  /** The environment goes away after the deployment (a preview); default false. */
  transient?: boolean;
  /** Users interact with this environment; default: true when it is named like production. */
  production?: boolean;
  payload?: Record<string, unknown>;
}

export async function createDeployment(options: CreateDeploymentOptions): Promise<{ id: number }> {
  const { gh, owner, repo } = options;
  const response = await gh.rest.repos.createDeployment({
    owner,
    repo,
    ref: options.sha,
    environment: options.environment,
    // dify-gitops deploys the commit it was given; it neither merges branches nor waits on checks.
    auto_merge: false,
    required_contexts: [],
    transient_environment: options.transient ?? false,
    production_environment: options.production ?? /^prod/i.test(options.environment),
    description: truncateDescription(options.description ?? `dify-gitops apply to ${options.environment}`),
    ...(options.payload === undefined ? {} : { payload: options.payload }),
  });
  const data: unknown = response.data;
  if (response.status !== 201 || data === null || typeof data !== 'object' || typeof (data as { id?: unknown }).id !== 'number') {
    throw new InternalError(`GitHub did not create a deployment for ${options.environment} (HTTP ${response.status})`);
  }
  return { id: (data as { id: number }).id };
}

export type DeploymentOutcome =
  | { kind: 'in_progress'; description?: string }
  | { kind: 'success'; version?: string; description?: string }
  | { kind: 'failure'; reason: string }
  | { kind: 'rolled_back'; toVersion: string; reason?: string }
  | { kind: 'rollback_failed'; reason: string };

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

/** The state and description GitHub shows for an outcome. Pure. */
export function renderDeploymentStatus(outcome: DeploymentOutcome): { state: DeploymentState; description: string } {
  switch (outcome.kind) {
    case 'in_progress':
      return { state: 'in_progress', description: truncateDescription(outcome.description ?? 'Importing, publishing and checking health') };
    case 'success':
      return {
        state: 'success',
        description: truncateDescription(outcome.description ?? (outcome.version === undefined ? 'Deployed and healthy' : `Deployed ${outcome.version}; healthy`)),
      };
    case 'failure':
      return { state: 'failure', description: truncateDescription(`Deploy failed: ${outcome.reason}`) };
    case 'rolled_back':
      return {
        state: 'failure',
        description: truncateDescription(
          `${outcome.reason ?? 'Health checks failed'}; rolled back to ${outcome.toVersion}`,
          `; rolled back to ${outcome.toVersion}`,
        ),
      };
    case 'rollback_failed':
      return { state: 'error', description: truncateDescription(`Rollback failed, needs a human: ${outcome.reason}`) };
  }
}

export interface SetDeploymentStatusOptions {
  gh: GitHub;
  owner: string;
  repo: string;
  deploymentId: number;
  outcome: DeploymentOutcome;
  /** The workflow run: `<server>/<owner>/<repo>/actions/runs/<run id>` (ActionsContext.runUrl). */
  logUrl?: string | undefined;
  /** Where the deployed thing lives, e.g. the Dify app; defaults to logUrl. */
  environmentUrl?: string | undefined;
}

export async function setDeploymentStatus(options: SetDeploymentStatusOptions): Promise<{ id: number; state: DeploymentState }> {
  const { gh, owner, repo } = options;
  const { state, description } = renderDeploymentStatus(options.outcome);
  const environmentUrl = options.environmentUrl ?? options.logUrl;
  const { data } = await gh.rest.repos.createDeploymentStatus({
    owner,
    repo,
    deployment_id: options.deploymentId,
    state,
    description,
    ...(options.logUrl === undefined ? {} : { log_url: options.logUrl }),
    ...(environmentUrl === undefined ? {} : { environment_url: environmentUrl }),
  });
  return { id: data.id, state };
}

/**
 * Shortens to GitHub's 140 characters. `keep` is a tail that must survive (the version rolled
 * back to), so the reason is what gets cut.
 */
export function truncateDescription(text: string, keep = ''): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= DESCRIPTION_LIMIT) return oneLine;
  if (keep !== '' && oneLine.endsWith(keep) && keep.length < DESCRIPTION_LIMIT - 10) {
    const head = oneLine.slice(0, oneLine.length - keep.length);
    return `${safeSlice(head, DESCRIPTION_LIMIT - keep.length - 1)}…${keep}`;
  }
  return `${safeSlice(oneLine, DESCRIPTION_LIMIT - 1)}…`;
}
