// `dify-gitops apply` implementation: load the repository (and the saved plan), then applyAll.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyAll } from '../../apply/apply-all.js';
import { createConnector } from '../../apply/connect.js';
import { fitRevision, readGitRevision } from '../../apply/git-revision.js';
import { renderApplyText } from '../../apply/render-result.js';
import { loadRepository, requireValidRepository } from '../../config/index.js';
import { InputError, UsageError } from '../../errors.js';
import { openDeploymentTracker } from '../../github/deployment-reporting.js';
import { ExitCode } from '../../exit-codes.js';
import { fetchPlan, selectDesired } from '../../plan/fetch-plan.js';
import { parsePlanFile } from '../../plan/plan-file.js';
import { renderPlan } from '../../plan/render-plan.js';
import type { Plan } from '../../plan/types.js';
import { resolveStateDir } from '../../state/state-dir.js';
import type { CliContext } from '../context.js';
import { parseConcurrency } from './plan-run.js';

export interface ApplyOptions {
  env?: string;
  app?: string[];
  plan?: string;
  dryRun?: boolean;
  concurrency?: string;
  lockWait?: string;
  requestTimeout?: string;
  breakStaleLock?: boolean;
  format?: 'text' | 'json';
  config?: string;
  stateDir?: string;
  revision?: string;
  message?: string;
  githubDeployment?: boolean;
  /** commander's `--no-draft-gate`: false turns the draft gate off. */
  draftGate?: boolean;
}

export async function run(ctx: CliContext, options: ApplyOptions): Promise<ExitCode> {
  const concurrency = parseConcurrency(options.concurrency, 4);
  const lockWaitMs = parseSeconds(options.lockWait, 0, '--lock-wait');
  const deployments = await openDeploymentTracker(ctx, { enabled: options.githubDeployment === true });
  const repo = requireValidRepository(await loadRepository({ cwd: ctx.cwd, configPath: options.config, env: ctx.env, onlyEnvironment: options.env, redactor: ctx.redactor }));
  let desired = selectDesired(repo, { environment: options.env, apps: options.app });
  let saved: Plan | undefined;
  if (options.plan !== undefined) {
    const file = resolve(ctx.cwd, options.plan);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new InputError('E_PLAN_FILE', `cannot read the plan file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { file: options.plan });
    }
    const plan = parsePlanFile(text, options.plan);
    const keep = (e: { environment: string; app: string }): boolean => desired.some((d) => d.environment === e.environment && d.name === e.app);
    const missing = plan.entries.filter((e) => !repo.desired.some((d) => d.environment === e.environment && d.name === e.app));
    if (missing.length > 0) throw new UsageError(`the plan names apps this repository does not have: ${missing.map((e) => `${e.environment}/${e.app}`).join(', ')}`);
    saved = { ...plan, entries: plan.entries.filter(keep) };
    desired = desired.filter((d) => saved!.entries.some((e) => e.environment === d.environment && e.app === d.name));
  }
  const revision =
    saved?.revision ?? (await readGitRevision({ cwd: repo.root, env: ctx.env, revision: options.revision, message: options.message })) ?? fitRevision({ id: 'dify-gitops', subject: 'applied by dify-gitops' });
  const connector = createConnector({ redactor: ctx.redactor, env: ctx.env, cwd: repo.root, concurrency: Math.max(concurrency, 4), timeoutMs: parseSeconds(options.requestTimeout, 30, '--request-timeout') });
  const stateDir = resolveStateDir(repo.root, options.stateDir);
  try {
    if (options.dryRun === true) {
      const plan = saved ?? (await fetchPlan(repo, desired, { connect: connector.connect, stateDir, concurrency, now: () => new Date(), revision })).plan;
      ctx.out(renderPlan(plan, options.format === 'json' ? 'json' : 'text', { color: ctx.isTTY }));
      return ExitCode.Ok;
    }
    const environments = [...new Set(desired.map((d) => d.environment))];
    const result = await deployments.track(environments, () => applyAll(repo, desired, saved, {
      connect: connector.connect,
      stateDir,
      redactor: ctx.redactor,
      env: ctx.env,
      now: () => new Date(),
      notice: (message) => ctx.err(`notice: ${message}\n`),
      concurrency,
      lockWaitMs,
      breakStaleLock: options.breakStaleLock === true,
      draftGate: options.draftGate !== false,
      revision,
    }));
    if (options.format === 'json') ctx.out(`${JSON.stringify(ctx.redactor.redactDeep(result), null, 2)}\n`);
    else {
      if (saved === undefined && result.plan.entries.length > 0) ctx.out(renderPlan(result.plan, 'text', { color: ctx.isTTY }) + '\n');
      ctx.out(renderApplyText(result));
    }
    return result.exitCode;
  } finally {
    await connector.closeAll();
  }
}

export function parseSeconds(value: string | undefined, fallback: number, flag: string): number {
  const seconds = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`${flag} must be a number of seconds, not ${value}`);
  return seconds * 1000;
}
