// What every route handler can reach: the live state, the profile, the injectable clock, id
// generation and the per-process secrets. Built once per simulator by startSimulator and passed
// to handlers through the request context (no module-level singletons).

import { randomBytes, randomUUID } from 'node:crypto';
import type { SimProfile } from './profiles.js';
import { rowsBy } from './row-index.js';
import type { SimAccount, SimApp, SimState } from './state.js';

export interface WorldSettings {
  adminApiKey: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  pingIntervalMs: number;
  /** Cookie names get the `__Host-` prefix (Dify does this when Secure is on and COOKIE_DOMAIN is empty). */
  secureCookies: boolean;
}

export interface SimWorld {
  readonly state: SimState;
  readonly profile: SimProfile;
  readonly settings: WorldSettings;
  /** Unix milliseconds from the injectable clock. */
  now(): number;
  /** Unix seconds (int), the resolution of every Dify timestamp. */
  nowSeconds(): number;
  newId(): string;
  /** HS256 key for access and CSRF tokens; random per process like a fresh SECRET_KEY. */
  readonly jwtKey: Buffer;
  /**
   * Failed logins per lower-cased email, including unknown emails (Redis login_error_rate_limit:
   * each failure sets the count again with a fresh 24 h TTL).
   */
  readonly loginFailures: Map<string, { count: number; expiresAtMs: number }>;
}

export function createWorld(state: SimState, profile: SimProfile, settings: WorldSettings, now: () => number): SimWorld {
  return {
    state,
    profile,
    settings,
    now,
    nowSeconds: () => Math.floor(now() / 1000),
    newId: () => randomUUID(),
    jwtKey: randomBytes(32),
    loginFailures: new Map(),
  };
}

export function findAccount(world: SimWorld, id: string | null | undefined): SimAccount | undefined {
  return id == null ? undefined : world.state.accounts.find((a) => a.id === id);
}

export function ownerAccount(world: SimWorld): SimAccount | undefined {
  return world.state.accounts.find((a) => a.role === 'owner');
}

const appId = (a: SimApp): string => a.id;

export function findApp(world: SimWorld, id: string): SimApp | undefined {
  const app = rowsBy(world.state.apps, appId).get(id);
  return app?.tenant_id === world.state.workspace.id ? app : undefined;
}
