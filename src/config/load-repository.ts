// The effectful shell of the config layer: finds dify-gitops.yaml, reads the manifests its glob
// matches, their DSL files and the output schemas, and hands the texts to the pure parse /
// validate / resolve functions. Never stops at the first problem: every file is read and every
// diagnostic returned, so one `validate` run shows everything to fix.

import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { hasErrors, sortDiagnostics } from '../diagnostics.js';
import { lintDsl, parseDsl, releaseDslSource } from '../dsl/index.js';
import type { ParsedDslOk } from '../dsl/types.js';
import { UsageError } from '../errors.js';
import type { Redactor } from '../secrets/redactor.js';
import { compileOutputSchemas, type OutputSchemaFile } from '../output/schema-registry.js';
import { DEFAULT_YAML_LIMITS } from '../yaml/parse-yaml.js';
import { suggestion } from './field-path.js';
import { findConfigFile } from './find-config.js';
import { globEscapesRoot } from './glob.js';
import { expandGlob, isInsideRoot, listFiles, readRepoFile, toRepoPath } from './repo-files.js';
import { resolveApp } from './resolve-app.js';
import { resolveEnvironments } from './resolve-environments.js';
import { resolveLintSeverities, type LintSeverities } from './resolve-lint.js';
import { resolveRotation } from './resolve-rotation.js';
import type { RotationSecret } from './rotation-types.js';
import { schemaRefPath, type SchemaCatalog } from './resolve-health-checks.js';
import { shippedToolValidators, type ToolValidators } from './tool-schemas.js';
import type { AppSource, DesiredApp, EnvironmentConfig, LoadedRepository, OutputSchema } from './types.js';
import { validateAcrossApps, type ManifestEntry } from './validate-across-apps.js';
import { validateDocument } from './validate-document.js';
import type { WrittenAppManifest, WrittenConfig } from './written-types.js';
import { CONFIG_YAML_LIMITS, diagnosticAt, fileDiagnostic, type YamlSource } from './yaml-source.js';

export const DEFAULT_MANIFEST_GLOB = 'workflows/*/app.yaml';
export const DEFAULT_OUTPUT_SCHEMA_DIR = 'schemas/outputs';
/** Files in the output-schema directory: `<name>.schema.yaml`, `.schema.yml` or `.schema.json`. */
const SCHEMA_FILE = /^(.+)\.schema\.(ya?ml|json)$/;

export interface LoadRepositoryOptions {
  cwd: string;
  /** `--config`; else $DIFY_GITOPS_CONFIG; else dify-gitops.yaml in cwd or a parent. */
  configPath?: string | undefined;
  /** Process environment: `urlEnv` overrides and $DIFY_GITOPS_CONFIG. Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Run per-environment rules for this environment only (unknown names are a UsageError). */
  onlyEnvironment?: string | undefined;
  /** Literal credentials found in files are registered here, so nothing can print them. */
  redactor?: Redactor | undefined;
}

interface Layout {
  environmentNames: string[] | undefined;
  manifests: string[];
  outputDir: string;
}

export async function loadRepository(options: LoadRepositoryOptions): Promise<LoadedRepository> {
  const env = options.env ?? process.env;
  const configAbs = findConfigFile({ cwd: options.cwd, configPath: options.configPath, env });
  const root = dirname(configAbs);
  const configFile = toRepoPath(root, configAbs);
  const validators = shippedToolValidators();
  const diagnostics: Diagnostic[] = [];
  const remember = (secrets: readonly string[]): void => secrets.forEach((s) => options.redactor?.add(s));

  // 1. The root config.
  let environments: EnvironmentConfig[] = [];
  let configSource: YamlSource | undefined;
  let written: WrittenConfig | undefined;
  let severities: LintSeverities = {};
  let layout: Layout = { environmentNames: undefined, manifests: [DEFAULT_MANIFEST_GLOB], outputDir: DEFAULT_OUTPUT_SCHEMA_DIR };
  const configRead = await readRepoFile(configAbs, configFile, CONFIG_YAML_LIMITS.maxBytes);
  if (!configRead.ok) diagnostics.push(configRead.diagnostic);
  else {
    const config = validateDocument<WrittenConfig>(configRead.text, configFile, validators.config);
    diagnostics.push(...config.diagnostics);
    remember(config.literalSecrets);
    configSource = config.source;
    if (config.source !== undefined) layout = bestEffortLayout(config.source.doc.toJS() as unknown);
    if (config.ok) {
      written = config.value;
      const resolved = resolveEnvironments(config.value, config.source, env);
      environments = resolved.environments;
      diagnostics.push(...resolved.diagnostics);
      if (config.source !== undefined) {
        const lint = resolveLintSeverities(config.value.lint, config.source);
        severities = lint.severities;
        diagnostics.push(...lint.diagnostics);
      }
    }
  }
  const only = options.onlyEnvironment;
  if (only !== undefined && layout.environmentNames !== undefined && !layout.environmentNames.includes(only)) {
    throw new UsageError(`unknown environment \`${only}\`${suggestion(only, layout.environmentNames)}; ${configFile} declares ${layout.environmentNames.join(', ')}`);
  }

  // 2. App manifests.
  const entries = await readManifests(root, layout, configSource, validators, diagnostics, remember);

  // 3. Output schemas: the directory's files plus any referenced by path.
  const catalog = await readOutputSchemas(root, layout, entries, configSource, diagnostics);

  // 4. Each app's DSL, cross-file rules and lint.
  const apps: AppSource[] = [];
  const desired: DesiredApp[] = [];
  for (const entry of entries) {
    const dsl = await readDsl(root, entry, diagnostics);
    if (dsl === undefined) continue;
    const result = resolveApp({
      manifest: entry.manifest,
      source: entry.source,
      manifestFile: entry.file,
      dslFile: dsl.file,
      dsl,
      environmentNames: layout.environmentNames ?? Object.keys(entry.manifest.environments),
      environments,
      catalog,
      root,
      onlyEnvironment: only,
    });
    diagnostics.push(...result.diagnostics, ...lintApp(dsl, result.desired, environments, severities));
    // Positions are needed only up to here; the repository may live for a whole reconcile loop.
    releaseDslSource(dsl);
    if (result.app !== undefined) apps.push(result.app);
    desired.push(...result.desired);
  }
  diagnostics.push(...validateAcrossApps(entries));

  const envOrder = new Map(environments.map((e, i) => [e.name, i]));
  desired.sort((a, b) => (envOrder.get(a.environment) ?? 0) - (envOrder.get(b.environment) ?? 0) || a.name.localeCompare(b.name));
  // 5. Secrets to rotate, checked against the environments and apps.
  let rotations: RotationSecret[] = [];
  if (written?.rotation !== undefined && configSource !== undefined) {
    const resolved = resolveRotation({ written: written.rotation, source: configSource, environments, desired, root, onlyEnvironment: only });
    rotations = resolved.rotations;
    diagnostics.push(...resolved.diagnostics);
  }
  const sorted = sortDiagnostics(dedupe(diagnostics));
  return {
    root,
    configFile,
    diagnostics: sorted,
    valid: !hasErrors(sorted),
    environments,
    apps: apps.sort((a, b) => a.name.localeCompare(b.name)),
    desired,
    outputSchemas: [...catalog.byFile.values()],
    rotations,
  };
}

/** Whatever the config says about layout, even when the rest of it is invalid. */
function bestEffortLayout(value: unknown): Layout {
  const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const config = record(value);
  const envs = record(config.environments);
  const manifests = record(config.apps).manifests;
  const patterns = typeof manifests === 'string' ? [manifests] : Array.isArray(manifests) ? manifests.filter((m): m is string => typeof m === 'string') : [];
  const dir = record(config.outputSchemas).dir;
  return {
    environmentNames: config.environments === undefined ? undefined : Object.keys(envs),
    manifests: patterns.length > 0 ? patterns : [DEFAULT_MANIFEST_GLOB],
    outputDir: typeof dir === 'string' && dir !== '' ? dir.replace(/\/+$/, '') : DEFAULT_OUTPUT_SCHEMA_DIR,
  };
}

async function readManifests(
  root: string,
  layout: Layout,
  configSource: YamlSource | undefined,
  validators: ToolValidators,
  diagnostics: Diagnostic[],
  remember: (secrets: readonly string[]) => void,
): Promise<ManifestEntry[]> {
  const files = new Set<string>();
  for (const pattern of layout.manifests) {
    if (globEscapesRoot(pattern)) {
      if (configSource) diagnostics.push(diagnosticAt(configSource, ['apps', 'manifests'], 'error', 'path-outside-repo', `\`${pattern}\` points outside the repository`));
      continue;
    }
    for (const file of await expandGlob(root, pattern)) files.add(file);
  }
  if (files.size === 0 && configSource !== undefined) {
    const where = configSource.doc.has('apps') ? ['apps'] : [];
    diagnostics.push(diagnosticAt(configSource, where, 'warning', 'manifests-none', `no app manifests match ${layout.manifests.map((p) => `\`${p}\``).join(', ')}`, { key: true, withPath: where.length > 0 }));
  }
  const entries: ManifestEntry[] = [];
  for (const file of [...files].sort()) {
    const read = await readRepoFile(resolve(root, file), file, CONFIG_YAML_LIMITS.maxBytes);
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const doc = validateDocument<WrittenAppManifest>(read.text, file, validators.app);
    diagnostics.push(...doc.diagnostics);
    remember(doc.literalSecrets);
    if (doc.ok) entries.push({ file, source: doc.source, manifest: doc.value });
  }
  return entries;
}

async function readOutputSchemas(root: string, layout: Layout, entries: readonly ManifestEntry[], configSource: YamlSource | undefined, diagnostics: Diagnostic[]): Promise<SchemaCatalog> {
  const files: (OutputSchemaFile & { name: string })[] = [];
  const broken = new Set<string>();
  const dirAbs = resolve(root, layout.outputDir);
  if (globEscapesRoot(layout.outputDir) || !(await isInsideRoot(root, dirAbs))) {
    if (configSource) diagnostics.push(diagnosticAt(configSource, ['outputSchemas', 'dir'], 'error', 'path-outside-repo', `\`${layout.outputDir}\` points outside the repository`));
  } else {
    for (const name of await listFiles(dirAbs)) {
      const path = toRepoPath(root, resolve(dirAbs, name));
      const schemaName = SCHEMA_FILE.exec(name)?.[1];
      if (schemaName === undefined) {
        if (/\.(ya?ml|json)$/.test(name)) diagnostics.push(fileDiagnostic(path, 'output-schema-ignored', 'ignored: output schema files are named <name>.schema.yaml (or .schema.yml, .schema.json)', 'warning'));
        continue;
      }
      const read = await readRepoFile(resolve(root, path), path, CONFIG_YAML_LIMITS.maxBytes);
      if (read.ok) files.push({ name: schemaName, path, text: read.text });
      else {
        diagnostics.push(read.diagnostic);
        broken.add(path);
      }
    }
  }
  // Schemas referenced by path from health checks; their name is the path, so they never clash.
  for (const entry of entries) {
    for (const [index, check] of (entry.manifest.healthChecks ?? []).entries()) {
      const ref = check.expect.schema;
      const path = ref === undefined ? undefined : schemaRefPath(ref, entry.file);
      if (path === undefined || files.some((f) => f.path === path) || broken.has(path)) continue;
      if (path.startsWith('../') || !(await isInsideRoot(root, resolve(root, path)))) {
        diagnostics.push(diagnosticAt(entry.source, ['healthChecks', index, 'expect', 'schema'], 'error', 'path-outside-repo', `\`${ref}\` points outside the repository`));
        broken.add(path);
        continue;
      }
      const read = await readRepoFile(resolve(root, path), path, CONFIG_YAML_LIMITS.maxBytes);
      if (read.ok) files.push({ name: path, path, text: read.text });
      else if (read.diagnostic.code !== 'file-not-found') {
        diagnostics.push(read.diagnostic);
        broken.add(path);
      }
    }
  }
  // src/output compiles each schema once (one ajv instance per dialect, $refs between them).
  const compiled = compileOutputSchemas(files);
  diagnostics.push(...compiled.diagnostics);
  const schemas = compiled.registry.schemas.map((s): OutputSchema => ({ name: s.name, file: s.path, schema: s.schema, check: (value) => s.check(value), validate: s.validate }));
  const byFile = new Map(schemas.map((s) => [s.file, s]));
  for (const f of files) if (!byFile.has(f.path)) broken.add(f.path);
  const named = new Map<string, string>();
  for (const f of files) if (f.name !== f.path && !named.has(f.name)) named.set(f.name, f.path);
  const byName = new Map(schemas.filter((s) => named.get(s.name) === s.file).map((s) => [s.name, s]));
  return { byName, byFile, files: named, broken };
}

async function readDsl(root: string, entry: ManifestEntry, diagnostics: Diagnostic[]): Promise<ParsedDslOk | undefined> {
  const absolute = resolve(root, dirname(entry.file), entry.manifest.dsl);
  const file = toRepoPath(root, absolute);
  if (file.startsWith('../') || !(await isInsideRoot(root, absolute))) {
    diagnostics.push(diagnosticAt(entry.source, ['dsl'], 'error', 'path-outside-repo', `\`${entry.manifest.dsl}\` points outside the repository`));
    return undefined;
  }
  const read = await readRepoFile(absolute, file, DEFAULT_YAML_LIMITS.maxBytes);
  if (!read.ok) {
    const missing = read.diagnostic.code === 'file-not-found';
    diagnostics.push(missing ? diagnosticAt(entry.source, ['dsl'], 'error', 'app-dsl-missing', read.diagnostic.message) : read.diagnostic);
    return undefined;
  }
  const parsed = parseDsl(read.text, file);
  diagnostics.push(...parsed.diagnostics);
  return parsed.ok ? parsed : undefined;
}

/** Lint once per environment the app deploys to, with that environment's dataset mappings. */
function lintApp(dsl: ParsedDslOk, desired: readonly DesiredApp[], environments: readonly EnvironmentConfig[], severities: LintSeverities): Diagnostic[] {
  if (desired.length === 0) return lintDsl(dsl, { severities });
  return desired.flatMap((d) => {
    const target = environments.find((e) => e.name === d.environment)?.expect.dslVersion;
    return lintDsl(dsl, {
      severities,
      ...(target === undefined ? {} : { targetDslVersion: target }),
      datasetMappings: { environment: d.environment, mapped: new Set(Object.keys(d.datasets)) },
    });
  });
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\u0000${d.line}\u0000${d.col}\u0000${d.code}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
