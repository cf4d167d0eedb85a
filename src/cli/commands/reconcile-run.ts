// `dify-gitops reconcile` implementation: flags → ReconcileRequest, the GitHub context when one is
// present (GITHUB_TOKEN + GITHUB_REPOSITORY, or --github), then reconcile() and its report.

import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import type { ExitCode } from '../../exit-codes.js';
import { ActionsEnvError, readActionsContext } from '../../github/actions-env.js';
import { reconcile, type ReconcileGitHub } from '../../reconcile/index.js';
import { renderReconcileJson, renderReconcileText } from '../../reconcile/render.js';
import { parseShard } from '../../reconcile/shard.js';
import type { CliContext } from '../context.js';
import { parseConcurrency } from './plan-run.js';

export interface ReconcileOptions {
  env?: string[];
  app?: string[];
  shard?: string;
  retryFailed?: boolean;
  draftCheck?: boolean;
  concurrency?: string;
  format?: 'text' | 'json';
  github?: boolean;
  base?: string;
  config?: string;
  stateDir?: string;
  revision?: string;
}

export async function run(ctx: CliContext, options: ReconcileOptions): Promise<ExitCode> {
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const github = await openReconcileGitHub(ctx, options);
  const report = await reconcile(
    {
      repoDir: ctx.cwd,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.app === undefined ? {} : { apps: options.app }),
      ...(shard === undefined ? {} : { shard }),
      retryFailed: options.retryFailed === true,
      checkDrafts: options.draftCheck !== false,
      ...(options.config === undefined ? {} : { configPath: options.config }),
      ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    },
    {
      redactor: ctx.redactor,
      env: ctx.env,
      concurrency: parseConcurrency(options.concurrency, 8),
      ...(github === undefined ? {} : { github }),
      ...(options.revision === undefined ? {} : { revision: { id: options.revision.slice(0, 20), subject: 'healed by dify-gitops reconcile' } }),
      onEvent: (event) => {
        if (event.kind === 'notice') ctx.err(`notice: ${event.message}\n`);
      },
    },
  );
  ctx.out(options.format === 'json' ? renderReconcileJson(ctx.redactor.redactDeep(report)) : renderReconcileText(report));
  return report.exitCode as ExitCode;
}

/** GitHub reporting is on with --github, or when the token and repository are both present (also used by serve). */
export async function openReconcileGitHub(ctx: CliContext, options: Pick<ReconcileOptions, 'github' | 'base'>): Promise<ReconcileGitHub | undefined> {
  if (options.github === false) return undefined;
  const present = (name: string): boolean => (ctx.env[name] ?? '').trim() !== '';
  if (options.github !== true && !(present('GITHUB_TOKEN') && present('GITHUB_REPOSITORY'))) return undefined;
  let actions;
  try {
    actions = readActionsContext({ env: ctx.env, readFile: (p) => readFileSync(p, 'utf8'), redactor: ctx.redactor });
  } catch (error) {
    if (error instanceof ActionsEnvError) throw new UsageError(`--github: ${error.message}`, { cause: error });
    throw error;
  }
  const { createGitHubClient } = await import('../../github/client.js');
  const gh = createGitHubClient({ token: actions.token, baseUrl: actions.apiUrl, redactor: ctx.redactor });
  return {
    gh,
    owner: actions.owner,
    repo: actions.repo,
    ...(options.base === undefined ? {} : { base: options.base }),
    ...(actions.runUrl === undefined ? {} : { runUrl: actions.runUrl }),
  };
}
