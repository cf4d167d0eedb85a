// One request through the simulator: read the body, answer /_simulator control routes, apply an
// injected fault, route, check setup + auth, parse the body, run the handler, persist the state
// after a mutating request, and write the reply with Dify's headers after the global latency.
// The latency is the network's: a request is handled when it arrives and its answer leaves
// latencyMs later. (Waiting first and handling after made answers that waited together leave in
// a burst, each queued behind the others' handling; now they leave as spread as the requests came.)

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultStore } from '../faults.js';
import { redactHeaders, type RequestLog } from '../request-log.js';
import type { SimWorld } from '../world.js';
import { parseBody } from './body.js';
import { authenticateConsole } from './console-auth.js';
import { parseCookies } from './cookies.js';
import { difyError, HttpError, internalError, methodNotAllowed, notFound, unauthorized } from './errors.js';
import type { Reply, RequestContext, ServiceAuthenticator } from './route.js';
import type { Router } from './router.js';
import { createSseSink } from './sse.js';

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface DispatchDeps {
  world: SimWorld;
  router: Router;
  control: Router;
  serviceAuth: ServiceAuthenticator | undefined;
  faults: FaultStore;
  log: RequestLog;
  latencyMs: number;
  persist: (() => Promise<void>) | undefined;
  onError: (error: unknown) => void;
}

export async function dispatch(deps: DispatchDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  // The signal is for a client that leaves before the reply is complete (a stream cut short);
  // aborting on every normal close would build an AbortError per request for nothing.
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const isControl = path.startsWith('/_simulator/');
  const latencyMs = isControl ? 0 : deps.latencyMs;
  let routeKey: string | null = null;
  let status = 0;

  try {
    const rawBody = await readBody(req);
    if (!isControl) {
      const fault = deps.faults.take(method, path);
      if (fault) {
        if (fault.delayMs > 0) await sleep(fault.delayMs);
        if (fault.dropConnection) {
          req.socket.destroy();
          record(deps, method, path, null, 0, req);
          return;
        }
        if (fault.status !== undefined) {
          status = fault.status;
          const body = fault.body ?? { code: 'simulated_fault', message: 'Fault injected by the simulator', status: fault.status };
          const reply: Reply =
            typeof body === 'string'
              ? { status: fault.status, text: body, contentType: 'text/plain; charset=utf-8', headers: fault.headers }
              : { status: fault.status, json: body, headers: fault.headers };
          await send(deps, res, reply, abort, 0);
          return;
        }
      }
    }

    const match = (isControl ? deps.control : deps.router).match(method, path);
    if (match.kind !== 'found') {
      if (method === 'OPTIONS' && match.kind === 'method-not-allowed') {
        status = 200;
        await send(deps, res, { status: 200, empty: true }, abort, latencyMs);
        return;
      }
      throw match.kind === 'not-found' ? notFound() : methodNotAllowed();
    }
    const { route, params } = match;
    routeKey = `${route.method} ${route.path}`;
    const ctx: RequestContext = {
      world: deps.world,
      method,
      path,
      query: url.searchParams,
      params,
      headers: req.headers,
      cookies: parseCookies(req.headers.cookie),
      body: undefined,
      rawBody,
      account: null,
      service: null,
      // Read lazily: an AbortSignal is built on first access, and most handlers never look.
      get signal() {
        return abort.signal;
      },
    };
    if (route.auth.startsWith('console')) {
      ctx.account = authenticateConsole(ctx, route.auth);
    } else if (route.auth === 'service') {
      if (!deps.serviceAuth) throw unauthorized('Access token is invalid');
      ctx.service = deps.serviceAuth(ctx);
    }
    ctx.body = parseBody(route.body ?? 'none', req.headers['content-type'], rawBody);
    const reply = await route.handler(ctx);
    status = reply.status;
    if (!READ_ONLY.has(method) && !isControl && !('stream' in reply)) await deps.persist?.();
    await send(deps, res, reply, abort, latencyMs);
  } catch (error) {
    const httpError = error instanceof HttpError ? error : (deps.onError(error), internalError());
    status = httpError.status;
    if (!READ_ONLY.has(method) && deps.persist) await deps.persist().catch(deps.onError);
    if (!res.headersSent && !res.destroyed) {
      await send(deps, res, { status: httpError.status, json: httpError.body, headers: httpError.headers }, abort, latencyMs);
    } else {
      res.destroy();
    }
  } finally {
    if (!isControl && status !== 0) record(deps, method, path, routeKey, status, req);
  }
}

async function send(deps: DispatchDeps, res: ServerResponse, reply: Reply, abort: AbortController, latencyMs: number): Promise<void> {
  if (latencyMs > 0) await sleep(latencyMs);
  const { profile } = deps.world;
  res.setHeader('X-Version', profile.serverVersion);
  res.setHeader('X-Env', 'PRODUCTION');
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if ('stream' in reply) {
    res.writeHead(reply.status, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const { sink, stop } = createSseSink(res, profile.sseJson, deps.world.settings.pingIntervalMs, abort.signal);
    try {
      await reply.stream(sink);
    } catch (error) {
      deps.onError(error);
    } finally {
      stop();
      await deps.persist?.().catch(deps.onError);
      if (!res.destroyed) res.end();
    }
    return;
  }
  // Whole bodies carry Content-Length, as Dify's (gunicorn) answers do: without it Node falls back
  // to chunked encoding, which Dify does not use outside streams.
  if ('empty' in reply || reply.status === 204) {
    res.writeHead(reply.status, reply.status === 204 ? {} : { 'Content-Length': 0 });
    res.end();
  } else if ('text' in reply) {
    res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.text) });
    res.end(reply.text);
  } else {
    const body = `${JSON.stringify(reply.json)}\n`;
    res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}

function record(deps: DispatchDeps, method: string, path: string, route: string | null, status: number, req: IncomingMessage): void {
  deps.log.record({ method, path, route, status, headers: redactHeaders(req.headers) });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(difyError(413, 'request_entity_too_large', 'The data value transmitted exceeds the capacity limit.'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
