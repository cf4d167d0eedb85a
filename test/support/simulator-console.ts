// A minimal console client for simulator tests, over real HTTP with global fetch: logs in the
// way the simulated release expects (Base64 password, cookies + X-CSRF-Token, or body tokens)
// and keeps a cookie jar. Deliberately independent of src/dify so simulator tests stand alone.

import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server.js';

export interface SimResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are arbitrary JSON, asserted by the tests
  body: any;
}

export interface RequestOptions {
  json?: unknown;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Leave out the X-CSRF-Token header (cookie era). */
  noCsrf?: boolean;
  /** Send no credentials at all. */
  anonymous?: boolean;
}

export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  accessToken: string | undefined;
  refreshToken: string | undefined;

  constructor(readonly sim: Simulator) {}

  get cookieEra(): boolean {
    return this.sim.profile.authEra === 'cookies';
  }

  async login(email = 'owner@example.com', password = 'Passw0rd!'): Promise<SimResponse> {
    const encoded = this.sim.profile.base64Password ? Buffer.from(password, 'utf8').toString('base64') : password;
    const res = await this.request('POST', '/console/api/login', { json: { email, password: encoded, remember_me: false }, anonymous: true });
    if (res.status === 200 && !this.cookieEra && res.body?.data) {
      this.accessToken = res.body.data.access_token;
      this.refreshToken = res.body.data.refresh_token;
    }
    return res;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<SimResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] = options.contentType ?? 'application/json';
    } else if (options.contentType) {
      headers['Content-Type'] = options.contentType;
    }
    if (!options.anonymous) {
      if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const csrf = this.cookies.get('csrf_token') ?? this.cookies.get('__Host-csrf_token');
      if (csrf && !options.noCsrf && headers['X-CSRF-Token'] === undefined) headers['X-CSRF-Token'] = csrf;
      if (this.accessToken && !headers.Authorization) headers.Authorization = `Bearer ${this.accessToken}`;
    }
    const res = await fetch(`${this.sim.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  get(path: string, options: RequestOptions = {}): Promise<SimResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, json: unknown = {}, options: RequestOptions = {}): Promise<SimResponse> {
    return this.request('POST', path, { ...options, json });
  }

  /** Imports DSL text as a new app (or over appId) and returns the Import body. */
  async importYaml(yaml: string, extra: Record<string, unknown> = {}): Promise<SimResponse> {
    return this.post('/console/api/apps/imports', { mode: 'yaml-content', yaml_content: yaml, ...extra });
  }
}

export const OWNER = { email: 'owner@example.com', password: 'Passw0rd!' };

/** A simulator plus a console client already logged in as the owner. */
export async function startLoggedIn(options: Partial<SimulatorOptions> = {}): Promise<{ sim: Simulator; client: ConsoleClient }> {
  const sim = await startSimulator({ ...OWNER, ...options });
  const client = new ConsoleClient(sim);
  const res = await client.login();
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return { sim, client };
}

/** A small but complete workflow DSL (start → end) for tests. */
export function workflowDsl(options: { name?: string; version?: string; mode?: 'workflow' | 'advanced-chat'; env?: unknown[]; nodes?: unknown[]; extra?: string } = {}): string {
  const doc = {
    app: { name: options.name ?? 'Test app', mode: options.mode ?? 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: 'd', use_icon_as_answer_icon: false },
    kind: 'app',
    version: options.version ?? '0.6.0',
    workflow: {
      conversation_variables: [],
      environment_variables: options.env ?? [],
      features: { opening_statement: '' },
      graph: {
        edges: [{ id: 'e1', source: 'start', target: 'end', sourceHandle: 'source', targetHandle: 'target', type: 'custom' }],
        nodes: options.nodes ?? [
          { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [] } },
          { id: 'end', type: 'custom', position: { x: 300, y: 0 }, data: { type: 'end', title: 'End', outputs: [] } },
        ],
        viewport: { x: 0, y: 0, zoom: 1 },
      },
    },
  };
  // JSON is valid YAML; quoting the version keeps it a string for PyYAML.
  return JSON.stringify(doc, null, 2) + (options.extra ?? '');
}
