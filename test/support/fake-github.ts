// A strict fake of the GitHub REST + GraphQL API for tests: a node:http server on 127.0.0.1:0 with
// in-memory state, implementing exactly the endpoints src/github uses (routes in
// fake-github-routes-*.ts). Anything else answers 501 and lands in `unexpected`, which
// useFakeGitHub() asserts empty after each test. Faults are injected at the server (5xx, rate
// limits, Retry-After). Recorded requests never hold the token: only how the caller authenticated.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sodium from 'libsodium-wrappers';
import { afterEach, beforeEach, expect } from 'vitest';
import { createFakeGitHubState, type FakeGitHubState } from './fake-github-state.js';
import { issueRoutes } from './fake-github-routes-issues.js';
import { repoRoutes } from './fake-github-routes-repo.js';
import { gitRoutes } from './fake-github-routes-git.js';
import { DOCS_URL, type Reply } from './fake-github-replies.js';

export * from './fake-github-replies.js';

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  state: FakeGitHubState;
  options: FakeGitHubOptions;
  /** Absolute URL of this request without its query, for Link headers. */
  selfUrl: string;
}

export interface Route {
  method: string;
  /** Path after the API prefix; `:name` segments become params. */
  path: string;
  handler: (ctx: RouteContext) => Reply;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** How the request authenticated; the token itself is never recorded. */
  auth: 'token' | 'bearer' | 'none' | 'wrong';
  injected: boolean;
}

export interface FaultMatch {
  method?: string;
  /** Matched against the path after the API prefix. */
  path?: RegExp | string;
}

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  token: string;
  /** GitHub Enterprise Server layout: REST under /api/v3, GraphQL at /api/graphql. */
  enterprise: boolean;
  /** false: check runs answer 403 like a GITHUB_TOKEN without checks: write. */
  checksWritable: boolean;
  /** 'forbidden': minimizeComment answers a GraphQL FORBIDDEN error. */
  minimizeComment: 'ok' | 'forbidden';
}

export interface FakeGitHub {
  /** The REST base URL to give Octokit (`baseUrl`). */
  url: string;
  options: FakeGitHubOptions;
  state: FakeGitHubState;
  requests: RecordedRequest[];
  unexpected: RecordedRequest[];
  /** The next `times` requests matching `match` get `reply` instead of being handled. */
  inject(match: FaultMatch, reply: Reply, times?: number): void;
  /** A file's content on a branch, read from the fake's git objects. */
  fileAt(branch: string, path: string): string | undefined;
  /** Decrypts a stored Actions secret with the fake's private key. */
  secretValue(name: string, environment?: string): string | undefined;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startFakeGitHub(overrides: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  await sodium.ready;
  const options: FakeGitHubOptions = {
    owner: 'acme',
    repo: 'dify-apps',
    token: 'ghs_fake_token_0123456789',
    enterprise: false,
    checksWritable: true,
    minimizeComment: 'ok',
    ...overrides,
  };
  const state = createFakeGitHubState();
  const routes = [...issueRoutes(), ...repoRoutes(), ...gitRoutes()].map((route) => ({ ...route, regex: compile(route.path) }));
  const requests: RecordedRequest[] = [];
  const unexpected: RecordedRequest[] = [];
  const faults: { match: FaultMatch; reply: Reply; left: number }[] = [];
  const prefix = options.enterprise ? '/api/v3' : '';

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const path = apiPath(url.pathname, prefix, options.enterprise);
      const auth = authOf(req, options.token);
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: path ?? url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: undefined,
        status: 0,
        auth,
        injected: false,
      };
      requests.push(record);
      const reply = handle(record, raw, url, path);
      record.status = reply.status;
      send(res, reply);
    });
  });

  function handle(record: RecordedRequest, raw: string, url: URL, path: string | undefined): Reply {
    if (raw !== '') {
      try {
        record.body = JSON.parse(raw) as unknown;
      } catch {
        return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS_URL } };
      }
    }
    const fault = path === undefined ? undefined : faults.find((f) => f.left > 0 && matches(f.match, record.method, path));
    if (fault !== undefined) {
      fault.left -= 1;
      record.injected = true;
      return fault.reply;
    }
    for (const route of routes) {
      if (path === undefined || route.method !== record.method) continue;
      const match = route.regex.exec(path);
      if (match === null) continue;
      if (record.auth === 'none') return { status: 401, body: { message: 'Requires authentication', documentation_url: DOCS_URL } };
      if (record.auth === 'wrong') return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS_URL } };
      const params = match.groups ?? {};
      if (params.owner !== undefined && (params.owner !== options.owner || params.repo !== options.repo)) {
        return { status: 404, body: { message: 'Not Found', documentation_url: DOCS_URL } };
      }
      const selfUrl = `${url.origin}${url.pathname}`;
      const reply = route.handler({ params, query: url.searchParams, body: record.body, state, options, selfUrl });
      // A route answers 501 for the parts it does not implement (e.g. other GraphQL queries).
      if (reply.status === 501) unexpected.push(record);
      return reply;
    }
    unexpected.push(record);
    return { status: 501, body: { message: `fake-github does not implement ${record.method} ${url.pathname}` } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    options,
    state,
    requests,
    unexpected,
    inject: (match, reply, times = 1) => void faults.push({ match, reply, left: times }),
    secretValue: (name, environment) => state.decryptSecret(name, environment),
    fileAt: (branch, file) => {
      const commit = state.git.commits.get(state.git.refs.get(`heads/${branch}`) ?? '');
      return commit === undefined ? undefined : state.git.trees.get(commit.tree)?.get(file);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Starts a fresh fake before each test and fails the test if it saw a request it does not implement. */
export function useFakeGitHub(overrides: Partial<FakeGitHubOptions> = {}): () => FakeGitHub {
  let fake: FakeGitHub | undefined;
  beforeEach(async () => {
    fake = await startFakeGitHub(overrides);
  });
  afterEach(async () => {
    const done = fake;
    fake = undefined;
    if (done === undefined) return;
    await done.close();
    expect(done.unexpected, 'requests fake-github does not implement').toEqual([]);
  });
  return () => {
    if (fake === undefined) throw new Error('useFakeGitHub: no fake outside a test');
    return fake;
  };
}

/** `/repos/:owner/:repo/git/ref/:ref+`: `:name` is one segment, `:name+` one or more. */
function compile(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^:(\w+)(\+?)$/.exec(segment);
      if (param === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return param[2] === '+' ? `(?<${param[1]}>.+)` : `(?<${param[1]}>[^/]+)`;
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

function apiPath(pathname: string, prefix: string, enterprise: boolean): string | undefined {
  if (enterprise && pathname === '/api/graphql') return '/graphql';
  if (!pathname.startsWith(prefix)) return undefined;
  return decodeURIComponent(pathname.slice(prefix.length)) || '/';
}

function matches(match: FaultMatch, method: string, path: string): boolean {
  if (match.method !== undefined && match.method !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? match.path === path : match.path.test(path);
}

function authOf(req: IncomingMessage, token: string): RecordedRequest['auth'] {
  const header = req.headers.authorization;
  if (header === undefined) return 'none';
  const [scheme, value] = header.split(' ', 2);
  if (value !== token) return 'wrong';
  return scheme?.toLowerCase() === 'bearer' ? 'bearer' : scheme?.toLowerCase() === 'token' ? 'token' : 'wrong';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.drop === true) {
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = { 'x-github-request-id': `FAKE:${Math.random().toString(16).slice(2, 10)}`, ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(reply.body));
}
