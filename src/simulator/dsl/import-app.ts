// DSL import and confirm (contract §4.1–4.3) in AppDslService's order: load YAML like PyYAML,
// default the version, check it per era, find the overwrite target, park pending imports (TTL
// from the profile, injectable clock), then validate everything and only then create or update
// the app, so a failed import leaves no trace (Dify rolls its session back).

import { createApp, requireApp, WORKFLOW_MODES } from '../apps.js';
import { HttpError } from '../http/errors.js';
import type { AppMode, SimAccount, SimApp, SimPendingImport } from '../state.js';
import { writeDraft } from '../workflows.js';
import { findApp, type SimWorld } from '../world.js';
import { resolveAppFields, validateAppContent, type ImportOverrides } from './import-content.js';
import { inferredDependencies, parseDependency, pluginIdsOfGraph, pluginIdsOfModelConfig, type PluginDependency } from './dependencies.js';
import { pythonFalsy, pythonTypeName, safeLoad } from './pyyaml-load.js';
import { checkVersionCompatibility, comparePep440, parsePep440, type ImportStatus } from './version-check.js';

export type { ImportOverrides } from './import-content.js';

export interface ImportResult {
  id: string;
  status: ImportStatus;
  app_id: string | null;
  app_mode: string | null;
  current_dsl_version: string;
  imported_dsl_version: string;
  error: string;
}

export function importHttpStatus(result: ImportResult): number {
  if (result.status === 'failed') return 400;
  return result.status === 'pending' ? 202 : 200;
}

/** The Import body as this profile writes it (no app_mode before 1.1.0). */
export function importBody(world: SimWorld, result: ImportResult): Record<string, unknown> {
  if (world.profile.importHasAppMode) return { ...result };
  const { app_mode: _mode, ...rest } = result;
  return rest;
}

export function importYaml(
  world: SimWorld,
  account: SimAccount,
  content: string,
  overrides: ImportOverrides,
  appId: string | undefined,
): ImportResult {
  const result = (fields: Partial<ImportResult> & { status: ImportStatus }): ImportResult => ({
    id,
    app_id: null,
    app_mode: null,
    current_dsl_version: world.profile.dslVersion,
    imported_dsl_version: '',
    error: '',
    ...fields,
  });
  const id = world.newId();
  const loaded = safeLoad(content);
  if (!loaded.ok) return result({ status: 'failed', error: `Invalid YAML format: ${loaded.message}` });
  const data = loaded.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || data instanceof Date) {
    return result({ status: 'failed', error: 'Invalid YAML format: content must be a mapping' });
  }
  const doc = data as Record<string, unknown>;
  if (pythonFalsy(doc.version)) doc.version = '0.1.0';
  if (doc.kind !== 'app') doc.kind = 'app';
  if (typeof doc.version !== 'string') {
    return result({ status: 'failed', error: `Invalid version type, expected str, got <class '${pythonTypeName(doc.version, loaded.doc, ['version'])}'>` });
  }
  const version = doc.version;
  const status = checkVersionCompatibility(version, world.profile.dslVersion, world.profile.versionRule);
  if (pythonFalsy(doc.app)) return result({ status: 'failed', error: 'Missing app data in YAML content' });

  let target: SimApp | undefined;
  if (appId) {
    target = findApp(world, appId);
    if (!target) return result({ status: 'failed', error: 'App not found' });
    if (!WORKFLOW_MODES.includes(target.mode)) return result({ status: 'failed', error: 'Only workflow or advanced chat apps can be overwritten' });
  }

  if (status === 'pending') {
    const pending: SimPendingImport = {
      id,
      expires_at_ms: world.now() + world.profile.pendingImportTtlSeconds * 1000,
      yaml_content: content,
      app_id: appId ?? null,
      overrides,
      imported_dsl_version: version,
    };
    world.state.pendingImports = world.state.pendingImports.filter((p) => p.expires_at_ms > world.now());
    world.state.pendingImports.push(pending);
    return result({ status: 'pending', app_id: appId ?? null, imported_dsl_version: version });
  }

  try {
    let dependencies: PluginDependency[] | undefined;
    if (!pythonFalsy(doc.dependencies)) {
      dependencies = (Array.isArray(doc.dependencies) ? doc.dependencies : [doc.dependencies]).map(parseDependency);
    } else if (status === 'failed') {
      return result({ status: 'failed', error: `Invalid version: '${version}'` });
    } else if (comparePep440(parsePep440(version)!, parsePep440('0.1.5')!) <= 0) {
      const workflow = doc.workflow;
      dependencies = inferredDependencies(
        'workflow' in doc ? pluginIdsOfGraph((workflow as { graph?: unknown } | null)?.graph) : pluginIdsOfModelConfig(doc.model_config),
      );
    }
    // An unparsable version with dependencies: Dify creates the app, answers `failed` and rolls back.
    if (status === 'failed') return result({ status: 'failed' });
    const app = applyImport(world, account, doc, overrides, target, dependencies);
    return result({ status, app_id: app.id, app_mode: app.mode, imported_dsl_version: version });
  } catch (error) {
    return result({ status: 'failed', error: errorText(error) });
  }
}

export function confirmImport(world: SimWorld, account: SimAccount, importId: string): ImportResult {
  const now = world.now();
  world.state.pendingImports = world.state.pendingImports.filter((p) => p.expires_at_ms > now);
  const pending = world.state.pendingImports.find((p) => p.id === importId);
  const base = { id: importId, app_id: null, app_mode: null, current_dsl_version: world.profile.dslVersion, imported_dsl_version: '' };
  if (!pending) return { ...base, status: 'failed', error: 'Import information expired or does not exist' };
  try {
    const loaded = safeLoad(pending.yaml_content);
    if (!loaded.ok) throw new Error(loaded.message);
    const doc = loaded.value as Record<string, unknown>;
    const target = pending.app_id === null ? undefined : findApp(world, pending.app_id);
    const app = applyImport(world, account, doc, pending.overrides, target, undefined);
    world.state.pendingImports = world.state.pendingImports.filter((p) => p.id !== importId);
    const version = 'version' in doc ? doc.version : '0.1.0';
    return { ...base, status: 'completed', app_id: app.id, app_mode: app.mode, imported_dsl_version: String(version), error: '' };
  } catch (error) {
    return { ...base, status: 'failed', error: errorText(error) };
  }
}

/** `_create_or_update_app`: validates first, then writes (a throw leaves the state untouched). */
function applyImport(
  world: SimWorld,
  account: SimAccount,
  doc: Record<string, unknown>,
  overrides: ImportOverrides,
  target: SimApp | undefined,
  dependencies: PluginDependency[] | undefined,
): SimApp {
  const content = validateAppContent(world, doc, target?.tenant_id ?? world.state.workspace.id);
  const fields = resolveAppFields(doc.app as Record<string, unknown>, overrides, target);
  let app: SimApp;
  if (target) {
    app = target;
    Object.assign(app, fields, { updated_by: account.id });
    if (world.profile.bumpsAppUpdatedAt) app.updated_at = world.nowSeconds();
  } else {
    app = createApp(world, account, { ...fields, mode: content.mode as AppMode });
  }
  if (dependencies && dependencies.length > 0) {
    world.state.dependencyChecks = world.state.dependencyChecks.filter((d) => d.app_id !== app.id);
    world.state.dependencyChecks.push({ app_id: app.id, expires_at_ms: world.now() + 600_000, dependencies });
  }
  if (content.kind === 'workflow') {
    writeDraft(world, app, account, content.draft);
  } else if (app.model_config === null) {
    app.model_config = content.modelConfig;
    app.model_config_updated_at = world.nowSeconds();
  }
  return app;
}

function errorText(error: unknown): string {
  if (error instanceof HttpError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** For routes: the app an import or confirm produced, as stored. */
export function importedApp(world: SimWorld, result: ImportResult): SimApp | undefined {
  return result.app_id === null ? undefined : requireApp(world, result.app_id);
}
