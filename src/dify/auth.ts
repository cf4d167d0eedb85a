// The console session: detects the server version (GET /v1/), picks the auth mode for it, logs
// in, keeps tokens or cookies, and renews them. Modes (contract §1):
//   body-token               <1.9.2   tokens in the login body, `Authorization: Bearer`
//   cookie-plain-password    1.9.2–1.11.1  HttpOnly cookies + X-CSRF-Token, plain password
//   cookie-base64-password   ≥1.11.2  the same, password sent Base64-encoded
//   admin-key                ADMIN_API_KEY + X-WORKSPACE-ID, no cookie (not on 1.9.2–1.10.x)
// A 401 on an authenticated call triggers one renewal (refresh, or a fresh login if the refresh
// is refused) shared by all concurrent callers, then the original request is sent once more.
// Repeating even a non-idempotent POST is safe here: Dify rejects a 401 before the handler runs.

import type { Redactor } from '../secrets/redactor.js';
import { createCookieJar } from './cookies.js';
import { createUnexpectedResponseError } from './error-translation.js';
import { DifyApiError, DifyAuthError, DifyUnsupportedError } from './errors.js';
import { defineShape, obj, str, type ShapeChecker } from './shapes.js';
import type { StreamResponse, Transport, TransportRequest, TransportResponse } from './transport.js';
import { capabilitiesOf, parseServerVersion, type Capabilities, type PasswordAuthEra, type ServerVersion } from './version.js';

export type DifyAuth =
  | { kind: 'password'; email: string; password: string }
  | { kind: 'admin-key'; apiKey: string; workspaceId: string };

export type AuthMode = PasswordAuthEra | 'admin-key';

export interface ServerInfo {
  version: ServerVersion;
  capabilities: Capabilities;
  authMode: AuthMode;
}

export interface ConsoleSession {
  /** Detects the server version once (GET /v1/, no auth) and picks the auth mode. */
  serverInfo(): Promise<ServerInfo>;
  /** Logs in now (also done lazily by the first request). */
  login(): Promise<void>;
  /** Rotates the tokens with the refresh token. */
  refresh(): Promise<void>;
  logout(): Promise<void>;
  /** Sends an authenticated console request. */
  request(req: TransportRequest): Promise<TransportResponse>;
  stream(req: TransportRequest): Promise<StreamResponse>;
}

const VERSION_SHAPE = defineShape<{ server_version?: string }>('version answer', { type: 'object' });
const RESULT_SHAPE = defineShape<{ result: string; data?: unknown; code?: string; message?: string }>(
  'login/refresh result',
  obj({ result: str }),
);
const TOKEN_PAIR_SHAPE = defineShape<{ access_token: string; refresh_token: string }>(
  'token pair',
  obj({ access_token: str, refresh_token: str }),
);

/** Chooses how to authenticate against `version`; throws when the combination cannot work. */
export function selectAuthMode(version: ServerVersion, auth: DifyAuth): AuthMode {
  const capabilities = capabilitiesOf(version);
  if (auth.kind === 'password') return capabilities.passwordAuthEra;
  if (!capabilities.adminKeyPassesCsrf) {
    throw new DifyUnsupportedError(
      `Dify ${version.raw} cannot be used with ADMIN_API_KEY: on 1.9.2–1.10.x the admin key cannot pass the ` +
        'console CSRF check (fixed in 1.11.0). Upgrade Dify or log in with email and password.',
      version.raw,
    );
  }
  return 'admin-key';
}

export function createConsoleSession(deps: {
  transport: Transport;
  auth: DifyAuth;
  redactor: Redactor;
  shapes: ShapeChecker;
  now: () => number;
}): ConsoleSession {
  const { transport, auth, redactor, shapes } = deps;
  const jar = createCookieJar(deps.now);
  let info: Promise<ServerInfo> | undefined;
  let tokens: { access: string; refresh: string } | undefined;
  let ready: Promise<void> | undefined;
  let renewing: Promise<void> | undefined;
  /** Bumped by every login and refresh, so a 401 from an older credential does not renew twice. */
  let generation = 0;

  async function detect(): Promise<ServerInfo> {
    const res = await transport.request({ method: 'GET', path: '/v1/', okStatuses: [401, 403, 404] });
    let raw = res.status === 200 ? shapes.parse(res, VERSION_SHAPE).server_version : undefined;
    if (typeof raw !== 'string') raw = headerValue(res.headers['x-version']);
    const version = raw === undefined ? undefined : parseServerVersion(raw);
    if (version === undefined) {
      throw createUnexpectedResponseError(
        { method: 'GET', endpoint: res.endpoint, status: res.status, problem: 'cannot detect the Dify version: no server_version in the body and no X-Version header' },
        redactor,
      );
    }
    return { version, capabilities: capabilitiesOf(version), authMode: selectAuthMode(version, auth) };
  }

  function serverInfo(): Promise<ServerInfo> {
    info ??= detect().catch((error: unknown) => {
      info = undefined;
      throw error;
    });
    return info;
  }

  async function doLogin(): Promise<void> {
    const { authMode } = await serverInfo();
    if (auth.kind === 'admin-key') return;
    jar.clear();
    tokens = undefined;
    const password = authMode === 'cookie-base64-password' ? Buffer.from(auth.password, 'utf8').toString('base64') : auth.password;
    redactor.add(password);
    const json: Record<string, unknown> = { email: auth.email, password, remember_me: true };
    if (authMode === 'body-token') json.language = 'en-US';
    const res = await transport.request({ method: 'POST', path: '/console/api/login', json });
    const body = shapes.parse(res, RESULT_SHAPE);
    if (body.result !== 'success') throw loginRefused(res, body);
    if (authMode === 'body-token') tokens = acceptTokenPair(res, body.data);
    else acceptCookies(res);
    generation++;
  }

  async function doRefresh(): Promise<void> {
    const { authMode } = await serverInfo();
    if (authMode === 'admin-key') return;
    if (authMode === 'body-token') {
      if (tokens === undefined) return doLogin();
      const res = await transport.request({ method: 'POST', path: '/console/api/refresh-token', json: { refresh_token: tokens.refresh } });
      const body = shapes.parse(res, RESULT_SHAPE);
      if (body.result !== 'success') throw loginRefused(res, body);
      tokens = acceptTokenPair(res, body.data);
    } else {
      if (jar.get('refresh_token') === undefined) return doLogin();
      const cookie = jar.header();
      const res = await transport.request({ method: 'POST', path: '/console/api/refresh-token', headers: cookie === undefined ? {} : { cookie } });
      acceptCookies(res);
    }
    generation++;
  }

  function loginRefused(res: TransportResponse, body: { data?: unknown; code?: string; message?: string }): DifyAuthError {
    // 0.15's account_not_found puts a password-reset token in `data`: only show `data` without a code.
    const detail = body.message ?? (typeof body.data === 'string' && body.code === undefined ? body.data : 'login refused');
    return new DifyAuthError({
      method: res.method,
      endpoint: res.endpoint,
      status: res.status,
      code: body.code ?? 'login_failed',
      detail: redactor.redact(detail),
    });
  }

  function acceptTokenPair(res: TransportResponse, data: unknown): { access: string; refresh: string } {
    const pair = shapes.check(data, TOKEN_PAIR_SHAPE, res);
    redactor.add(pair.access_token);
    redactor.add(pair.refresh_token);
    return { access: pair.access_token, refresh: pair.refresh_token };
  }

  function acceptCookies(res: TransportResponse): void {
    for (const cookie of jar.store(res.headers['set-cookie'])) redactor.add(cookie.value);
    if (jar.get('access_token') === undefined || jar.get('csrf_token') === undefined) {
      throw createUnexpectedResponseError(
        { method: res.method, endpoint: res.endpoint, status: res.status, problem: 'no access_token and csrf_token cookies in the answer' },
        redactor,
      );
    }
  }

  function ensureLoggedIn(): Promise<void> {
    ready ??= doLogin().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  }

  /** One renewal for everyone who saw a 401 from credential generation `seen`. */
  function renew(seen: number): Promise<void> {
    if (generation !== seen) return Promise.resolve();
    renewing ??= doRefresh()
      .catch((error: unknown) => {
        if (error instanceof DifyApiError && (error.status === 401 || error instanceof DifyAuthError)) return doLogin();
        throw error;
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  }

  function authHeaders(mode: AuthMode): Record<string, string> {
    if (auth.kind === 'admin-key') return { authorization: `Bearer ${auth.apiKey}`, 'x-workspace-id': auth.workspaceId };
    if (mode === 'body-token') return tokens === undefined ? {} : { authorization: `Bearer ${tokens.access}` };
    const headers: Record<string, string> = {};
    const cookie = jar.header();
    const csrf = jar.get('csrf_token');
    if (cookie !== undefined) headers.cookie = cookie;
    if (csrf !== undefined) headers['x-csrf-token'] = csrf;
    return headers;
  }

  async function authenticated<R>(req: TransportRequest, send: (req: TransportRequest) => Promise<R>): Promise<R> {
    const { authMode } = await serverInfo();
    await ensureLoggedIn();
    // The access cookie's Max-Age ran out locally: renew before Dify has to say so.
    if (authMode.startsWith('cookie') && jar.get('access_token') === undefined) await renew(generation);
    const seen = generation;
    const withAuth = (): TransportRequest => ({ ...req, headers: { ...req.headers, ...authHeaders(authMode) } });
    try {
      return await send(withAuth());
    } catch (error) {
      if (authMode === 'admin-key' || !(error instanceof DifyAuthError) || error.status !== 401) throw error;
      await renew(seen);
      return send(withAuth());
    }
  }

  return {
    serverInfo,
    async login() {
      ready = undefined;
      await ensureLoggedIn();
    },
    async refresh() {
      await ensureLoggedIn();
      await renew(generation);
    },
    async logout() {
      const { authMode, capabilities } = await serverInfo();
      if (authMode === 'admin-key' || ready === undefined) return;
      const res = await transport.request({
        method: capabilities.logoutMethod,
        path: '/console/api/logout',
        headers: authHeaders(authMode),
      });
      jar.store(res.headers['set-cookie']);
      jar.clear();
      tokens = undefined;
      ready = undefined;
    },
    request: (req) => authenticated(req, (r) => transport.request(r)),
    stream: (req) => authenticated(req, (r) => transport.stream(r)),
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
