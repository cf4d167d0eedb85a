// Console app CRUD (contract §2, §11 toggles): list with pagination and filters, detail,
// create, PUT (omitted fields reset), delete (204, cascade), name/icon, site and API toggles,
// copy (export with secrets + import) and the chat-family model-config POST (live at once).

import { appDetailView, appDetailWithSiteView, appPartialView } from '../app-views.js';
import { CHAT_FAMILY_MODES, createApp, defaultModelConfig, deleteApp, pickModelConfig, requireApp } from '../apps.js';
import { exportAppDsl } from '../dsl/export-app.js';
import { importBody, importHttpStatus, importYaml } from '../dsl/import-app.js';
import { bodyObject } from '../http/body.js';
import { invalidParam, validationError } from '../http/errors.js';
import { optionalBool, optionalEnum, optionalString, queryBool, queryInt, requiredBool, requiredString } from '../http/params.js';
import { accountOf, json, noContent, type RequestContext, type Route } from '../http/route.js';
import type { SimApp } from '../state.js';

const CREATE_MODES = ['chat', 'agent-chat', 'advanced-chat', 'workflow', 'completion'] as const;
const LIST_MODES = ['completion', 'chat', 'advanced-chat', 'workflow', 'agent-chat', 'channel', 'all'] as const;
const ICON_TYPES = ['emoji', 'image', 'link'] as const;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function host(ctx: RequestContext): string {
  return typeof ctx.headers.host === 'string' ? ctx.headers.host : '127.0.0.1';
}

/** tag_ids: 1.14 only `tag_ids[0]=…`; older releases a comma-separated string. */
function tagIdsOf(ctx: RequestContext): string[] | undefined {
  let ids: string[] = [];
  if (ctx.world.profile.tagIdsQuery === 'indexed') {
    const indexed: [number, string][] = [];
    for (const [key, value] of ctx.query) {
      const m = /^tag_ids\[(\d+)\]$/.exec(key);
      if (m) indexed.push([Number(m[1]), value]);
    }
    const plain = ctx.query.get('tag_ids');
    if (indexed.length === 0 && plain) throw validationError('AppListQuery', 'tag_ids', 'Value error, Unsupported tag_ids type.', 'value_error');
    ids = indexed.sort((a, b) => a[0] - b[0]).map(([, v]) => v.trim()).filter((v) => v !== '');
  } else {
    ids = (ctx.query.get('tag_ids') ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
  }
  if (ids.length === 0) return undefined;
  if (ids.some((id) => !UUID.test(id))) throw validationError('AppListQuery', 'tag_ids', 'Value error, Invalid UUID format in tag_ids.', 'value_error');
  return ids.map((id) => id.toLowerCase());
}

function listApps(ctx: RequestContext) {
  const { world } = ctx;
  const page = queryInt('AppListQuery', ctx.query, 'page', 1, 1, 99999);
  const limit = queryInt('AppListQuery', ctx.query, 'limit', 20, 1, 100);
  const mode = optionalEnum('AppListQuery', { mode: ctx.query.get('mode') ?? undefined }, 'mode', LIST_MODES) ?? 'all';
  const name = ctx.query.get('name');
  const tagIds = tagIdsOf(ctx);
  const mine = queryBool('AppListQuery', ctx.query, 'is_created_by_me');
  const empty = { page, limit, total: 0, has_more: false, data: [] };

  let apps = world.state.apps
    .map((app, index) => ({ app, index }))
    .filter(({ app }) => app.tenant_id === world.state.workspace.id)
    .filter(({ app }) => mode === 'all' || mode === 'channel' || app.mode === mode)
    .filter(({ app }) => !mine || app.created_by === accountOf(ctx).id);
  if (name) {
    const needle = name.slice(0, 30).toLowerCase();
    apps = apps.filter(({ app }) => app.name.toLowerCase().includes(needle));
  }
  if (tagIds) {
    const known = new Set(world.state.tags.filter((t) => t.type === 'app' && tagIds.includes(t.id)).map((t) => t.id));
    apps = apps.filter(({ app }) => app.tag_ids.some((id) => known.has(id)));
    if (apps.length === 0) return json(empty);
  }
  apps.sort((a, b) => b.app.created_at - a.app.created_at || b.index - a.index);
  const slice = apps.slice((page - 1) * limit, page * limit);
  return json({
    page,
    limit,
    total: apps.length,
    has_more: page * limit < apps.length,
    data: slice.map(({ app }) => appPartialView(world, app)),
  });
}

function createAppRoute(ctx: RequestContext) {
  const body = bodyObject(ctx.body);
  const name = requiredString('CreateAppPayload', body, 'name', { minLength: 1 });
  const description = optionalString('CreateAppPayload', body, 'description', 400);
  if (body.mode === undefined) throw validationError('CreateAppPayload', 'mode', 'Field required', 'missing');
  const mode = optionalEnum('CreateAppPayload', body, 'mode', CREATE_MODES)!;
  const iconType = optionalEnum('CreateAppPayload', body, 'icon_type', ICON_TYPES);
  const app = createApp(ctx.world, accountOf(ctx), {
    name,
    description: description ?? '',
    mode,
    icon_type: iconType ?? 'emoji',
    icon: optionalString('CreateAppPayload', body, 'icon') ?? '',
    icon_background: optionalString('CreateAppPayload', body, 'icon_background') ?? '',
  });
  if (CHAT_FAMILY_MODES.includes(mode)) {
    app.model_config = defaultModelConfig(mode);
    app.model_config_updated_at = app.created_at;
  }
  return json(appDetailView(ctx.world, app), 201);
}

function updateApp(ctx: RequestContext) {
  const app = requireApp(ctx.world, ctx.params.appId!);
  const body = bodyObject(ctx.body);
  const model = 'UpdateAppPayload';
  const name = requiredString(model, body, 'name', { minLength: 1 });
  const description = optionalString(model, body, 'description', 400);
  const iconType = optionalEnum(model, body, 'icon_type', ICON_TYPES);
  const maxActive = body.max_active_requests;
  if (maxActive !== undefined && maxActive !== null && !(typeof maxActive === 'number' && Number.isInteger(maxActive))) {
    throw validationError(model, 'max_active_requests', 'Input should be a valid integer', 'int_type');
  }
  app.name = name;
  app.description = description ?? '';
  if (iconType !== undefined) app.icon_type = iconType;
  app.icon = optionalString(model, body, 'icon') ?? '';
  app.icon_background = optionalString(model, body, 'icon_background') ?? '';
  app.use_icon_as_answer_icon = optionalBool(model, body, 'use_icon_as_answer_icon') ?? false;
  app.max_active_requests = typeof maxActive === 'number' ? maxActive : 0;
  touchApp(ctx, app);
  return json(appDetailWithSiteView(ctx.world, app, host(ctx)));
}

function touchApp(ctx: RequestContext, app: SimApp): void {
  app.updated_by = accountOf(ctx).id;
  app.updated_at = ctx.world.nowSeconds();
}

function copyApp(ctx: RequestContext) {
  const source = requireApp(ctx.world, ctx.params.appId!);
  const body = bodyObject(ctx.body);
  const model = 'CopyAppPayload';
  const yaml = exportAppDsl(ctx.world, source, true, undefined);
  const overrides = {
    ...optionalField('name', optionalString(model, body, 'name')),
    ...optionalField('description', optionalString(model, body, 'description', 400)),
    ...optionalField('icon_type', optionalEnum(model, body, 'icon_type', ICON_TYPES)),
    ...optionalField('icon', optionalString(model, body, 'icon')),
    ...optionalField('icon_background', optionalString(model, body, 'icon_background')),
  };
  const result = importYaml(ctx.world, accountOf(ctx), yaml, overrides, undefined);
  if (result.status === 'failed' || result.status === 'pending') return json(importBody(ctx.world, result), importHttpStatus(result));
  return json(appDetailWithSiteView(ctx.world, requireApp(ctx.world, result.app_id!), host(ctx)), 201);
}

function optionalField<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function toggle(field: 'enable_site' | 'enable_api', model: string) {
  return (ctx: RequestContext) => {
    const app = requireApp(ctx.world, ctx.params.appId!);
    app[field] = requiredBool(model, bodyObject(ctx.body), field);
    touchApp(ctx, app);
    return json(appDetailView(ctx.world, app));
  };
}

function updateModelConfig(ctx: RequestContext) {
  const app = requireApp(ctx.world, ctx.params.appId!, CHAT_FAMILY_MODES);
  const body = bodyObject(ctx.body);
  if (typeof body.model !== 'object' || body.model === null || Array.isArray(body.model)) {
    throw invalidParam('model is required and must be a dict');
  }
  app.model_config = { ...(app.model_config ?? defaultModelConfig(app.mode)), ...pickModelConfig(body) };
  app.model_config_updated_at = ctx.world.nowSeconds();
  return json({ result: 'success' });
}

const APP = '/console/api/apps/:appId<uuid>';

export const routes: Route[] = [
  { method: 'GET', path: '/console/api/apps', auth: 'console', handler: listApps },
  { method: 'POST', path: '/console/api/apps', auth: 'console:edit', body: 'json', handler: createAppRoute },
  {
    method: 'GET',
    path: APP,
    auth: 'console',
    handler: (ctx) => json(appDetailWithSiteView(ctx.world, requireApp(ctx.world, ctx.params.appId!), host(ctx))),
  },
  { method: 'PUT', path: APP, auth: 'console:edit', body: 'json', handler: updateApp },
  {
    method: 'DELETE',
    path: APP,
    auth: 'console:edit',
    handler: (ctx) => {
      deleteApp(ctx.world, requireApp(ctx.world, ctx.params.appId!));
      return noContent();
    },
  },
  {
    method: 'POST',
    path: `${APP}/name`,
    auth: 'console:edit',
    body: 'json',
    handler: (ctx) => {
      const app = requireApp(ctx.world, ctx.params.appId!);
      app.name = requiredString('AppNamePayload', bodyObject(ctx.body), 'name', { minLength: 1 });
      touchApp(ctx, app);
      return json(appDetailView(ctx.world, app));
    },
  },
  {
    method: 'POST',
    path: `${APP}/icon`,
    auth: 'console:edit',
    body: 'json',
    handler: (ctx) => {
      const app = requireApp(ctx.world, ctx.params.appId!);
      const body = bodyObject(ctx.body);
      app.icon = optionalString('AppIconPayload', body, 'icon') ?? '';
      app.icon_background = optionalString('AppIconPayload', body, 'icon_background') ?? '';
      const iconType = optionalEnum('AppIconPayload', body, 'icon_type', ICON_TYPES);
      if (iconType !== undefined) app.icon_type = iconType;
      touchApp(ctx, app);
      return json(appDetailView(ctx.world, app));
    },
  },
  { method: 'POST', path: `${APP}/site-enable`, auth: 'console:edit', body: 'json', handler: toggle('enable_site', 'AppSiteStatusPayload') },
  { method: 'POST', path: `${APP}/api-enable`, auth: 'console:admin', body: 'json', handler: toggle('enable_api', 'AppApiStatusPayload') },
  { method: 'POST', path: `${APP}/copy`, auth: 'console:edit', body: 'json', handler: copyApp },
  { method: 'POST', path: `${APP}/model-config`, auth: 'console:edit', body: 'json', handler: updateModelConfig },
];
