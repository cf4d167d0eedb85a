// `dify-gitops serve` implementation: flags → controller config, and the real runners wired in —
// git sync (src/runtime/git-sync.ts), reconcile (src/reconcile), rotateDue (src/rotation, with
// wait: false) and the rotation ledger's ages for /metrics. Scheduling and HTTP live in
// src/runtime/controller.ts. Waits for SIGTERM/SIGINT, then shuts down gracefully (exit 0).

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createConnector } from '../../apply/connect.js';
import { loadRepository, requireValidRepository, type LoadedRepository } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { reconcile, type ReconcileReport } from '../../reconcile/index.js';
// rotate-due directly: the rotation index also exports the demo, which loads octokit eagerly.
import { rotateDue } from '../../rotation/rotate-due.js';
import { startController, type Controller, type RotationRunResult } from '../../runtime/controller.js';
import type { ScheduleSpec } from '../../runtime/scheduler.js';
import { checkBranchName, syncRepository } from '../../runtime/git-sync.js';
import { createLogger, type Logger } from '../../runtime/logger.js';
import { readSecretAges } from '../../runtime/secret-ages.js';
import { ensureStateDir, resolveStateDir } from '../../state/state-dir.js';
import type { CliContext } from '../context.js';
import { openReconcileGitHub } from './reconcile-run.js';

export interface ServeOptions {
  port?: string;
  host?: string;
  repo?: string;
  branch?: string;
  gitSync?: boolean;
  webhookSecretEnv?: string;
  env?: string[];
  once?: boolean;
  maxBody?: string;
  logLevel?: string;
  config?: string;
  stateDir?: string;
}

const LEVELS = ['debug', 'info', 'warn', 'error'];

export async function run(ctx: CliContext, options: ServeOptions): Promise<ExitCode> {
  const port = integer(options.port ?? '8080', '--port', 0, 65_535);
  const maxBodyBytes = integer(options.maxBody ?? String(5 * 1024 * 1024), '--max-body', 1024, 100 * 1024 * 1024);
  const level = options.logLevel ?? 'info';
  if (!LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}, not ${level}`);
  const branch = checkBranchName(options.branch ?? 'main');
  const repoDir = resolve(ctx.cwd, options.repo ?? '.');
  const configPath = options.config === undefined ? undefined : resolve(ctx.cwd, options.config);
  const webhookSecret = readWebhookSecret(ctx, options.webhookSecretEnv);
  const log = createLogger({ redactor: ctx.redactor, write: (line) => ctx.out(line), level });
  const gitSync = options.gitSync === false ? undefined : () => syncRepository({ repoDir, branch, env: ctx.env });

  // The first sync before loading, so the schedules come from the branch, not a stale checkout.
  let syncedCommit = gitSync === undefined ? undefined : (await gitSync()).commit;
  if (syncedCommit !== undefined) log.info({ commit: syncedCommit, branch }, 'serve: repository at the tracked branch');
  const load = async (): Promise<LoadedRepository> => requireValidRepository(await loadRepository({ cwd: repoDir, configPath, env: ctx.env, redactor: ctx.redactor }));
  let current = await readStartupConfig(await load(), options);
  const { stateDir, configFile } = current;
  // Drift issues and adopt pull requests, as `reconcile` does, when GITHUB_TOKEN and GITHUB_REPOSITORY are set.
  const github = await openReconcileGitHub(ctx, { base: branch });
  if (github !== undefined) log.info({ repository: `${github.owner}/${github.repo}` }, 'serve: drift issues and adopt pull requests go to GitHub');
  const runReconcile = (environments: string[], signal: AbortSignal): Promise<ReconcileReport> =>
    reconcile(
      { repoDir, env: environments, signal, ...(configPath === undefined ? {} : { configPath }), ...(options.stateDir === undefined ? {} : { stateDir }) },
      {
        redactor: ctx.redactor,
        env: ctx.env,
        ...(github === undefined ? {} : { github }),
        onEvent: (event) => (event.kind === 'notice' ? log.warn(event.message) : undefined),
      },
    );

  if (options.once === true) {
    const report = await runReconcile(current.selected.map((e) => e.name), new AbortController().signal);
    for (const { env, apps } of report.environments) for (const app of apps) log.info({ environment: env, app: app.app, status: app.status, detail: app.detail }, `${env}/${app.app}: ${app.status}`);
    log.info({ exitCode: report.exitCode }, 'serve --once: done');
    return report.exitCode as ExitCode;
  }

  // A changed configuration may change intervals, environments or rotation schedules: it is read
  // again and the schedules replaced, so a change needs no restart. With git sync the sign is a
  // new commit; without it, a root config whose text changed (every schedule is declared there).
  // Read by the closures below, which the controller itself calls: assigned once it exists.
  // eslint-disable-next-line prefer-const
  let controller: Controller | undefined;
  const reloadConfiguration = async (at: Record<string, string>): Promise<void> => {
    try {
      current = await readStartupConfig(await load(), options);
    } catch (error) {
      // The reconcile that follows meets the same error and reports it; the old schedules stay.
      log.error({ ...at, err: error instanceof Error ? error.message : String(error) }, 'serve: the changed configuration cannot be loaded; the schedules stay as they were');
    }
  };
  const scheduleWhatIsLoaded = async (): Promise<void> => {
    const wanted = scheduleSpec(current);
    if (controller !== undefined && JSON.stringify(wanted) !== JSON.stringify(scheduled)) {
      await controller.reschedule(wanted);
      scheduled = wanted;
    }
  };
  const syncAndReschedule =
    gitSync === undefined
      ? undefined
      : async (): Promise<{ commit: string }> => {
          const synced = await gitSync();
          if (synced.commit !== syncedCommit) {
            syncedCommit = synced.commit;
            await reloadConfiguration({ commit: synced.commit });
          }
          await scheduleWhatIsLoaded();
          return synced;
        };
  let configText = gitSync === undefined ? await readText(configFile) : undefined;
  const reconcileLane =
    gitSync !== undefined
      ? runReconcile
      : async (environments: string[], signal: AbortSignal): Promise<ReconcileReport> => {
          const text = await readText(configFile);
          if (text !== configText) {
            configText = text;
            await reloadConfiguration({ config: configFile });
          }
          await scheduleWhatIsLoaded();
          return runReconcile(environments, signal);
        };
  let scheduled = scheduleSpec(current);
  controller = await startController(
    {
      host: options.host ?? '127.0.0.1',
      port,
      maxBodyBytes,
      webhook: webhookSecret === undefined ? undefined : { secret: webhookSecret, branch },
      ...scheduled,
    },
    {
      logger: log,
      syncRepository: syncAndReschedule,
      reconcile: reconcileLane,
      // Always present: a later commit may add a rotated secret. Without any, nothing is scheduled.
      rotate: async (secrets) => {
        const names = secrets.length > 0 ? secrets : current.rotations.map((r) => r.name);
        return names.length === 0 ? [] : rotateWithLog(ctx, log, { load, stateDir, secrets: names });
      },
      readSecretAges: () => readSecretAges(stateDir, current.rotations),
    },
  );
  const running = controller;
  ctx.err(`dify-gitops serve: listening on ${running.url}\n`);
  await new Promise<void>((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.once(signal, () => {
        log.warn({ signal }, 'serve: second signal; exiting without waiting for the app in flight');
        process.exit(1);
      });
      void running.shutdown(signal).then(done);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return ExitCode.Ok;
}

async function rotateWithLog(ctx: CliContext, log: Logger, input: { load: () => Promise<LoadedRepository>; stateDir: string; secrets: string[] }): Promise<RotationRunResult[]> {
  const repo = await input.load();
  const connector = createConnector({ redactor: ctx.redactor, env: ctx.env, cwd: repo.root });
  const quiet = { debug: () => undefined, info: () => undefined, warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) };
  try {
    const report = await rotateDue(
      {
        repo,
        stateDir: input.stateDir,
        connect: connector.connect,
        redactor: ctx.redactor,
        env: ctx.env,
        now: () => new Date(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        log: (message) => log.info(message),
        wait: false,
        pollMs: 5000,
        github: async (token) => (await import('../../github/client.js')).createGitHubClient({ token, baseUrl: ctx.env.GITHUB_API_URL ?? 'https://api.github.com', redactor: ctx.redactor, log: quiet }),
        lockWaitMs: 0,
        breakStaleLock: false,
      },
      { secrets: input.secrets },
    );
    return report.results.map((r) => ({ secret: r.secret, outcome: r.outcome, message: r.message }));
  } finally {
    await connector.closeAll();
  }
}

/** The schedules (intervals, rotation crons) a loaded configuration asks for. */
function scheduleSpec(config: { selected: LoadedRepository['environments']; rotations: LoadedRepository['rotations'] }): ScheduleSpec {
  return {
    environments: config.selected.map((e) => ({ name: e.name, intervalMs: e.policies.reconcileIntervalMs })),
    rotations: config.rotations.map((r) => ({ name: r.name, schedule: r.schedule?.cron })),
  };
}

/**
 * What the schedules need from a loaded repository (at start, and when the configuration changed).
 * Only these small parts are kept: this function's caller stays suspended for the life of the
 * process, and the whole repository (every app's parsed DSL) would otherwise stay in memory beside
 * the one each reconcile loads.
 */
async function readStartupConfig(
  repo: LoadedRepository,
  options: ServeOptions,
): Promise<{ selected: LoadedRepository['environments']; rotations: LoadedRepository['rotations']; stateDir: string; configFile: string }> {
  const selected = selectEnvironments(repo, options.env);
  return {
    configFile: repo.configFile,
    selected,
    rotations: repo.rotations.filter((r) => selected.some((e) => e.name === r.environment)),
    stateDir: await ensureStateDir(resolveStateDir(repo.root, options.stateDir)),
  };
}

function selectEnvironments(repo: LoadedRepository, names: string[] | undefined): LoadedRepository['environments'] {
  if (names === undefined || names.length === 0) return repo.environments;
  for (const name of names) {
    if (!repo.environments.some((e) => e.name === name)) throw new UsageError(`--env: unknown environment \`${name}\`; the config declares ${repo.environments.map((e) => e.name).join(', ')}`);
  }
  return repo.environments.filter((e) => names.includes(e.name));
}

function readWebhookSecret(ctx: CliContext, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--webhook-secret-env takes the NAME of an environment variable, not \`${name}\``);
  const value = ctx.env[name];
  if (value === undefined || value.trim() === '') throw new UsageError(`--webhook-secret-env ${name}: the variable is not set (or empty)`);
  return ctx.redactor.add(value);
}

/** The file's text, or undefined when it cannot be read (the reconcile that follows says why). */
async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

function integer(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, not ${text}`);
  return n;
}
