// `dify-gitops plan` implementation: load the repository, observe, plan, print, optionally write
// the plan file. Progress (apps done / total) goes to stderr on a TTY only.

import { resolve } from 'node:path';
import { createConnector } from '../../apply/connect.js';
import { readGitRevision } from '../../apply/git-revision.js';
import { loadRepository, requireValidRepository } from '../../config/index.js';
import { openPlanReporter } from '../../github/plan-reporting.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { fetchPlan, selectDesired } from '../../plan/fetch-plan.js';
import { serializePlanFile } from '../../plan/plan-file.js';
import { renderPlan, type PlanFormat } from '../../plan/render-plan.js';
import { planHasChanges, planIsBlocked } from '../../plan/summarize.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { resolveStateDir } from '../../state/state-dir.js';
import type { CliContext } from '../context.js';
import { progressReporter } from './progress.js';

export interface PlanOptions {
  env?: string;
  app?: string[];
  format?: PlanFormat;
  out?: string;
  detailedExitcode?: boolean;
  concurrency?: string;
  config?: string;
  stateDir?: string;
  revision?: string;
  message?: string;
  githubComment?: boolean;
}

export function parseConcurrency(value: string | undefined, fallback = 8): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--concurrency must be an integer from 1 to 256, not ${value}`);
  return n;
}

export async function run(ctx: CliContext, options: PlanOptions): Promise<ExitCode> {
  const concurrency = parseConcurrency(options.concurrency);
  const github = await openPlanReporter(ctx, { enabled: options.githubComment === true });
  const repo = requireValidRepository(await loadRepository({ cwd: ctx.cwd, configPath: options.config, env: ctx.env, onlyEnvironment: options.env, redactor: ctx.redactor }));
  const desired = selectDesired(repo, { environment: options.env, apps: options.app });
  const connector = createConnector({ redactor: ctx.redactor, env: ctx.env, cwd: repo.root, concurrency });
  const progress = progressReporter(ctx, 'planning');
  try {
    const revision = await readGitRevision({ cwd: repo.root, env: ctx.env, revision: options.revision, message: options.message });
    const { plan, warnings } = await fetchPlan(repo, desired, {
      connect: connector.connect,
      stateDir: resolveStateDir(repo.root, options.stateDir),
      concurrency,
      now: () => new Date(),
      revision,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.done();
    for (const warning of warnings) ctx.err(`warning: ${warning}\n`);
    ctx.out(renderPlan(plan, options.format ?? 'text', { color: ctx.isTTY }));
    if (options.out !== undefined) {
      await writeFileAtomic(resolve(ctx.cwd, options.out), ctx.redactor.redact(serializePlanFile(plan)), { mode: 0o644 });
      ctx.err(`plan written to ${options.out}\n`);
    }
    await github.report(plan, { desired, diagnostics: repo.diagnostics });
    if (planIsBlocked(plan)) return ExitCode.Error;
    if (options.detailedExitcode === true && planHasChanges(plan)) return ExitCode.Changes;
    return ExitCode.Ok;
  } finally {
    progress.done();
    await connector.closeAll();
  }
}
