// DSL endpoints (contract §3, §4): export, import (yaml-content and yaml-url), confirm of a
// pending import, and check-dependencies keyed by the app id.

import { requireApp } from '../apps.js';
import { leakedDependencies } from '../dsl/dependencies.js';
import { exportAppDsl } from '../dsl/export-app.js';
import { confirmImport, importBody, importHttpStatus, importYaml, type ImportOverrides, type ImportResult } from '../dsl/import-app.js';
import { bodyObject } from '../http/body.js';
import { invalidParam, validationError } from '../http/errors.js';
import { optionalString, parseBool } from '../http/params.js';
import { accountOf, json, type RequestContext, type Route } from '../http/route.js';
import type { SimWorld } from '../world.js';

const DSL_MAX_SIZE = 10 * 1024 * 1024;

function exportRoute(ctx: RequestContext) {
  const app = requireApp(ctx.world, ctx.params.appId!);
  const raw = ctx.query.get('include_secret');
  const includeSecret = raw === null ? false : parseBool(raw);
  if (includeSecret === undefined) {
    throw validationError('AppExportQuery', 'include_secret', 'Input should be a valid boolean, unable to interpret input', 'bool_parsing');
  }
  return json({ data: exportAppDsl(ctx.world, app, includeSecret, ctx.query.get('workflow_id') ?? undefined) });
}

async function importRoute(ctx: RequestContext) {
  const { world } = ctx;
  const body = bodyObject(ctx.body);
  const model = 'AppImportPayload';
  if (body.mode === undefined) throw validationError(model, 'mode', 'Field required', 'missing');
  const mode = body.mode;
  if (mode !== 'yaml-content' && mode !== 'yaml-url') throw invalidParam(`Invalid import_mode: ${typeof mode === 'string' ? mode : JSON.stringify(mode)}`);
  const overrides: ImportOverrides = {};
  for (const key of ['name', 'description', 'icon_type', 'icon', 'icon_background'] as const) {
    const value = optionalString(model, body, key);
    if (value) overrides[key] = value;
  }
  const appId = optionalString(model, body, 'app_id') || undefined;
  let content: string;
  if (mode === 'yaml-content') {
    const yaml = optionalString(model, body, 'yaml_content');
    if (!yaml) return reply(world, failed(world, 'yaml_content is required when import_mode is yaml-content'));
    content = yaml;
  } else {
    const url = optionalString(model, body, 'yaml_url');
    if (!url) return reply(world, failed(world, 'yaml_url is required when import_mode is yaml-url'));
    const fetched = await fetchYaml(url);
    if (!fetched.ok) return reply(world, failed(world, fetched.error));
    content = fetched.text;
  }
  return reply(world, importYaml(world, accountOf(ctx), content, overrides, appId));
}

function reply(world: SimWorld, result: ImportResult) {
  return json(importBody(world, result), importHttpStatus(result));
}

function failed(world: SimWorld, error: string): ImportResult {
  return { id: world.newId(), status: 'failed', app_id: null, app_mode: null, current_dsl_version: world.profile.dslVersion, imported_dsl_version: '', error };
}

/**
 * yaml-url: fetched directly (Dify goes through its SSRF proxy) with 10 s timeouts; GitHub blob
 * URLs are rewritten to raw.githubusercontent.com. Without network access this answers
 * `Error fetching YAML from URL: …`, as Dify does when the fetch fails.
 */
async function fetchYaml(url: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  let target = url.trim();
  try {
    const parsed = new URL(target);
    if (parsed.protocol === 'https:' && parsed.host === 'github.com' && /\.ya?ml$/.test(parsed.pathname) && parsed.pathname.includes('/blob/')) {
      target = target.replace('https://github.com', 'https://raw.githubusercontent.com').replace('/blob/', '/');
    }
    const res = await fetch(target, { redirect: 'follow', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return { ok: false, error: `Error fetching YAML from URL: Client error '${res.status} ${res.statusText}' for url '${target}'` };
    const text = await res.text();
    if (text.length > DSL_MAX_SIZE) return { ok: false, error: 'File size exceeds the limit of 10MB' };
    if (!text) return { ok: false, error: 'Empty content from url' };
    return { ok: true, text };
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { ok: false, error: `Error fetching YAML from URL: ${cause}` };
  }
}

function checkDependencies(ctx: RequestContext) {
  const { world } = ctx;
  const app = requireApp(world, ctx.params.appId!);
  const now = world.now();
  world.state.dependencyChecks = world.state.dependencyChecks.filter((d) => d.expires_at_ms > now);
  const stored = world.state.dependencyChecks.find((d) => d.app_id === app.id);
  if (!stored) return json({ leaked_dependencies: [] });
  return json({ leaked_dependencies: leakedDependencies(stored.dependencies as never, world.state.installedPlugins) });
}

export const routes: Route[] = [
  { method: 'GET', path: '/console/api/apps/:appId<uuid>/export', auth: 'console:edit', handler: exportRoute },
  { method: 'POST', path: '/console/api/apps/imports', auth: 'console:edit', body: 'json', handler: importRoute },
  {
    method: 'POST',
    path: '/console/api/apps/imports/:importId/confirm',
    auth: 'console:edit',
    handler: (ctx) => reply(ctx.world, confirmImport(ctx.world, accountOf(ctx), ctx.params.importId!)),
  },
  { method: 'GET', path: '/console/api/apps/imports/:appId/check-dependencies', auth: 'console:edit', handler: checkDependencies },
];
