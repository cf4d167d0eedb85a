// The Dify client's console auth against the simulator, per release: version detection, the
// auth mode each era needs, refresh rotation, transparent renewal of an expired access token,
// lockout, the admin key, and that no credential reaches an error message.
import { afterEach, describe, expect, it } from 'vitest';
import { DifyApiError, DifyAuthError, DifyRateLimitedError } from '../../src/dify/errors.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { ADMIN_KEY, OWNER_EMAIL, OWNER_PASSWORD, startHarness, type Harness } from '../support/dify-client-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0]): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

describe.each([
  ['1.0.0', 'body-token'],
  ['1.9.1', 'body-token'],
  ['1.12.1', 'cookie-base64-password'],
  ['1.14.1', 'cookie-base64-password'],
] as const)('password login on %s', (profile: ProfileName, mode) => {
  it(`detects the version and logs in with ${mode}`, async () => {
    const h = await start({ profile });
    const info = await h.client.serverInfo();
    expect(info.version.raw).toBe(h.sim.profile.serverVersion);
    expect(info.authMode).toBe(mode);
    const profileBody = await h.client.account.profile();
    expect(profileBody.email).toBe(OWNER_EMAIL);
    expect(h.seen()).toEqual(['GET /v1/ 200', 'POST /console/api/login 200', 'GET /console/api/account/profile 200']);
    // Tokens (or cookies) were registered for redaction the moment they arrived.
    const issued = Object.keys(h.sim.state.refreshTokens);
    expect(issued).toHaveLength(1);
    expect(h.redactor.has(issued[0]!)).toBe(true);
  });

  it('rotates the refresh token: the old one stops working, requests keep working', async () => {
    const h = await start({ profile });
    await h.client.login();
    const before = Object.keys(h.sim.state.refreshTokens);
    await h.client.refresh();
    const after = Object.keys(h.sim.state.refreshTokens);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    await expect(h.client.account.currentWorkspace()).resolves.toMatchObject({ id: h.sim.state.workspace.id });
  });

  it('renews an access token that expires mid-session and retries the request once', async () => {
    let clock = Date.parse('2026-05-12T10:00:00Z');
    // The client keeps the real clock, so only the server knows the token expired: the renewal
    // is driven by Dify's 401 `Token has expired.`.
    const h = await start({ profile, simulator: { now: () => clock, accessTokenTtlSeconds: 60 } });
    await h.client.account.profile();
    clock += 61_000;
    await expect(h.client.account.profile()).resolves.toMatchObject({ email: OWNER_EMAIL });
    expect(h.seen().slice(3)).toEqual([
      'GET /console/api/account/profile 401',
      'POST /console/api/refresh-token 200',
      'GET /console/api/account/profile 200',
    ]);
  });

  it('logs in again when the refresh token is refused too', async () => {
    let clock = Date.parse('2026-05-12T10:00:00Z');
    const h = await start({ profile, simulator: { now: () => clock, accessTokenTtlSeconds: 60 } });
    await h.client.account.profile();
    for (const token of Object.keys(h.sim.state.refreshTokens)) delete h.sim.state.refreshTokens[token];
    clock += 61_000;
    await expect(h.client.account.profile()).resolves.toMatchObject({ email: OWNER_EMAIL });
    expect(h.seen().slice(3)).toEqual([
      'GET /console/api/account/profile 401',
      'POST /console/api/refresh-token 401',
      'POST /console/api/login 200',
      'GET /console/api/account/profile 200',
    ]);
  });

  it('logs out with the method of its era and logs in again on the next call', async () => {
    const h = await start({ profile });
    await h.client.login();
    await h.client.logout();
    expect(Object.keys(h.sim.state.refreshTokens)).toHaveLength(0);
    await h.client.account.profile();
    const logoutMethod = profile === '1.0.0' || profile === '1.9.1' ? 'GET' : 'POST';
    expect(h.seen()).toContain(`${logoutMethod} /console/api/logout 200`);
    expect(h.seen().filter((line) => line.startsWith('POST /console/api/login'))).toHaveLength(2);
  });
});

describe('cookie-era details', () => {
  it('renews proactively when the client clock says the access cookie expired', async () => {
    let clock = Date.parse('2026-05-12T10:00:00Z');
    const h = await start({ profile: '1.14.1', simulator: { now: () => clock, accessTokenTtlSeconds: 60 }, client: { now: () => clock } });
    await h.client.account.profile();
    clock += 61_000;
    await h.client.account.profile();
    // No 401 round trip: the expired cookie was noticed before sending.
    expect(h.seen().slice(3)).toEqual(['POST /console/api/refresh-token 200', 'GET /console/api/account/profile 200']);
  });

  it('works with __Host- prefixed secure cookies', async () => {
    const h = await start({ profile: '1.14.1', simulator: { secureCookies: true } });
    await expect(h.client.account.profile()).resolves.toMatchObject({ email: OWNER_EMAIL });
    await h.client.refresh();
    await expect(h.client.account.currentWorkspace()).resolves.toBeDefined();
  });

  it('shares one renewal between concurrent requests that all saw the expiry', async () => {
    let clock = Date.parse('2026-05-12T10:00:00Z');
    const h = await start({ profile: '1.14.1', simulator: { now: () => clock, accessTokenTtlSeconds: 60 } });
    await h.client.account.profile();
    clock += 61_000;
    await Promise.all([h.client.account.profile(), h.client.account.profile(), h.client.account.currentWorkspace()]);
    expect(h.seen().filter((line) => line.startsWith('POST /console/api/refresh-token'))).toHaveLength(1);
  });
});

describe('login failures', () => {
  it('reports a wrong password without echoing it, and never retries a login', async () => {
    const h = await start({ profile: '1.14.1' });
    const wrong = h.newClient({ auth: { kind: 'password', email: OWNER_EMAIL, password: 'Wrong-Canary-991' } });
    const error = await wrong.account.profile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyAuthError);
    expect(error).toMatchObject({ status: 401, code: 'authentication_failed' });
    expect((error as Error).message).toBe('POST /console/api/login → 401 authentication_failed: Invalid email or password.');
    expect(h.seen().filter((line) => line.startsWith('POST /console/api/login'))).toHaveLength(1);
  });

  it('locks the account after more than 5 failures (429), even for the right password', async () => {
    const h = await start({ profile: '1.14.1' });
    const failures: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      const wrong = h.newClient({ auth: { kind: 'password', email: OWNER_EMAIL, password: `wrong-${i}-password` } });
      failures.push(await wrong.login().catch((e: unknown) => e));
    }
    expect(failures.slice(0, 6).every((e) => e instanceof DifyAuthError)).toBe(true);
    expect(failures[6]).toBeInstanceOf(DifyRateLimitedError);
    expect(failures[6]).toMatchObject({ status: 429, code: 'email_code_login_limit' });
    const locked = await h.client.login().catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(DifyRateLimitedError);
    expect(h.sleeps).toEqual([]);
  });

  it('keeps the password out of error messages even when Dify echoes it', async () => {
    const h = await start({ profile: '1.14.1' });
    await h.fault({ method: 'GET', path: '^/console/api/account/profile$', status: 400, body: { code: 'invalid_param', message: `bad value ${OWNER_PASSWORD} and ${Buffer.from(OWNER_PASSWORD).toString('base64')}`, status: 400 } });
    const error = await h.client.account.profile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyApiError);
    const text = `${(error as Error).message} ${JSON.stringify((error as DifyApiError).body)}`;
    expect(text).not.toContain(OWNER_PASSWORD);
    expect(text).not.toContain(Buffer.from(OWNER_PASSWORD).toString('base64'));
    expect(text).toContain('bad value ***');
  });
});

describe.each(['1.0.0', '1.9.1', '1.12.1', '1.14.1'] as const)('ADMIN_API_KEY on %s', (profile) => {
  it('authenticates with the key and X-WORKSPACE-ID, without login or cookies', async () => {
    const h = await start({ profile, auth: 'admin-key' });
    expect((await h.client.serverInfo()).authMode).toBe('admin-key');
    await expect(h.client.account.profile()).resolves.toMatchObject({ email: OWNER_EMAIL });
    await h.client.apps.create({ name: 'by admin key', mode: 'workflow' });
    expect(h.seen()).toEqual(['GET /v1/ 200', 'GET /console/api/account/profile 200', 'POST /console/api/apps 201']);
    expect(h.sim.requests.every((r) => r.headers.cookie === undefined)).toBe(true);
    expect(h.redactor.has(ADMIN_KEY)).toBe(true);
  });
});

describe('wrong admin key', () => {
  it('fails with an auth error that does not contain the key', async () => {
    const h = await start({ profile: '1.14.1' });
    const wrong = h.newClient({ auth: { kind: 'admin-key', apiKey: 'wrong-admin-key-canary', workspaceId: 'nope' } });
    const error = await wrong.account.profile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DifyAuthError);
    expect((error as Error).message).not.toContain('wrong-admin-key-canary');
  });
});
