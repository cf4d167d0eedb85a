// The exact DSL an environment receives on import: git's document with the environment's
// overrides, dataset and tool mapping (config's renderEnvironmentDsl), then variable ids aligned
// with the live app and secrets injected. The rule that keeps live secrets alive: a secret bound
// to a source gets that value; any other secret that exists live is sent as `[__HIDDEN__]` with
// the LIVE variable's id, which Dify reads as "keep what you have" (contract §5.2). An empty string
// is never sent over a live secret. Pure.

import { renderEnvironmentDsl } from '../config/render-dsl.js';
import type { DesiredApp } from '../config/types.js';
import type { DslDocument, DslVariable } from '../dsl/index.js';
import { InternalError } from '../errors.js';
import { describeSource } from '../secrets/sources.js';
import type { LiveVariable, PlannedSecret } from './types.js';

export const HIDDEN_SECRET = '[__HIDDEN__]';

/**
 * @param liveEnvVars the live draft's environment variables (ids by name); [] for a new app.
 * @param secretValues values read from the bound sources, by variable name. Every variable bound to
 *   a source must be present: a missing one is a bug in the caller, never silently skipped.
 */
export function renderDesiredDsl(
  desired: DesiredApp,
  liveEnvVars: readonly LiveVariable[],
  secretValues: ReadonlyMap<string, string>,
): DslDocument {
  const dsl = renderEnvironmentDsl(desired);
  const vars = dsl.workflow?.environment_variables;
  if (dsl.workflow === undefined || !Array.isArray(vars)) return dsl;
  const live = new Map(liveEnvVars.map((v) => [v.name, v]));
  const bound = new Map(desired.secrets.map((b) => [b.variable, b]));
  const rendered = vars.map((variable): DslVariable => {
    const match = live.get(variable.name);
    const out: DslVariable = { ...variable, ...(match ? { id: match.id } : {}) };
    if (variable.value_type !== 'secret') return out;
    const binding = bound.get(variable.name);
    if (binding !== undefined && !binding.keepLive) {
      const value = secretValues.get(variable.name);
      if (value === undefined) throw new InternalError(`secret ${variable.name} is bound to ${describeSource(binding.source)} but its value was not read`);
      return { ...out, value };
    }
    // Unbound or keepLive: keep the live value. A new variable has nothing to keep: it starts empty.
    return { ...out, value: match ? HIDDEN_SECRET : '' };
  });
  return { ...dsl, workflow: { ...dsl.workflow, environment_variables: rendered } };
}

/** What apply will do with each secret env var of the desired DSL, by name (for plans). */
export function planSecrets(desired: DesiredApp, liveEnvVars: readonly LiveVariable[]): PlannedSecret[] {
  const secrets = (desired.source.dsl.dsl.workflow?.environment_variables ?? []).filter((v) => v.value_type === 'secret');
  const live = new Set(liveEnvVars.map((v) => v.name));
  const bound = new Map(desired.secrets.map((b) => [b.variable, b]));
  return secrets
    .map((variable): PlannedSecret => {
      const binding = bound.get(variable.name);
      if (binding !== undefined && !binding.keepLive) return { variable: variable.name, effect: 'set', source: describeSource(binding.source) };
      if (live.has(variable.name)) return { variable: variable.name, effect: 'keep', source: 'live value' };
      return { variable: variable.name, effect: 'empty', source: 'none' };
    })
    .sort((a, b) => a.variable.localeCompare(b.variable));
}

/** Placeholder values for every bound secret: lets plan render without reading any secret. */
export function placeholderSecretValues(desired: DesiredApp): Map<string, string> {
  return new Map(desired.secrets.filter((b) => !b.keepLive).map((b) => [b.variable, '(bound secret)']));
}
