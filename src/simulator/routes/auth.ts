// Console login, refresh and logout for both auth eras (contract §1.1, §1.3, §1.4): Base64
// passwords (≥1.11.2), cookies + CSRF token (≥1.9.2) or tokens in the body (≤1.9.1), failure
// codes per era, lockout after more than 5 failures, refresh-token rotation.

import { renderSetCookie, readAuthCookie } from '../http/cookies.js';
import { identifyCaller, issueTokens, requireSetup, type IssuedTokens } from '../http/console-auth.js';
import { bodyObject } from '../http/body.js';
import type { HttpError} from '../http/errors.js';
import { difyError, rawError } from '../http/errors.js';
import { json, type Reply, type RequestContext, type Route } from '../http/route.js';
import type { SimAccount } from '../state.js';
import type { SimWorld } from '../world.js';

const MAX_FAILURES = 5;
const LOCKOUT_SECONDS = 86_400; // LOGIN_LOCKOUT_DURATION

function failures(world: SimWorld, key: string): number {
  const entry = world.loginFailures.get(key);
  if (entry && entry.expiresAtMs <= world.now()) world.loginFailures.delete(key);
  return world.loginFailures.get(key)?.count ?? 0;
}

function loginFailed(world: SimWorld): HttpError {
  return world.profile.loginFailure === 'authentication_failed'
    ? difyError(401, 'authentication_failed', 'Invalid email or password.')
    : difyError(400, 'email_or_password_mismatch', 'The email or password is mismatched.');
}

/** Python `base64.b64decode` (non-validating: stray characters are dropped) then UTF-8. */
export function decodePythonBase64(text: string): string | undefined {
  const cleaned = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const data = cleaned.replace(/=.*$/s, '');
  if (data.length % 4 === 1) return undefined;
  const padding = (4 - (data.length % 4)) % 4;
  const given = cleaned.length - data.length;
  if (given < padding) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64'));
  } catch {
    return undefined;
  }
}

function login(ctx: RequestContext): Reply {
  const { world } = ctx;
  requireSetup(world);
  const body = bodyObject(ctx.body);
  const email = typeof body.email === 'string' ? body.email : '';
  let password = typeof body.password === 'string' ? body.password : '';
  if (world.profile.base64Password) {
    const decoded = decodePythonBase64(password);
    if (decoded === undefined) throw difyError(401, 'authentication_failed', 'Invalid encrypted data');
    password = decoded;
  }
  const key = email.toLowerCase();
  if (failures(world, key) > MAX_FAILURES) {
    throw difyError(429, 'email_code_login_limit', 'Too many incorrect password attempts. Please try again later.');
  }
  const account = world.state.accounts.find((a) => a.email === email) ?? world.state.accounts.find((a) => a.email.toLowerCase() === key);
  if (!account || account.password !== password) {
    world.loginFailures.set(key, { count: failures(world, key) + 1, expiresAtMs: world.now() + LOCKOUT_SECONDS * 1000 });
    if (account) account.failedLogins += 1;
    throw loginFailed(world);
  }
  world.loginFailures.delete(key);
  account.failedLogins = 0;
  const tokens = issueTokens(world, account);
  if (world.profile.authEra === 'body-tokens') {
    return json({ result: 'success', data: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken } });
  }
  return json({ result: 'success' }, 200, { 'Set-Cookie': authCookies(world, tokens) });
}

function authCookies(world: SimWorld, tokens: IssuedTokens | undefined): string[] {
  const secure = world.settings.secureCookies;
  const access = world.settings.accessTokenTtlSeconds;
  const refresh = world.settings.refreshTokenTtlSeconds;
  return [
    renderSetCookie('access_token', tokens?.accessToken ?? '', tokens ? access : 0, { secure, httpOnly: true }),
    renderSetCookie('refresh_token', tokens?.refreshToken ?? '', tokens ? refresh : 0, { secure, httpOnly: true }),
    renderSetCookie('csrf_token', tokens?.csrfToken ?? '', tokens ? access : 0, { secure, httpOnly: false }),
  ];
}

/** Rotates: the old refresh token stops working the moment a new pair is issued. */
function rotate(world: SimWorld, refreshToken: string): IssuedTokens | undefined {
  const accountId = world.state.refreshTokens[refreshToken];
  const account = world.state.accounts.find((a) => a.id === accountId);
  if (!account) return undefined;
  delete world.state.refreshTokens[refreshToken];
  return issueTokens(world, account);
}

function refresh(ctx: RequestContext): Reply {
  const { world } = ctx;
  if (world.profile.authEra === 'body-tokens') {
    const body = bodyObject(ctx.body);
    if (typeof body.refresh_token !== 'string') {
      throw rawError(400, { code: 'invalid_param', message: 'Missing required parameter in the JSON body', params: 'refresh_token', status: 400 });
    }
    const tokens = rotate(world, body.refresh_token);
    if (!tokens) throw rawError(401, { result: 'fail', data: 'Invalid refresh token' });
    return json({ result: 'success', data: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken } });
  }
  const token = readAuthCookie(ctx.cookies, 'refresh_token');
  if (!token) throw rawError(401, { result: 'fail', message: 'No refresh token provided' });
  const tokens = rotate(world, token);
  if (!tokens) throw rawError(401, { result: 'fail', message: 'Invalid refresh token' });
  return json({ result: 'success' }, 200, { 'Set-Cookie': authCookies(world, tokens) });
}

/** Logout works anonymously too; a recognisable caller loses every refresh token. */
function logout(ctx: RequestContext): Reply {
  const { world } = ctx;
  requireSetup(world);
  let account: SimAccount | undefined;
  try {
    account = identifyCaller(ctx).account;
  } catch {
    account = undefined;
  }
  if (account) {
    for (const [token, id] of Object.entries(world.state.refreshTokens)) if (id === account.id) delete world.state.refreshTokens[token];
  }
  if (world.profile.authEra === 'body-tokens') return json({ result: 'success' });
  return json({ result: 'success' }, 200, { 'Set-Cookie': authCookies(world, undefined) });
}

export const routes: Route[] = [
  { method: 'POST', path: '/console/api/login', auth: 'none', body: 'json', handler: login },
  {
    method: 'POST',
    path: '/console/api/refresh-token',
    auth: 'none',
    body: 'none',
    handler: (ctx) => {
      if (ctx.world.profile.authEra === 'body-tokens') {
        return refresh({ ...ctx, body: parseJsonLoose(ctx.rawBody) });
      }
      return refresh(ctx);
    },
  },
  { method: 'POST', path: '/console/api/logout', auth: 'none', when: (p) => p.logoutMethod === 'POST', handler: logout },
  { method: 'GET', path: '/console/api/logout', auth: 'none', when: (p) => p.logoutMethod === 'GET', handler: logout },
];

/** Body-era refresh reads JSON with reqparse; a missing body is a missing parameter, not a 415. */
function parseJsonLoose(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return {};
  }
}
