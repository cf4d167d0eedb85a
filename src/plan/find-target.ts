// Which live app a DesiredApp means, from one listing of the environment's apps: by id, by exact
// name (adopt), or for `create` by the id remembered in the state directory, else by the app's
// exact name (so a lost state directory never creates a duplicate). Pure.

import type { DesiredApp } from '../config/types.js';
import type { AppSummary } from '../dify/index.js';

export type TargetMatch =
  | { kind: 'found'; summary: AppSummary; foundBy: 'appId' | 'adopt' | 'state' | 'name' }
  | { kind: 'absent' }
  | { kind: 'error'; code: string; message: string };

interface AppIndex {
  byId: Map<string, AppSummary>;
  byLowerId: Map<string, AppSummary>;
  byName: Map<string, AppSummary[]>;
}

// One listing serves every desired app of an environment: it is indexed once, not scanned per app
// (1,000 apps made that a million comparisons per plan). Listings are never mutated once read.
const indexes = new WeakMap<readonly AppSummary[], AppIndex>();

function indexOf(apps: readonly AppSummary[]): AppIndex {
  let index = indexes.get(apps);
  if (index === undefined) {
    index = { byId: new Map(), byLowerId: new Map(), byName: new Map() };
    for (const app of apps) {
      if (!index.byId.has(app.id)) index.byId.set(app.id, app);
      if (!index.byLowerId.has(app.id.toLowerCase())) index.byLowerId.set(app.id.toLowerCase(), app);
      const named = index.byName.get(app.name);
      if (named === undefined) index.byName.set(app.name, [app]);
      else named.push(app);
    }
    indexes.set(apps, index);
  }
  return index;
}

export function findTarget(desired: DesiredApp, apps: readonly AppSummary[], registry: Readonly<Record<string, string>>): TargetMatch {
  const where = `environment ${desired.environment}`;
  const target = desired.target;
  const index = indexOf(apps);
  if (target.kind === 'appId') {
    const summary = index.byLowerId.get(target.appId);
    return summary
      ? { kind: 'found', summary, foundBy: 'appId' }
      : { kind: 'error', code: 'app-not-found', message: `app id ${target.appId} does not exist in ${where} (deleted, or in another workspace)` };
  }
  if (target.kind === 'adopt') {
    const matches = index.byName.get(target.name) ?? [];
    if (matches.length === 1) return { kind: 'found', summary: matches[0]!, foundBy: 'adopt' };
    return matches.length === 0
      ? { kind: 'error', code: 'adopt-not-found', message: `no app named "${target.name}" in ${where} to adopt` }
      : { kind: 'error', code: 'adopt-ambiguous', message: `${matches.length} apps are named "${target.name}" in ${where} (${matches.map((a) => a.id).join(', ')}); use target.appId` };
  }
  const remembered = registry[desired.name];
  if (remembered !== undefined) {
    const summary = index.byId.get(remembered);
    if (summary) return { kind: 'found', summary, foundBy: 'state' };
  }
  const name = desiredAppName(desired);
  const matches = index.byName.get(name) ?? [];
  if (matches.length === 1) return { kind: 'found', summary: matches[0]!, foundBy: 'name' };
  if (matches.length > 1) {
    return { kind: 'error', code: 'create-ambiguous', message: `${matches.length} apps are named "${name}" in ${where} and none is recorded as ours; use target.appId` };
  }
  return { kind: 'absent' };
}

/** The name the app has in Dify: the DSL's app.name, else the manifest name. */
export function desiredAppName(desired: DesiredApp): string {
  const name = desired.source.dsl.dsl.app.name;
  return typeof name === 'string' && name !== '' ? name : desired.name;
}

/**
 * Whether a listed app could turn out to be the target of one of `desired` — by id, remembered id
 * or name — judged from that one entry, before the whole listing is known. findTarget decides.
 */
export function mayBeTarget(desired: readonly DesiredApp[], registry: Readonly<Record<string, string>>): (summary: AppSummary) => boolean {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const app of desired) {
    const target = app.target;
    if (target.kind === 'appId') ids.add(target.appId.toLowerCase());
    else if (target.kind === 'adopt') names.add(target.name);
    else {
      const remembered = registry[app.name];
      if (remembered !== undefined) ids.add(remembered.toLowerCase());
      names.add(desiredAppName(app));
    }
  }
  return (summary) => names.has(summary.name) || ids.has(summary.id.toLowerCase());
}
