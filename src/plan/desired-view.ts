// The desired side of a plan entry: git's DSL rendered for the environment, normalised and
// serialised for comparison. It does not depend on what is live — rendering adds only live
// variable ids and secret values, and the comparable view drops both — so it is computed once per
// app and kept, and fetchPlan computes it while the first requests (version, login, app list) are
// still in flight rather than after the answers arrive. The digest of that side is kept the same way.

import type { DesiredApp } from '../config/types.js';
import type { DslDocument, NormalizedDsl } from '../dsl/index.js';
import type { LiveVariable, PlannedSecret } from './types.js';
import { comparableDsl, comparableJson } from './comparable.js';
import { desiredDigest } from './digest.js';
import { placeholderSecretValues, planSecrets, renderDesiredDsl } from './render-desired.js';

export interface View {
  doc: NormalizedDsl;
  json: string;
}

export interface DesiredView {
  /** Rendered without live state and with placeholder secrets: for names and the comparison only. */
  rendered: DslDocument;
  view: View;
}

export function viewOf(doc: DslDocument, ignore: DesiredApp['policies']['ignore']): View {
  const normalized = comparableDsl(doc, ignore);
  return { doc: normalized, json: comparableJson(normalized) };
}

const views = new WeakMap<DesiredApp, DesiredView>();
const digests = new WeakMap<DesiredApp, Map<string, string>>();

export function desiredView(desired: DesiredApp): DesiredView {
  let cached = views.get(desired);
  if (cached === undefined) {
    const rendered = renderDesiredDsl(desired, [], placeholderSecretValues(desired));
    cached = { rendered, view: viewOf(rendered, desired.policies.ignore) };
    views.set(desired, cached);
  }
  return cached;
}

/** desiredDigest of the app's view; kept per app and secret effects (they depend on live names only). */
export function desiredDigestOf(desired: DesiredApp, secrets: readonly PlannedSecret[]): string {
  let bySecrets = digests.get(desired);
  if (bySecrets === undefined) digests.set(desired, (bySecrets = new Map<string, string>()));
  const key = JSON.stringify(secrets);
  let digest = bySecrets.get(key);
  if (digest === undefined) {
    digest = desiredDigest(desired, desiredView(desired).view.json, secrets);
    bySecrets.set(key, digest);
  }
  return digest;
}

/**
 * Computes the desired views a few apps at a time, yielding to the event loop between batches so
 * that answers arriving meanwhile are handled at once. A failure is left for planApp to meet and
 * report in its place.
 */
export async function warmDesiredViews(apps: readonly DesiredApp[], batch = 8): Promise<void> {
  for (let i = 0; i < apps.length; i += batch) {
    for (const app of apps.slice(i, i + batch)) {
      try {
        desiredView(app);
        // Secret effects depend on which secrets exist live; a deployed app has them all.
        desiredDigestOf(app, planSecrets(app, secretVariablesAsLive(app)));
      } catch {
        // planApp renders this app again and reports the error with the app's entry.
      }
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function secretVariablesAsLive(desired: DesiredApp): LiveVariable[] {
  return (desired.source.dsl.dsl.workflow?.environment_variables ?? []).filter((v) => v.value_type === 'secret').map((v) => ({ id: '', name: v.name, value_type: 'secret' }));
}
