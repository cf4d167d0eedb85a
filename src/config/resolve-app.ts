// One app manifest + its DSL → AppSource and one DesiredApp per environment, with every
// cross-file problem of that app (environment names, overrides, mappings, secrets, health checks).

import { isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { ParsedDslOk } from '../dsl/types.js';
import { checkedEnvironments, report, type AppContext } from './app-context.js';
import { collectDslFacts } from './dsl-facts.js';
import { suggestion } from './field-path.js';
import { mergePolicies } from './resolve-policies.js';
import { resolveHealthChecks, type SchemaCatalog } from './resolve-health-checks.js';
import type { AppSource, AppTarget, DesiredApp, EnvironmentConfig, Override, SecretBinding } from './types.js';
import { validateOverrides } from './validate-overrides.js';
import { validateSecrets } from './validate-secrets.js';
import type { WrittenAppEnvironment, WrittenAppManifest, WrittenOverrides, WrittenSecretBinding } from './written-types.js';
import type { YamlSource } from './yaml-source.js';

export interface ResolveAppInput {
  manifest: WrittenAppManifest;
  source: YamlSource;
  manifestFile: string;
  dslFile: string;
  dsl: ParsedDslOk;
  /** Every environment declared in dify-gitops.yaml (resolved or not). */
  environmentNames: readonly string[];
  /** Environments that resolved fully (auth complete). */
  environments: readonly EnvironmentConfig[];
  catalog: SchemaCatalog;
  /** Absolute repository root: secret `file` sources are made absolute against it. */
  root: string;
  onlyEnvironment: string | undefined;
}

export function resolveApp(input: ResolveAppInput): { app: AppSource | undefined; desired: DesiredApp[]; diagnostics: Diagnostic[] } {
  const { manifest } = input;
  const facts = collectDslFacts(input.dsl.dsl);
  const ctx: AppContext = {
    manifest,
    source: input.source,
    facts,
    dslFile: input.dslFile,
    environmentNames: input.environmentNames,
    onlyEnvironment: input.onlyEnvironment,
  };
  const out: Diagnostic[] = [];

  if (facts.mode === undefined) {
    // lint reports the DSL's own problem; here only say why the app cannot be resolved.
    report(ctx, out, ['dsl'], 'error', 'app-dsl-mode', `${input.dslFile} has no valid \`app.mode\`; cannot check this app against it`);
    return { app: undefined, desired: [], diagnostics: out };
  }

  for (const name of Object.keys(manifest.environments)) {
    if (!input.environmentNames.includes(name)) {
      report(ctx, out, ['environments', name], 'error', 'env-unknown', `no environment \`${name}\` in the root config${suggestion(name, input.environmentNames)}`, { key: true });
    }
  }
  out.push(...validateOverrides(ctx, manifest.overrides, ['overrides']));
  for (const [name, env] of Object.entries(manifest.environments)) {
    if (input.onlyEnvironment !== undefined && name !== input.onlyEnvironment) continue;
    out.push(...validateOverrides(ctx, env.overrides, ['environments', name, 'overrides']));
    checkMappings(ctx, out, name, env);
  }
  out.push(...validateSecrets(ctx));
  const health = resolveHealthChecks(ctx, input.manifestFile, input.catalog);
  out.push(...health.diagnostics);

  const app: AppSource = {
    name: manifest.name,
    manifestFile: input.manifestFile,
    dslFile: input.dslFile,
    mode: facts.mode,
    dslVersion: facts.version ?? '0.1.0',
    description: manifest.description,
    tags: [...(manifest.tags ?? [])],
    dsl: input.dsl,
    environments: Object.keys(manifest.environments),
  };
  const desired: DesiredApp[] = [];
  for (const name of checkedEnvironments(ctx)) {
    const environment = input.environments.find((e) => e.name === name);
    const written = manifest.environments[name];
    if (environment === undefined || written === undefined) continue;
    desired.push({
      name: manifest.name,
      environment: name,
      source: app,
      target: resolveTarget(written.target),
      overrides: [...flattenOverrides(manifest.overrides), ...flattenOverrides(written.overrides)],
      datasets: { ...(written.datasets ?? {}) },
      toolCredentials: { ...(written.toolCredentials ?? {}) },
      secrets: resolveSecrets({ ...manifest.secrets, ...written.secrets }, facts.envVars, input.root),
      healthChecks: health.checks.filter((c) => c.environments === undefined || c.environments.includes(name)).map(({ environments: _, ...check }) => check),
      policies: mergePolicies(mergePolicies(environment.policies, manifest.policies), written.policies),
    });
  }
  return { app, desired, diagnostics: out };
}

function checkMappings(ctx: AppContext, out: Diagnostic[], environment: string, env: WrittenAppEnvironment): void {
  // Missing mappings are lint's job (lintDsl datasetMappings); mappings nothing uses are likely typos.
  for (const logical of Object.keys(env.datasets ?? {})) {
    if (!ctx.facts.datasets.has(logical)) {
      report(ctx, out, ['environments', environment, 'datasets', logical], 'warning', 'dataset-mapping-unused', `no knowledge-retrieval node of ${ctx.dslFile} uses \`${logical}\`${suggestion(logical, ctx.facts.datasets)}`, { key: true });
    }
  }
  for (const provider of Object.keys(env.toolCredentials ?? {})) {
    if (!ctx.facts.toolProviders.has(provider)) {
      report(ctx, out, ['environments', environment, 'toolCredentials', provider], 'warning', 'tool-credential-unused', `no tool in ${ctx.dslFile} uses provider \`${provider}\`${suggestion(provider, ctx.facts.toolProviders)}`, { key: true });
    }
  }
}

function resolveTarget(target: WrittenAppEnvironment['target']): AppTarget {
  if (target.appId !== undefined) return { kind: 'appId', appId: target.appId.toLowerCase() };
  if (target.adopt !== undefined) return { kind: 'adopt', name: target.adopt };
  return { kind: 'create' };
}

export function flattenOverrides(overrides: WrittenOverrides | undefined): Override[] {
  if (overrides === undefined) return [];
  const out: Override[] = [];
  for (const [name, value] of Object.entries(overrides.envVars ?? {})) out.push({ kind: 'envVar', name, value });
  for (const [nodeId, fields] of Object.entries(overrides.nodes ?? {})) {
    for (const [pointer, value] of Object.entries(fields)) out.push({ kind: 'node', nodeId, pointer, value });
  }
  for (const [pointer, value] of Object.entries(overrides.modelConfig ?? {})) out.push({ kind: 'modelConfig', pointer, value });
  return out;
}

function resolveSecrets(bindings: Record<string, WrittenSecretBinding>, envVars: ReadonlyMap<string, string>, root: string): SecretBinding[] {
  return Object.entries(bindings)
    .filter(([name]) => envVars.get(name) === 'secret')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([variable, binding]): SecretBinding => {
      if ('keepLive' in binding) return { variable, keepLive: true };
      if ('file' in binding) return { variable, keepLive: false, source: { file: isAbsolute(binding.file) ? binding.file : resolve(root, binding.file) } };
      if ('env' in binding) return { variable, keepLive: false, source: { env: binding.env } };
      return { variable, keepLive: false, source: { command: [...binding.command] } };
    });
}
