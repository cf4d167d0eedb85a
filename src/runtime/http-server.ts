// The controller's HTTP face (node:http): /healthz, /readyz, /metrics and POST /webhooks/github.
// Bodies are read up to a limit (413 past it, without buffering the rest); unknown paths are 404,
// wrong methods 405. Routing only: what each endpoint answers comes from the handlers passed in.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DifyGitopsError } from '../errors.js';
import type { WebhookHeaders, WebhookReply } from './webhook.js';

export interface HttpHandlers {
  ready(): { ready: boolean; detail: string };
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Absent: the webhook endpoint answers 404 (serve without --webhook-secret-env). */
  webhook?: ((headers: WebhookHeaders, body: Buffer) => Promise<WebhookReply>) | undefined;
  onWebhookReply?(reply: WebhookReply): void;
  onError?(error: unknown): void;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
}

export interface RunningServer {
  url: string;
  /** Stop accepting connections; idle keep-alive sockets are closed, requests in flight finish. */
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions, handlers: HttpHandlers): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    route(req, res, options, handlers).catch((error: unknown) => {
      handlers.onError?.(error);
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new DifyGitopsError('E_LISTEN', `cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}${error.code === 'EADDRINUSE' ? ' (the port is taken; choose another with --port)' : ''}`, { cause: error })),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: HttpServerOptions, handlers: HttpHandlers): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const method = req.method ?? 'GET';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') {
    req.resume();
    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
    if (path === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      const state = handlers.ready();
      return send(res, state.ready ? 200 : 503, 'text/plain', `${state.detail}\n`);
    }
    const metrics = await handlers.metrics();
    return send(res, 200, metrics.contentType, metrics.body);
  }
  if (path === '/webhooks/github' && handlers.webhook !== undefined) {
    if (method !== 'POST') {
      req.resume();
      return send(res, 405, 'text/plain', 'method not allowed\n', { allow: 'POST' });
    }
    const body = await readBody(req, options.maxBodyBytes);
    if (body === undefined) return send(res, 413, 'text/plain', `the body exceeds ${options.maxBodyBytes} bytes\n`, { connection: 'close' });
    const reply = await handlers.webhook(req.headers, body);
    handlers.onWebhookReply?.(reply);
    return send(res, reply.status, 'application/json', reply.status === 204 ? '' : `${JSON.stringify({ outcome: reply.outcome, message: reply.message })}\n`, {
      'x-dify-gitops-outcome': reply.outcome,
    });
  }
  req.resume();
  send(res, 404, 'text/plain', 'not found\n');
}

/** The body, or undefined once it passes `limit` (Content-Length says so up front, or the bytes do). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  const extra = status === 204 ? headers : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...headers };
  res.writeHead(status, extra);
  res.end(status === 204 ? undefined : body);
}
