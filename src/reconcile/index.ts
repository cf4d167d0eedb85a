// The programmatic entry of reconcile (used by `dify-gitops reconcile` and by `serve`): compare
// git with every live app and act by each app's drift policy (docs/reconcile.md). Environments
// run in parallel; within one, apps are compared with a bounded concurrency. An abort signal
// stops new apps from starting; the apps in flight finish and are reported.

import { createSessions, type Sessions } from '../apply/session-factory.js';
import { createConnector } from '../apply/connect.js';
import { fitRevision, readGitRevision } from '../apply/git-revision.js';
import { loadRepository, requireValidRepository } from '../config/index.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { SnapshotStore } from '../state/snapshot-store.js';
import { ensureStateDir, resolveStateDir } from '../state/state-dir.js';
import { DEFAULT_BACKOFF, worstOf } from './decide.js';
import { reconcileEnvironment } from './reconcile-env.js';
import { inShard, validateShard } from './shard.js';
import type { ReconcileDeps, ReconcileReport, ReconcileRequest } from './types.js';

export type {
  ReconcileAppResult,
  ReconcileDeps,
  ReconcileEnvironmentReport,
  ReconcileEvent,
  ReconcileGitHub,
  ReconcileReport,
  ReconcileRequest,
  ReconcileStatus,
} from './types.js';
export { parseShard, shardOf, type Shard } from './shard.js';
export { DEFAULT_BACKOFF, type Backoff } from './decide.js';

export async function reconcile(request: ReconcileRequest, deps: ReconcileDeps): Promise<ReconcileReport> {
  const now = deps.now ?? (() => new Date());
  if (request.shard !== undefined) validateShard(request.shard);
  const repo = requireValidRepository(await loadRepository({ cwd: request.repoDir, configPath: request.configPath, env: deps.env, redactor: deps.redactor }));
  for (const name of request.env ?? []) {
    if (!repo.environments.some((e) => e.name === name)) throw new UsageError(`unknown environment \`${name}\`; the config declares ${repo.environments.map((e) => e.name).join(', ') || 'none'}`);
  }
  const appFilter = request.apps !== undefined && request.apps.length > 0 ? request.apps : undefined;
  for (const name of appFilter ?? []) {
    // A name git no longer has is allowed: it may be a managed app to prune.
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError(`--app \`${name}\` is not an app name`);
  }
  const environments = repo.environments.filter((e) => request.env === undefined || request.env.length === 0 || request.env.includes(e.name));
  const revision = deps.revision ?? (await readGitRevision({ cwd: repo.root, env: deps.env })) ?? fitRevision({ id: 'dify-gitops', subject: 'healed by dify-gitops reconcile' });
  const stateDir = await ensureStateDir(resolveStateDir(repo.root, request.stateDir));
  const concurrency = deps.concurrency ?? 8;
  const connector = deps.connect === undefined ? createConnector({ redactor: deps.redactor, env: deps.env, cwd: repo.root, concurrency: Math.max(concurrency, 4) }) : undefined;
  const connect = deps.connect ?? connector!.connect;
  const onEvent = deps.onEvent ?? (() => undefined);
  let sessions: Promise<Sessions> | undefined;
  const sessionsOnce = (): Promise<Sessions> =>
    (sessions ??= createSessions(repo.root, {
      connect,
      stateDir,
      redactor: deps.redactor,
      env: deps.env,
      now,
      notice: (message) => onEvent({ kind: 'notice', message }),
      concurrency,
      lockWaitMs: deps.lockWaitMs ?? 0,
      breakStaleLock: false,
    }));
  const snapshots = new SnapshotStore(stateDir, deps.redactor);

  try {
    const reports = await Promise.all(
      environments.map((environment) => {
        const allDesired = repo.desired.filter((d) => d.environment === environment.name);
        const selected = allDesired.filter((d) => (appFilter === undefined || appFilter.includes(d.name)) && inShard(environment.name, d.name, request.shard));
        return reconcileEnvironment({
          repoRoot: repo.root,
          environment,
          allDesired,
          selected,
          appFilter,
          shard: request.shard,
          connect: () => connect(environment),
          session: async () => (await sessionsOnce()).sessionFor(environment),
          snapshots,
          stateDir,
          revision,
          retryFailed: request.retryFailed === true,
          checkDrafts: request.checkDrafts !== false,
          concurrency,
          backoff: deps.backoff ?? DEFAULT_BACKOFF,
          now,
          signal: request.signal,
          github: deps.github,
          onEvent,
        });
      }),
    );
    const exitCode = worstOf(reports.flatMap((r) => [r.exitCode, ...r.apps.map((a) => a.exitCode ?? ExitCode.Ok)]));
    const aborted = reports.some((r) => r.aborted);
    return {
      environments: reports.map(({ aborted: _aborted, exitCode: _exitCode, ...report }) => report),
      exitCode,
      revision,
      ...(aborted ? { aborted } : {}),
    };
  } finally {
    await connector?.closeAll();
  }
}
