// Reconcile of one environment: list the apps once, compare each selected app (cheap path when
// nothing changed), act by its drift policy (warn: report; heal: apply; adopt: collect for one
// pull request), prune what git removed, then report drift as one GitHub issue.

import pLimit from 'p-limit';
import { loadAppRegistry } from '../apply/app-registry.js';
import type { ApplySession } from '../apply/session.js';
import type { DesiredApp, EnvironmentConfig } from '../config/types.js';
import type { DifyClient } from '../dify/index.js';
import { ExitCode } from '../exit-codes.js';
import { lazyTenant, serverFactsOf } from '../plan/observe.js';
import { describeDiff } from '../plan/summarize.js';
import type { PlanRevision } from '../plan/types.js';
import type { SnapshotStore } from '../state/snapshot-store.js';
import { adoptPullRequest, type AdoptItem } from './adopt.js';
import { compareApp, type Comparison } from './compare-app.js';
import { exitCodeOf, gitDigest, type Backoff } from './decide.js';
import { reportDriftIssue } from './drift-issue.js';
import { healApp } from './heal.js';
import { loadMemory, sameMemory, saveMemory, type AppMemory } from './memory.js';
import { pruneApps, pruneCandidates } from './prune.js';
import { inShard, type Shard } from './shard.js';
import type { ReconcileAppResult, ReconcileEnvironmentReport, ReconcileEvent, ReconcileGitHub } from './types.js';

export interface EnvironmentRun {
  repoRoot: string;
  environment: EnvironmentConfig;
  /** Every app git wants here (prune and its guard look at all of them). */
  allDesired: readonly DesiredApp[];
  /** The apps this run compares (after --app and --shard). */
  selected: readonly DesiredApp[];
  /** --app names, when given: prune considers only these; the drift issue is left alone. */
  appFilter: readonly string[] | undefined;
  shard: Shard | undefined;
  connect: () => Promise<DifyClient>;
  session: () => Promise<ApplySession>;
  snapshots: SnapshotStore;
  stateDir: string;
  revision: PlanRevision;
  retryFailed: boolean;
  checkDrafts: boolean;
  concurrency: number;
  backoff: Backoff;
  now: () => Date;
  signal: AbortSignal | undefined;
  github: ReconcileGitHub | undefined;
  onEvent: (event: ReconcileEvent) => void;
}

export async function reconcileEnvironment(run: EnvironmentRun): Promise<ReconcileEnvironmentReport & { aborted: boolean; exitCode: number }> {
  const { environment } = run;
  const env = environment.name;
  run.onEvent({ kind: 'environment', env, apps: run.selected.length });
  if (environment.policies.suspend) {
    const apps = run.selected.map((d): ReconcileAppResult => ({ app: d.name, status: 'suspended', detail: `environment ${env} is suspended (policies.suspend)`, exitCode: ExitCode.Ok }));
    return { env, apps, aborted: false, exitCode: ExitCode.Ok };
  }
  let client: DifyClient;
  let ctx: Parameters<typeof compareApp>[0];
  try {
    client = await run.connect();
    const server = serverFactsOf(await client.serverInfo());
    const [apps, registry, memory] = await Promise.all([client.apps.list(), loadAppRegistry(run.stateDir, env), loadMemory(run.stateDir, env)]);
    ctx = { client, server, apps, registry, memory, tenant: lazyTenant(client), checkDrafts: run.checkDrafts, now: run.now() };
  } catch (error) {
    const message = `cannot reach ${env} (${environment.url}): ${error instanceof Error ? error.message : String(error)}`;
    return { env, apps: [], error: message, aborted: false, exitCode: ExitCode.Error };
  }

  const results: (ReconcileAppResult | undefined)[] = [];
  const adoptions: AdoptItem[] = [];
  let aborted = false;
  const limit = pLimit(run.concurrency);
  await Promise.all(
    run.selected.map((desired, index) =>
      limit(async () => {
        if (run.signal?.aborted) {
          aborted = true;
          return;
        }
        const result = await reconcileOne(run, ctx, desired, adoptions);
        results[index] = result;
        run.onEvent({ kind: 'app', env, result });
      }),
    ),
  );
  const done = results.filter((r): r is ReconcileAppResult => r !== undefined);
  const report: ReconcileEnvironmentReport & { aborted: boolean; exitCode: number } = { env, apps: done, aborted, exitCode: ExitCode.Ok };
  if (aborted) return report;

  // Adopt: one pull request for every adopted app of the environment.
  if (adoptions.length > 0) {
    const adopted = new Set(adoptions.map((a) => a.desired.name));
    const mark = (status: ReconcileAppResult['status'], detail: string): void => {
      for (const r of done) if (adopted.has(r.app)) Object.assign(r, { status, detail: `${r.detail ?? ''}; ${detail}`, exitCode: exitCodeOf(status) });
    };
    if (run.github === undefined) mark('drift', 'adopt: no GitHub repository to open a pull request in (GITHUB_TOKEN and GITHUB_REPOSITORY, or --github); reported only');
    else {
      try {
        const pr = await adoptPullRequest(run.github, run.repoRoot, env, adoptions);
        report.pullRequest = { action: pr.action, url: pr.url };
        mark('adopted', `pull request ${pr.url} (${pr.action})`);
      } catch (error) {
        mark('error', `adopt pull request failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  // Prune: managed apps git no longer has, within this run's selection.
  const managed = new Map<string, string>([...Object.entries(ctx.registry), ...[...ctx.memory.values()].map((m): [string, string] => [m.app, m.appId])]);
  const wanted = new Set(run.allDesired.map((d) => d.name));
  const candidates = pruneCandidates(managed, wanted).filter((c) => (run.appFilter === undefined || run.appFilter.includes(c.app)) && inShard(env, c.app, run.shard));
  const pruned = await pruneApps({ environment, candidates, desiredCount: run.allDesired.length, client, apps: ctx.apps, snapshots: run.snapshots, stateDir: run.stateDir, now: run.now() });
  done.push(...pruned.results);
  if (pruned.guard !== undefined) report.error = pruned.guard;
  for (const r of pruned.results) run.onEvent({ kind: 'app', env, result: r });

  // The drift issue speaks for the whole environment (or shard): not for an --app subset.
  if (run.github !== undefined && run.appFilter === undefined) {
    try {
      const issue = await reportDriftIssue(run.github, env, run.shard, done);
      report.issue = { action: issue.action, url: issue.url };
    } catch (error) {
      report.error = [report.error, `drift issue not updated: ${error instanceof Error ? error.message : String(error)}`].filter(Boolean).join('; ');
      report.exitCode = ExitCode.Error;
    }
  }
  return report;
}

async function reconcileOne(run: EnvironmentRun, ctx: Parameters<typeof compareApp>[0], desired: DesiredApp, adoptions: AdoptItem[]): Promise<ReconcileAppResult> {
  const base = { app: desired.name };
  if (desired.policies.suspend) return { ...base, status: 'suspended', detail: 'app is suspended (policies.suspend)', exitCode: ExitCode.Ok };
  let comparison: Comparison;
  try {
    comparison = await compareApp(ctx, desired);
  } catch (error) {
    return { ...base, status: 'error', detail: `cannot read ${desired.name}: ${error instanceof Error ? error.message : String(error)}`, exitCode: ExitCode.Error };
  }
  if (comparison.kind === 'error') return { ...base, status: 'error', detail: comparison.message, exitCode: ExitCode.Error };
  if (comparison.kind === 'unchanged') {
    return { ...base, appId: comparison.memory.appId, status: comparison.status, detail: `unchanged since ${comparison.memory.checkedAt}`, exitCode: exitCodeOf(comparison.status) };
  }

  const { entry, live } = comparison;
  const remember = async (status: string, heal?: AppMemory['heal']): Promise<void> => {
    if (comparison.memory === null) return;
    const next: AppMemory = { ...comparison.memory, status, heal: heal === undefined ? undefined : heal };
    if (!sameMemory(ctx.memory.get(desired.name), next)) await saveMemory(run.stateDir, run.environment.name, next);
  };
  const withApp = { ...base, ...(entry.appId === null ? {} : { appId: entry.appId }) };
  const diffSummary = entry.diff === null ? undefined : describeDiff(entry.diff);
  const previousHeal = comparison.memory?.heal;

  if (entry.action === 'no-op') {
    await remember('in-sync');
    return { ...withApp, status: 'in-sync', exitCode: ExitCode.Ok };
  }
  if (entry.action === 'draft-only-drift') {
    // Someone is editing in the UI; nothing live changed. Never overwritten, whatever the policy.
    await remember('draft-only-drift', previousHeal);
    const draft = entry.draftDiff === null ? '' : describeDiff(entry.draftDiff);
    return { ...withApp, status: 'draft-only-drift', detail: `the UI draft has unpublished edits (${draft}); the published version matches git; nothing applied`, exitCode: ExitCode.Ok };
  }
  if (entry.action === 'error' || entry.action === 'replace-required') {
    await remember('error', previousHeal);
    return { ...withApp, status: 'error', detail: entry.summary, exitCode: ExitCode.Error };
  }

  // Published drift (or the app is missing): act by policy.
  const drift = { ...withApp, ...(diffSummary === undefined ? {} : { diffSummary }) };
  const policy = desired.policies.drift;
  if (policy === 'heal') {
    const outcome = await healApp({
      desired,
      entry,
      revision: run.revision,
      revisionKey: `${run.revision.id}|${gitDigest(desired)}`,
      previous: previousHeal,
      retryFailed: run.retryFailed,
      now: run.now(),
      backoff: run.backoff,
      session: run.session,
    });
    await remember(outcome.status, outcome.heal);
    return { ...drift, status: outcome.status, detail: outcome.detail, exitCode: exitCodeOf(outcome.status, outcome.needsHuman) };
  }
  await remember('drift', previousHeal);
  if (policy === 'adopt' && live !== null && live.published !== null) {
    adoptions.push({ desired, live });
    return { ...drift, status: 'adopted', detail: entry.summary, exitCode: exitCodeOf('adopted') };
  }
  const why = policy === 'adopt' ? '; adopt: nothing published live to adopt' : '';
  return { ...drift, status: 'drift', detail: `${entry.summary}${why}`, exitCode: ExitCode.Changes };
}
