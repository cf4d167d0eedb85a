// Console authentication per era (contract §1.2, §1.4, §1.5): who is calling (access token from
// cookie or Bearer header, or ADMIN_API_KEY + X-WORKSPACE-ID) and, in the cookie era, the CSRF
// check that runs for every method except OPTIONS, with the draft-path and admin-key exemptions.
// Also issues the token pair that login and refresh hand out.

import { randomBytes } from 'node:crypto';
import type { SimAccount } from '../state.js';
import { findAccount, ownerAccount, type SimWorld } from '../world.js';
import { readAuthCookie } from './cookies.js';
import { difyError, forbidden, unauthorized } from './errors.js';
import { signJwt, verifyJwt } from './jwt.js';
import type { RequestContext, RouteAuth } from './route.js';

const CSRF_EXEMPT = /^\/console\/api\/apps\/[a-fA-F0-9-]+\/workflows\/draft/;
const BAD_HEADER = "Invalid Authorization header format. Expected 'Bearer <api-key>' format.";

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  csrfToken: string;
}

/** Resolves the console account for a 'console*' route, or throws Dify's 401/403. */
export function authenticateConsole(ctx: RequestContext, auth: RouteAuth): SimAccount {
  const { world } = ctx;
  requireSetup(world);
  const { account, admin } = identifyCaller(ctx);

  if (world.profile.authEra === 'cookies') {
    const exempt = CSRF_EXEMPT.test(ctx.path) || (admin && world.profile.adminKeyBypassesCsrf);
    if (!exempt && ctx.method !== 'OPTIONS') checkCsrf(ctx, account);
  }
  if (auth === 'console:edit' && !['owner', 'admin', 'editor'].includes(account.role)) throw forbidden();
  if (auth === 'console:admin' && !['owner', 'admin'].includes(account.role)) throw forbidden();
  return account;
}

/** Who is calling, without the CSRF check (logout uses this alone). Throws Dify's 401s. */
export function identifyCaller(ctx: RequestContext): { account: SimAccount; admin: boolean } {
  const token = extractToken(ctx);
  const admin = adminKeyAccount(ctx, token);
  return admin ? { account: admin, admin: true } : { account: accountFromJwt(ctx.world, token), admin: false };
}

/** `@setup_required`: every console endpoint but setup itself answers 403 not_setup before setup. */
export function requireSetup(world: SimWorld): void {
  if (!world.state.setupFinished) {
    throw difyError(403, 'not_setup', 'Dify has not been initialized and installed yet. Please proceed with the initialization and installation process first.');
  }
}

export function issueTokens(world: SimWorld, account: SimAccount): IssuedTokens {
  const exp = world.nowSeconds() + world.settings.accessTokenTtlSeconds;
  const accessToken = signJwt(
    { user_id: account.id, exp, iss: 'SELF_HOSTED', sub: 'Console API Passport' },
    world.jwtKey,
  );
  const csrfToken = signJwt({ exp, sub: account.id }, world.jwtKey);
  const refreshToken = randomBytes(64).toString('hex');
  world.state.refreshTokens[refreshToken] = account.id;
  return { accessToken, refreshToken, csrfToken };
}

/** Cookie era: the access_token cookie wins over the header. Body-token era: header, else `?_token=`. */
function extractToken(ctx: RequestContext): string {
  if (ctx.world.profile.authEra === 'cookies') {
    const cookie = readAuthCookie(ctx.cookies, 'access_token');
    if (cookie) return cookie;
  }
  const header = headerValue(ctx, 'authorization');
  if (header === undefined || header === '') {
    const query = ctx.world.profile.authEra === 'body-tokens' ? ctx.query.get('_token') : null;
    if (query) return query;
    throw unauthorized('Invalid Authorization token.');
  }
  const space = header.indexOf(' ');
  if (space < 0) throw unauthorized(BAD_HEADER);
  if (header.slice(0, space).toLowerCase() !== 'bearer') throw unauthorized(BAD_HEADER);
  const token = header.slice(space + 1).trim();
  if (token === '') throw unauthorized('Invalid Authorization token.');
  return token;
}

function adminKeyAccount(ctx: RequestContext, token: string): SimAccount | undefined {
  const key = ctx.world.settings.adminApiKey;
  if (key === undefined || token !== key) return undefined;
  const workspaceId = headerValue(ctx, 'x-workspace-id');
  if (!workspaceId || workspaceId !== ctx.world.state.workspace.id) return undefined;
  return ownerAccount(ctx.world);
}

function accountFromJwt(world: SimWorld, token: string): SimAccount {
  const verdict = verifyJwt(token, world.jwtKey, world.nowSeconds());
  if (!verdict.ok) {
    if (verdict.reason === 'expired') throw unauthorized('Token has expired.');
    if (verdict.reason === 'bad-signature') throw unauthorized('Invalid token signature.');
    throw unauthorized('Invalid token.');
  }
  if (verdict.payload.sub !== 'Console API Passport') throw unauthorized('Invalid token.');
  const account = findAccount(world, typeof verdict.payload.user_id === 'string' ? verdict.payload.user_id : null);
  if (!account) throw unauthorized('Invalid token.');
  return account;
}

function checkCsrf(ctx: RequestContext, account: SimAccount): void {
  const header = headerValue(ctx, 'x-csrf-token');
  const cookie = readAuthCookie(ctx.cookies, 'csrf_token');
  // The error is built only when thrown: an Error captures a stack, too dear for every request.
  const invalid = () => unauthorized('CSRF token is missing or invalid.');
  if (!header || !cookie || header !== cookie) throw invalid();
  const verdict = verifyJwt(header, ctx.world.jwtKey, ctx.world.nowSeconds());
  if (!verdict.ok || verdict.payload.sub !== account.id) throw invalid();
}

function headerValue(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
