import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_NAMES, type ProfileName } from '../../src/simulator/profiles.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { ConsoleClient, OWNER } from '../support/simulator-console.js';

const ADMIN_KEY = 'admin-key-canary-0123456789';

describe.each(PROFILE_NAMES.map((p) => [p]))('console auth on profile %s', (profile: ProfileName) => {
  let sim: Simulator;
  let clock = Date.parse('2026-03-01T10:00:00Z');
  beforeAll(async () => {
    sim = await startSimulator({ ...OWNER, profile, adminApiKey: ADMIN_KEY, now: () => clock });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('logs in the way this release does (checklist 3)', async () => {
    const client = new ConsoleClient(sim);
    const res = await client.login();
    expect(res.status).toBe(200);
    if (sim.profile.authEra === 'cookies') {
      expect(res.body).toEqual({ result: 'success' });
      const setCookies = res.headers.getSetCookie();
      expect(setCookies.find((c) => c.startsWith('access_token='))).toMatch(/HttpOnly/);
      expect(setCookies.find((c) => c.startsWith('refresh_token='))).toMatch(/HttpOnly/);
      const csrf = setCookies.find((c) => c.startsWith('csrf_token='))!;
      expect(csrf).not.toMatch(/HttpOnly/);
      expect(csrf).toMatch(/Max-Age=3600/);
      expect(csrf).toMatch(/SameSite=Lax/);
    } else {
      expect(res.body.result).toBe('success');
      expect(res.body.data.access_token.split('.')).toHaveLength(3);
      expect(typeof res.body.data.refresh_token).toBe('string');
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    const me = await client.get('/console/api/account/profile');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(OWNER.email);
  });

  it('refuses a wrong password with the code of this era', async () => {
    const res = await new ConsoleClient(sim).login(OWNER.email, 'wrong-password');
    if (sim.profile.loginFailure === 'authentication_failed') {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'authentication_failed', message: 'Invalid email or password.', status: 401 });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    } else {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('email_or_password_mismatch');
    }
  });

  it('locks login after more than 5 failures, even for the right password (checklist 6)', async () => {
    sim.state.accounts.push({ id: 'b3b0c7c2-1111-4b5e-9a52-000000000001', email: 'locked@example.com', name: 'locked', password: 'Right1234', role: 'editor', failedLogins: 0 });
    const client = new ConsoleClient(sim);
    for (let i = 0; i < 6; i++) expect((await client.login('locked@example.com', 'nope')).status).not.toBe(429);
    const res = await client.login('locked@example.com', 'Right1234');
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 'email_code_login_limit', message: 'Too many incorrect password attempts. Please try again later.' });
    clock += 86_401 * 1000; // LOGIN_LOCKOUT_DURATION has passed
    expect((await client.login('locked@example.com', 'Right1234')).status).toBe(200);
  });

  it('answers 401 Invalid Authorization token. without credentials, with WWW-Authenticate', async () => {
    const res = await new ConsoleClient(sim).get('/console/api/apps');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid Authorization token.', status: 401 });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  });

  it('expires access tokens after the TTL on the injectable clock (checklist 5)', async () => {
    const client = new ConsoleClient(sim);
    await client.login();
    expect((await client.get('/console/api/apps')).status).toBe(200);
    clock += 3601 * 1000;
    const res = await client.get('/console/api/apps');
    expect(res.status).toBe(401);
    // In the cookie era the CSRF token (same TTL) is checked after the access token.
    expect(res.body.message).toBe('Token has expired.');
  });

  it('accepts ADMIN_API_KEY with X-WORKSPACE-ID as the owner, and refuses it without the header', async () => {
    const client = new ConsoleClient(sim);
    const ok = await client.get('/console/api/account/profile', {
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'X-WORKSPACE-ID': sim.state.workspace.id },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.email).toBe(OWNER.email);
    const created = await client.post('/console/api/apps', { name: 'via admin key', mode: 'workflow' }, {
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'X-WORKSPACE-ID': sim.state.workspace.id },
    });
    expect(created.status).toBe(201);
    const bad = await client.get('/console/api/account/profile', { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(bad.status).toBe(401);
    expect(bad.body.message).toBe('Invalid token.');
  });

  it('rotates refresh tokens: the old one stops working (checklist 5)', async () => {
    const client = new ConsoleClient(sim);
    await client.login();
    if (sim.profile.authEra === 'cookies') {
      const oldRefresh = client.cookies.get('refresh_token')!;
      const oldCsrf = client.cookies.get('csrf_token')!;
      clock += 1000; // tokens are JWTs over {exp, sub}: a new second makes a new token
      const res = await client.request('POST', '/console/api/refresh-token');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ result: 'success' });
      expect(client.cookies.get('refresh_token')).not.toBe(oldRefresh);
      expect(client.cookies.get('csrf_token')).not.toBe(oldCsrf);
      expect((await client.get('/console/api/apps')).status).toBe(200);
      const replay = await client.request('POST', '/console/api/refresh-token', { anonymous: true, headers: { Cookie: `refresh_token=${oldRefresh}` } });
      expect(replay.status).toBe(401);
      expect(replay.body).toEqual({ result: 'fail', message: 'Invalid refresh token' });
      const none = await client.request('POST', '/console/api/refresh-token', { anonymous: true });
      expect(none.body).toEqual({ result: 'fail', message: 'No refresh token provided' });
    } else {
      const old = client.refreshToken!;
      const res = await client.post('/console/api/refresh-token', { refresh_token: old }, { anonymous: true });
      expect(res.status).toBe(200);
      expect(res.body.data.refresh_token).not.toBe(old);
      const replay = await client.post('/console/api/refresh-token', { refresh_token: old }, { anonymous: true });
      expect(replay.status).toBe(401);
      expect(replay.body).toEqual({ result: 'fail', data: 'Invalid refresh token' });
    }
  });

  it('logs out with the method of this era and invalidates the refresh token', async () => {
    const client = new ConsoleClient(sim);
    await client.login();
    const refresh = client.cookies.get('refresh_token') ?? client.refreshToken!;
    const res = await client.request(sim.profile.logoutMethod, '/console/api/logout');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'success' });
    expect(sim.state.refreshTokens[refresh]).toBeUndefined();
    const other = await client.request(sim.profile.logoutMethod === 'GET' ? 'POST' : 'GET', '/console/api/logout');
    expect(other.status).toBe(405);
  });
});

describe('CSRF in the cookie era (checklist 4)', () => {
  let sim: Simulator;
  let client: ConsoleClient;
  let appId: string;
  beforeAll(async () => {
    sim = await startSimulator({ ...OWNER, profile: '1.14.1' });
    client = new ConsoleClient(sim);
    await client.login();
    appId = (await client.post('/console/api/apps', { name: 'csrf', mode: 'workflow' })).body.id;
  });
  afterAll(async () => {
    await sim.close();
  });

  it('checks GET too: a missing header is 401 CSRF token is missing or invalid.', async () => {
    const res = await client.get('/console/api/apps', { noCsrf: true });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'unauthorized', message: 'CSRF token is missing or invalid.', status: 401 });
  });

  it('refuses a header that differs from the cookie, and a forged token', async () => {
    const wrong = await client.get('/console/api/apps', { headers: { 'X-CSRF-Token': 'x.y.z' } });
    expect(wrong.status).toBe(401);
    const cookie = [...client.cookies].filter(([k]) => k !== 'csrf_token').map(([k, v]) => `${k}=${v}`).join('; ');
    const forged = await client.get('/console/api/apps', { anonymous: true, headers: { Cookie: `${cookie}; csrf_token=a.b.c`, 'X-CSRF-Token': 'a.b.c' } });
    expect(forged.status).toBe(401);
    expect(forged.body.message).toBe('CSRF token is missing or invalid.');
  });

  it('exempts every path under /workflows/draft but not /workflows/publish', async () => {
    const sync = await client.post(`/console/api/apps/${appId}/workflows/draft`, { graph: { nodes: [], edges: [] }, features: {} }, { noCsrf: true });
    expect(sync.status).toBe(200);
    const env = await client.get(`/console/api/apps/${appId}/workflows/draft/environment-variables`, { noCsrf: true });
    expect(env.status).toBe(200);
    const publish = await client.post(`/console/api/apps/${appId}/workflows/publish`, {}, { noCsrf: true });
    expect(publish.status).toBe(401);
  });

  it('names cookies with the __Host- prefix when secure cookies are configured', async () => {
    const secure = await startSimulator({ ...OWNER, secureCookies: true });
    try {
      const c = new ConsoleClient(secure);
      await c.login();
      expect([...c.cookies.keys()].sort()).toEqual(['__Host-access_token', '__Host-csrf_token', '__Host-refresh_token']);
      expect((await c.get('/console/api/apps')).status).toBe(200);
    } finally {
      await secure.close();
    }
  });

  it('refuses a password that is not Base64 with 401 Invalid encrypted data (≥1.11.2)', async () => {
    const res = await client.post('/console/api/login', { email: OWNER.email, password: 'abcde' }, { anonymous: true });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'authentication_failed', message: 'Invalid encrypted data', status: 401 });
  });
});

describe('first-run setup', () => {
  it('answers 403 not_setup until POST /setup, then logs in', async () => {
    const sim = await startSimulator({ ...OWNER, setupFinished: false });
    try {
      const client = new ConsoleClient(sim);
      expect((await client.get('/console/api/setup')).body).toEqual({ step: 'not_started' });
      const before = await client.get('/console/api/apps');
      expect(before.status).toBe(403);
      expect(before.body.code).toBe('not_setup');
      const setup = await client.post('/console/api/setup', { email: 'first@example.com', name: 'First', password: 'Start12345' });
      expect(setup.status).toBe(201);
      expect((await client.get('/console/api/setup')).body.step).toBe('finished');
      expect((await client.login('first@example.com', 'Start12345')).status).toBe(200);
      expect((await client.post('/console/api/setup', { email: 'x@example.com', name: 'X', password: 'Start12345' })).status).toBe(403);
    } finally {
      await sim.close();
    }
  });
});
