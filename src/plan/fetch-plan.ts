// Builds a Plan for a selection of apps: observes every selected environment (in parallel, each
// with the shared concurrency bound), then plans each app with the pure planApp. An environment
// that cannot be reached turns its entries into `error` entries instead of failing the rest.

import pLimit from 'p-limit';
import type { DesiredApp, LoadedRepository } from '../config/types.js';
import { UsageError } from '../errors.js';
import { loadAppRegistry } from '../apply/app-registry.js';
import type { ConnectEnvironment } from '../apply/connect.js';
import { warmDesiredViews } from './desired-view.js';
import { observeEnvironment, type EnvironmentObservation } from './observe.js';
import { pluginIdsOf } from './preflight.js';
import { planApp } from './plan-app.js';
import { PLAN_FORMAT_VERSION, type LiveLookup, type Plan, type PlanEntry, type PlanRevision, type ServerFacts } from './types.js';

export interface PlanSelection {
  environment?: string | undefined;
  apps?: readonly string[] | undefined;
}

export interface FetchPlanDeps {
  connect: ConnectEnvironment;
  stateDir: string;
  /** Apps observed at once per environment. */
  concurrency: number;
  now: () => Date;
  revision: PlanRevision | null;
  onProgress?: (done: number, total: number) => void;
}

/** The desired apps a command works on; unknown names are usage errors. */
export function selectDesired(repo: LoadedRepository, selection: PlanSelection): DesiredApp[] {
  const { environment, apps } = selection;
  if (environment !== undefined && !repo.environments.some((e) => e.name === environment)) {
    throw new UsageError(`unknown environment \`${environment}\`; the config declares ${repo.environments.map((e) => e.name).join(', ') || 'none'}`);
  }
  for (const name of apps ?? []) {
    if (!repo.apps.some((a) => a.name === name)) throw new UsageError(`unknown app \`${name}\`; the repository has ${repo.apps.map((a) => a.name).join(', ') || 'none'}`);
  }
  return repo.desired.filter((d) => (environment === undefined || d.environment === environment) && (apps === undefined || apps.length === 0 || apps.includes(d.name)));
}

const UNKNOWN_SERVER: ServerFacts = {
  version: 'unknown',
  dslVersion: 'unknown',
  versionRule: 'relaxed',
  restoreEndpoint: false,
  exportWorkflowId: false,
  runWorkflowById: false,
  checkDependencies: false,
};

export async function fetchPlan(repo: LoadedRepository, desired: readonly DesiredApp[], deps: FetchPlanDeps): Promise<{ plan: Plan; warnings: string[] }> {
  const total = desired.length;
  let done = 0;
  const progress = (): void => deps.onProgress?.(++done, total);
  const byEnvironment = new Map<string, DesiredApp[]>();
  for (const app of desired) byEnvironment.set(app.environment, [...(byEnvironment.get(app.environment) ?? []), app]);

  const observing = Promise.all(
    [...byEnvironment].map(async ([name, apps]): Promise<{ apps: DesiredApp[]; observation: EnvironmentObservation; early: (PlanEntry | undefined)[] }> => {
      const environment = repo.environments.find((e) => e.name === name)!;
      // Each app is planned as soon as it is observed, while other apps' requests are in flight.
      // The plugin check needs every app's observation, so it is added at the end (below).
      const early: (PlanEntry | undefined)[] = [];
      const onLookup = (index: number, lookup: LiveLookup, server: ServerFacts): void => {
        early[index] = planApp(apps[index]!, lookup, { server });
      };
      try {
        const client = await deps.connect(environment);
        const registry = await loadAppRegistry(deps.stateDir, name);
        const observation = await observeEnvironment(client, environment, apps, { limit: pLimit(deps.concurrency), registry, onApp: progress, onLookup });
        return { apps, observation, early };
      } catch (error) {
        const message = `cannot reach ${name} (${environment.url}): ${error instanceof Error ? error.message : String(error)}`;
        apps.forEach(progress);
        const lookups = apps.map(() => ({ kind: 'error' as const, code: 'environment-unreachable', message }));
        return { apps, observation: { environment: name, server: UNKNOWN_SERVER, lookups, installedPlugins: new Set(), warnings: [message] }, early: [] };
      }
    }),
  );
  // Git's side of every entry is computed while the version, login and app-list requests are in flight.
  const [observations] = await Promise.all([observing, warmDesiredViews(desired)]);

  const entries: PlanEntry[] = [];
  const servers: Record<string, ServerFacts> = {};
  const warnings: string[] = [];
  for (const { apps, observation, early } of observations) {
    if (observation.server !== UNKNOWN_SERVER) servers[observation.environment] = observation.server;
    warnings.push(...observation.warnings);
    // No live app uses any plugin: nothing is known about what is installed, so nothing is claimed.
    const installedPlugins = observation.installedPlugins.size === 0 ? undefined : observation.installedPlugins;
    apps.forEach((app, index) => {
      const first = early[index];
      const needsPluginCheck = installedPlugins !== undefined && (first?.changes ?? true) && pluginIdsOf(app.source.dsl.dsl).length > 0;
      entries.push(first !== undefined && !needsPluginCheck ? first : planApp(app, observation.lookups[index]!, { server: observation.server, installedPlugins }));
    });
  }
  const order = new Map(desired.map((d, i) => [`${d.environment}\u0000${d.name}`, i]));
  entries.sort((a, b) => order.get(`${a.environment}\u0000${a.app}`)! - order.get(`${b.environment}\u0000${b.app}`)!);
  return { plan: { formatVersion: PLAN_FORMAT_VERSION, createdAt: deps.now().toISOString(), revision: deps.revision, servers, entries }, warnings };
}
