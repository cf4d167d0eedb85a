// App API keys (contract §7): list (full tokens), create (`app-` + 24 CSPRNG alphanumerics,
// at most 10 per app, 201), delete (admin/owner, 204, invalid at once). Unknown apps and keys
// answer flask-restx abort bodies without `code`, as Dify does.

import { randomInt } from 'node:crypto';
import { forbidden, restxAbort } from '../http/errors.js';
import { accountOf, json, noContent, type RequestContext, type Route } from '../http/route.js';
import type { SimApiKey, SimApp } from '../state.js';
import { findApp, type SimWorld } from '../world.js';

const MAX_KEYS = 10;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const APP_KEYS = '/console/api/apps/:appId<uuid>/api-keys';

function resource(ctx: RequestContext): SimApp {
  const app = findApp(ctx.world, ctx.params.appId ?? '');
  if (!app) throw restxAbort(404, 'App not found.');
  return app;
}

/** ApiToken.generate_api_key: prefix + 24 characters from secrets.choice, unique. */
export function generateAppToken(world: SimWorld): string {
  for (;;) {
    let token = 'app-';
    for (let i = 0; i < 24; i++) token += ALPHABET[randomInt(ALPHABET.length)];
    if (!world.state.apiKeys.some((k) => k.token === token)) return token;
  }
}

function keyView(key: SimApiKey): Record<string, unknown> {
  return { id: key.id, type: 'app', token: key.token, last_used_at: key.last_used_at, created_at: key.created_at };
}

function list(ctx: RequestContext) {
  const app = resource(ctx);
  return json({ data: ctx.world.state.apiKeys.filter((k) => k.app_id === app.id).map(keyView) });
}

function create(ctx: RequestContext) {
  const { world } = ctx;
  const app = resource(ctx);
  if (world.state.apiKeys.filter((k) => k.app_id === app.id).length >= MAX_KEYS) {
    throw restxAbort(400, `Cannot create more than ${MAX_KEYS} API keys for this resource type.`, {
      [world.profile.apiKeyLimitField]: 'max_keys_exceeded',
    });
  }
  const key: SimApiKey = { id: world.newId(), app_id: app.id, token: generateAppToken(world), last_used_at: null, created_at: world.nowSeconds() };
  world.state.apiKeys.push(key);
  return json(keyView(key), 201);
}

function remove(ctx: RequestContext) {
  const { world } = ctx;
  const app = resource(ctx);
  if (!['owner', 'admin'].includes(accountOf(ctx).role)) throw forbidden();
  const key = world.state.apiKeys.find((k) => k.id === ctx.params.keyId && k.app_id === app.id);
  if (!key) throw restxAbort(404, 'API key not found');
  world.state.apiKeys = world.state.apiKeys.filter((k) => k !== key);
  return noContent();
}

export const routes: Route[] = [
  { method: 'GET', path: APP_KEYS, auth: 'console', handler: list },
  { method: 'POST', path: APP_KEYS, auth: 'console:edit', handler: create },
  { method: 'DELETE', path: `${APP_KEYS}/:keyId<uuid>`, auth: 'console', handler: remove },
];
