// Service API authentication and app gating (contract §8.1, Dify's validate_app_token): the
// Bearer header rules with their exact 401 messages, the app-key lookup, the 403s for a gone app
// or a disabled API, and `last_used_at` bookkeeping. Also the `user` argument check.

import { difyError, invalidParam, unauthorized } from '../http/errors.js';
import type { RequestContext } from '../http/route.js';
import type { SimApiKey, SimApp } from '../state.js';
import { findApp } from '../world.js';

export function authenticateServiceKey(ctx: RequestContext): { app: SimApp; apiKey: SimApiKey } {
  const header: string | undefined = ctx.headers.authorization;
  if (header === undefined || !header.includes(' ')) {
    throw unauthorized("Authorization header must be provided and start with 'Bearer'");
  }
  // Python's str.split(None, 1): runs of whitespace separate, leading whitespace is dropped.
  const [scheme = '', token = ''] = header.trim().split(/\s+(.*)/s);
  if (scheme.toLowerCase() !== 'bearer') throw unauthorized("Authorization scheme must be 'Bearer'");
  const apiKey = ctx.world.state.apiKeys.find((k) => k.token === token.trim());
  if (!apiKey) throw unauthorized('Access token is invalid');
  const app = findApp(ctx.world, apiKey.app_id);
  if (!app) throw difyError(403, 'forbidden', 'The app no longer exists.');
  if (!app.enable_api) throw difyError(403, 'forbidden', "The app's API service has been disabled.");
  apiKey.last_used_at = ctx.world.nowSeconds();
  return { app, apiKey };
}

/** The app behind a 'service' route (the server guarantees it is set). */
export function serviceApp(ctx: RequestContext): SimApp {
  if (ctx.service === null) throw new Error(`route ${ctx.method} ${ctx.path} used serviceApp without service auth`);
  return ctx.service.app;
}

/** FetchUserArg(required=True): a missing or empty `user` is a ValueError → 400 invalid_param. */
export function requireUser(value: unknown): string {
  if (value === undefined || value === null || value === '' || value === false || value === 0) {
    throw invalidParam('Arg user must be provided.');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
