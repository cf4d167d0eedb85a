// `dify-gitops watch` implementation: one cycle at start and one per burst of file changes.
// A cycle is the `plan` command's own implementation (plan-run.ts: load and validate, observe,
// plan, render) or, with --apply on a dev environment, the `apply` command's (apply-run.ts);
// nothing of either is re-implemented here. Cycles never overlap: changes during a cycle make
// one more cycle after it (src/runtime/lane.ts).

import { dirname, join, relative } from 'node:path';
import { findConfigFile, loadRepository, type LoadedRepository } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { watchFiles } from '../../runtime/file-watcher.js';
import { createLane } from '../../runtime/lane.js';
import type { PlanFormat } from '../../plan/render-plan.js';
import type { CliContext } from '../context.js';
import { reportError, runCommand } from '../run-command.js';
import { run as runApply } from './apply-run.js';
import { run as runPlan } from './plan-run.js';

export interface WatchOptions {
  env?: string;
  app?: string[];
  apply?: boolean;
  format?: PlanFormat;
  debounce?: string;
  config?: string;
  stateDir?: string;
}

export interface WatchHooks {
  /** Stops watching (the CLI aborts on SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** After each cycle, with its number (1 = the one at start) and exit code. */
  onCycle?(cycle: number, exitCode: ExitCode): void;
  /** The watcher is ready: changes from now on are seen. */
  onReady?(): void;
}

export async function run(ctx: CliContext, options: WatchOptions): Promise<ExitCode> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await watchRepository(ctx, options, { signal: controller.signal });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return ExitCode.Ok;
}

export async function watchRepository(ctx: CliContext, options: WatchOptions, hooks: WatchHooks): Promise<void> {
  const debounceMs = Number(options.debounce ?? '300');
  if (!Number.isInteger(debounceMs) || debounceMs < 0 || debounceMs > 60_000) throw new UsageError(`--debounce must be a number of milliseconds from 0 to 60000, not ${options.debounce}`);
  const configFile = findConfigFile({ cwd: ctx.cwd, configPath: options.config, env: ctx.env });
  const root = dirname(configFile);
  if (options.apply === true) refuseNonDev(await loadRepository({ cwd: ctx.cwd, configPath: options.config, env: ctx.env, onlyEnvironment: options.env, redactor: ctx.redactor }), options.env);

  let cycles = 0;
  const lane = createLane<ExitCode>({
    name: 'watch',
    run: async (_targets, _signal, reasons) => {
      const cycle = ++cycles;
      ctx.err(`[watch] ${new Date().toISOString()} ${reasons.join('; ')}: ${options.apply === true ? 'applying' : 'planning'}${options.env === undefined ? '' : ` ${options.env}`} (cycle ${cycle})\n`);
      const code = await runCommand(ctx, () => cycleOnce(ctx, options));
      ctx.err(`[watch] cycle ${cycle} done (exit ${code}); watching ${relative(ctx.cwd, root) || '.'} for changes\n`);
      hooks.onCycle?.(cycle, code);
      return code;
    },
  });
  const watcher = watchFiles({
    paths: [join(root, 'workflows'), join(root, 'schemas'), configFile],
    debounceMs,
    onChange: (paths) => void lane.request([], { source: 'webhook', label: `changed ${paths.map((p) => relative(root, p)).join(', ')}` }),
    onError: (error) => reportError(ctx, error),
  });
  try {
    await watcher.ready;
    hooks.onReady?.();
    lane.request([], { source: 'startup', label: 'start' });
    await new Promise<void>((resolve) => {
      if (hooks.signal.aborted) resolve();
      else hooks.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await watcher.close();
    await lane.close();
  }
}

/** One cycle: re-read the config (dev may have changed) and run plan, or apply on dev only. */
async function cycleOnce(ctx: CliContext, options: WatchOptions): Promise<ExitCode> {
  const common = { ...(options.env === undefined ? {} : { env: options.env }), ...(options.app === undefined ? {} : { app: options.app }), ...(options.config === undefined ? {} : { config: options.config }), ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }) };
  if (options.apply !== true) return runPlan(ctx, { ...common, format: options.format ?? 'text' });
  const repo = await loadRepository({ cwd: ctx.cwd, configPath: options.config, env: ctx.env, onlyEnvironment: options.env, redactor: ctx.redactor });
  if (repo.valid) refuseNonDev(repo, options.env);
  return runApply(ctx, { ...common, format: options.format === 'json' ? 'json' : 'text' });
}

/** --apply deploys on every save: only to environments the config marks `dev: true`. */
export function refuseNonDev(repo: LoadedRepository, env: string | undefined): void {
  const selected = repo.environments.filter((e) => env === undefined || e.name === env);
  if (env !== undefined && selected.length === 0) throw new UsageError(`--env: unknown environment \`${env}\`; the config declares ${repo.environments.map((e) => e.name).join(', ')}`);
  const notDev = selected.filter((e) => !e.dev).map((e) => e.name);
  if (notDev.length > 0) {
    const devs = repo.environments.filter((e) => e.dev).map((e) => e.name);
    throw new UsageError(
      `watch --apply deploys on every save, so it is allowed only for environments marked \`dev: true\` in ${repo.configFile}; ` +
        `${notDev.join(', ')} ${notDev.length === 1 ? 'is' : 'are'} not. ` +
        (devs.length > 0 ? `Use --env ${devs[0]!}` : 'Mark a development environment `dev: true`') +
        ', or run `dify-gitops plan` and `dify-gitops apply` for the others.',
    );
  }
}
