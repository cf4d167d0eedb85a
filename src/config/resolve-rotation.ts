// The `rotation` section of a schema-valid dify-gitops.yaml, resolved against the environments and
// apps: which fields each kind needs (the schema lists them all; the kind decides), that the app
// deploys to the environment, that an env var is a `secret` of the app's DSL, the cron schedule,
// defaults (an env var's source is the app's binding; provider health apps are the apps whose DSL
// uses the provider), durations, and sink paths. Every problem is a diagnostic at its field. Pure.

import { isAbsolute, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { isRecord, type DslDocument } from '../dsl/types.js';
import { parseCronExpression } from '../runtime/cron-fields.js';
import type { SecretSource } from '../secrets/sources.js';
import { collectDslFacts } from './dsl-facts.js';
import { suggestion } from './field-path.js';
import { parseDuration } from './resolve-policies.js';
import { ROTATION_DEFAULTS, type RotationKind, type RotationSchedule, type RotationSecret, type RotationSink, type WrittenRotation, type WrittenRotationSink } from './rotation-types.js';
import type { DesiredApp, EnvironmentConfig } from './types.js';
import { diagnosticAt, type YamlSource } from './yaml-source.js';

type Field = keyof WrittenRotation;

const FIELDS: Record<RotationKind, { required: Field[]; allowed: Field[] }> = {
  appApiKey: { required: ['app', 'sinks'], allowed: ['gracePeriod', 'quietPeriod', 'maxWait'] },
  envVar: { required: ['app', 'variable'], allowed: ['source'] },
  providerCredential: { required: ['provider', 'field', 'source'], allowed: ['previousSource', 'healthApps'] },
};
const COMMON: Field[] = ['kind', 'environment', 'schedule'];

export interface ResolveRotationInput {
  written: Record<string, WrittenRotation> | undefined;
  source: YamlSource;
  environments: readonly EnvironmentConfig[];
  desired: readonly DesiredApp[];
  /** Absolute repository root: file sinks are resolved against it. */
  root: string;
  /** `--env`: entries of other environments are skipped (their apps were not resolved). */
  onlyEnvironment?: string | undefined;
}

/** `openai` → `langgenius/openai/openai`, as Dify normalises a bare provider name. */
export function normalizeProviderId(provider: string): string {
  return provider.includes('/') ? provider : `langgenius/${provider}/${provider}`;
}

export function resolveRotation(input: ResolveRotationInput): { rotations: RotationSecret[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const rotations: RotationSecret[] = [];
  const targets = new Map<string, string>();
  for (const [name, entry] of Object.entries(input.written ?? {})) {
    if (input.onlyEnvironment !== undefined && entry.environment !== input.onlyEnvironment) continue;
    const at = (field?: string | number, ...more: (string | number)[]): (string | number)[] => ['rotation', name, ...(field === undefined ? [] : [field]), ...more];
    const report = (path: (string | number)[], code: string, message: string, severity: 'error' | 'warning' = 'error'): void => {
      diagnostics.push(diagnosticAt(input.source, path, severity, code, message));
    };
    const before = diagnostics.length;
    const rules = FIELDS[entry.kind];
    for (const field of rules.required) if (entry[field] === undefined) report(at(), 'rotation-field-missing', `kind \`${entry.kind}\` needs \`${field}\``);
    for (const field of Object.keys(entry) as Field[]) {
      if (!COMMON.includes(field) && !rules.required.includes(field) && !rules.allowed.includes(field)) {
        report(at(field), 'rotation-field-kind', `\`${field}\` does not apply to kind \`${entry.kind}\``);
      }
    }
    const environment = input.environments.find((e) => e.name === entry.environment);
    if (environment === undefined) {
      report(at('environment'), 'env-unknown', `unknown environment \`${entry.environment}\`${suggestion(entry.environment, input.environments.map((e) => e.name))}`);
    }
    const schedule = resolveSchedule(entry.schedule, (message) => report(at('schedule'), 'rotation-schedule-invalid', message));
    const inEnv = input.desired.filter((d) => d.environment === entry.environment);
    const desired = entry.app === undefined ? undefined : inEnv.find((d) => d.name === entry.app);
    if (entry.app !== undefined && desired === undefined && environment !== undefined) {
      report(at('app'), 'rotation-unknown-app', `no app \`${entry.app}\` deploys to environment \`${entry.environment}\`${suggestion(entry.app, inEnv.map((d) => d.name))}`);
    }
    if (diagnostics.length > before) continue;
    const common = { name, environment: entry.environment, schedule };

    if (entry.kind === 'appApiKey') {
      const sinks = (entry.sinks ?? []).map((sink, index) => resolveSink(sink, input.root, (message) => report(at('sinks', index), 'rotation-sink-in-repo', message, 'warning')));
      rotations.push({
        ...common,
        kind: 'appApiKey',
        app: entry.app!,
        sinks,
        gracePeriodMs: parseDuration(entry.gracePeriod ?? ROTATION_DEFAULTS.gracePeriod),
        quietPeriodMs: parseDuration(entry.quietPeriod ?? ROTATION_DEFAULTS.quietPeriod),
        maxWaitMs: parseDuration(entry.maxWait ?? ROTATION_DEFAULTS.maxWait),
      });
      continue;
    }
    if (entry.kind === 'envVar') {
      const variable = entry.variable!;
      const facts = collectDslFacts(desired!.source.dsl.dsl);
      const type = facts.envVars.get(variable);
      if (type !== 'secret') {
        const message = type === undefined ? `${desired!.source.dslFile} has no env var \`${variable}\`${suggestion(variable, facts.envVars.keys())}` : `env var \`${variable}\` is a \`${type}\`, not a \`secret\``;
        report(at('variable'), 'rotation-not-secret', message);
        continue;
      }
      const binding = desired!.secrets.find((s) => s.variable === variable);
      const source: SecretSource | undefined = entry.source ?? (binding !== undefined && !binding.keepLive ? binding.source : undefined);
      if (source === undefined) {
        report(at(), 'rotation-source-missing', `no \`source\`, and app \`${entry.app}\` binds \`${variable}\` with keepLive in \`${entry.environment}\`: say where new values come from`);
        continue;
      }
      if (claimed(targets, `envVar ${entry.environment} ${entry.app} ${variable}`, name, (other) => report(at('variable'), 'rotation-duplicate-target', `\`${other}\` already rotates this variable`))) continue;
      rotations.push({ ...common, kind: 'envVar', app: entry.app!, variable, source });
      continue;
    }
    const provider = normalizeProviderId(entry.provider!);
    if (claimed(targets, `provider ${entry.environment} ${provider}`, name, (other) => report(at('provider'), 'rotation-duplicate-target', `\`${other}\` already rotates this provider`))) continue;
    let healthApps = entry.healthApps ?? inEnv.filter((d) => usesProvider(d.source.dsl.dsl, provider)).map((d) => d.name);
    const unknown = healthApps.filter((app) => !inEnv.some((d) => d.name === app));
    for (const app of unknown) {
      report(at('healthApps', healthApps.indexOf(app)), 'rotation-unknown-app', `no app \`${app}\` deploys to environment \`${entry.environment}\``);
    }
    if (unknown.length > 0) continue;
    healthApps = [...new Set(healthApps)].sort();
    rotations.push({ ...common, kind: 'providerCredential', provider, field: entry.field!, source: entry.source!, previousSource: entry.previousSource, healthApps });
  }
  return { rotations, diagnostics };
}

function resolveSchedule(cron: string | undefined, report: (message: string) => void): RotationSchedule | undefined {
  if (cron === undefined) return undefined;
  const parsed = parseCronExpression(cron);
  if (parsed.ok) return { cron, fields: parsed.fields };
  report(`\`${cron}\` is not a valid cron expression: ${parsed.problems.join('; ')}`);
  return undefined;
}

function resolveSink(sink: WrittenRotationSink, root: string, warnInRepo: (message: string) => void): RotationSink {
  if ('githubSecret' in sink) {
    const [owner = '', repo = ''] = sink.githubSecret.repository.split('/');
    return { kind: 'githubSecret', owner, repo, name: sink.githubSecret.name, environment: sink.githubSecret.environment, tokenEnv: sink.githubSecret.tokenEnv ?? ROTATION_DEFAULTS.githubTokenEnv };
  }
  if ('file' in sink) {
    const path = isAbsolute(sink.file) ? sink.file : resolve(root, sink.file);
    const inside = relative(root, path);
    if (!inside.startsWith('..') && !isAbsolute(inside)) warnInRepo(`\`${sink.file}\` is inside the repository: make sure git ignores it`);
    return { kind: 'file', path, display: sink.file };
  }
  return { kind: 'command', argv: [...sink.command] };
}

function claimed(targets: Map<string, string>, key: string, name: string, report: (other: string) => void): boolean {
  const other = targets.get(key);
  if (other !== undefined) {
    report(other);
    return true;
  }
  targets.set(key, name);
  return false;
}

/** Does any `provider` field in the DSL (LLM nodes, model_config, …) name this provider? */
export function usesProvider(dsl: DslDocument, provider: string): boolean {
  const visit = (value: unknown, depth: number): boolean => {
    if (depth > 64) return false;
    if (Array.isArray(value)) return value.some((item) => visit(item, depth + 1));
    if (!isRecord(value)) return false;
    for (const [key, item] of Object.entries(value)) {
      if (key === 'provider' && typeof item === 'string' && normalizeProviderId(item) === provider) return true;
      if (visit(item, depth + 1)) return true;
    }
    return false;
  };
  return visit(dsl, 0);
}
