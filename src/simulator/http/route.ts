// The simulator's route vocabulary: a Route is method + path pattern + auth requirement + body
// mode + handler. The server does everything around the handler (fault injection, latency, body
// parsing, setup/auth/CSRF/role checks, error bodies, X-Version, persistence, request log).
//
// HOW TO ADD ROUTES
//   1. Create src/simulator/routes/<name>.ts exporting `export const routes: Route[] = [...]`.
//   2. Add one import line and one spread entry to src/simulator/routes/index.ts.
//   Path patterns: literal segments, `:name` (one segment), `:name<uuid>` (Flask's <uuid:…>: a
//   non-UUID is a 404 not_found like werkzeug) and `:name<path>` (one or more segments, Flask's
//   <path:…>, e.g. `langgenius/openai/openai`). Params arrive URL-decoded in ctx.params.
//   Auth: 'none' | 'console' | 'console:edit' (owner/admin/editor) | 'console:admin' (owner/admin)
//   | 'service' (Bearer app key; resolved by the `authenticateService` hook, see routes/index.ts).
//   Body: 'none' (not read) | 'json' (Flask get_json: 415 / 400 bad_request) | 'json-or-text'
//   (the draft-sync rule: application/json or text/plain; bad text/plain → {"message":"Invalid JSON data"}).
//   `when: (profile) => profile.hasRestoreEndpoint` limits a route to the releases that have it
//   (elsewhere the router answers 404, or 405 when the path exists with another method).
//   Handlers return a Reply (see json()/noContent() below) or throw an HttpError from ./errors.ts.
//   State lives in ctx.world.state (mutate it in place; non-GET requests are persisted afterwards).

import type { IncomingHttpHeaders } from 'node:http';
import type { SimProfile } from '../profiles.js';
import type { SimAccount, SimApiKey, SimApp } from '../state.js';
import type { SimWorld } from '../world.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteAuth = 'none' | 'console' | 'console:edit' | 'console:admin' | 'service';
export type BodyMode = 'none' | 'json' | 'json-or-text';

export interface RequestContext {
  world: SimWorld;
  method: string;
  /** URL path without the query string. */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  cookies: Record<string, string>;
  /** Parsed body per the route's BodyMode (undefined for 'none'). */
  body: unknown;
  rawBody: Buffer;
  /** The logged-in console account ('console*' routes), else null. */
  account: SimAccount | null;
  /** The app and key behind a service Bearer token ('service' routes), else null. */
  service: { app: SimApp; apiKey: SimApiKey } | null;
  /** Aborted when the client goes away (streaming handlers stop on it). */
  signal: AbortSignal;
}

export type ReplyHeaders = Record<string, string | string[]>;

/** Server-sent events: the server writes frames and pings; the handler only sends payloads. */
export interface SseSink {
  /** Writes `data: <json>` + blank line (compact or Python json.dumps per profile). False once closed. */
  send(payload: unknown): boolean;
  /** Writes `event: ping` + blank line. The server also pings every pingIntervalMs on its own. */
  ping(): void;
  readonly closed: boolean;
  readonly signal: AbortSignal;
}

export type Reply =
  | { status: number; json: unknown; headers?: ReplyHeaders }
  | { status: number; empty: true; headers?: ReplyHeaders }
  | { status: number; text: string; contentType: string; headers?: ReplyHeaders }
  | { status: number; stream: (sink: SseSink) => Promise<void>; headers?: ReplyHeaders };

export interface Route {
  method: HttpMethod;
  path: string;
  auth: RouteAuth;
  body?: BodyMode;
  /** The route exists only on profiles where this is true (absent: every profile). */
  when?: (profile: SimProfile) => boolean;
  handler: (ctx: RequestContext) => Reply | Promise<Reply>;
}

/** Resolves `Authorization: Bearer app-…` for 'service' routes; throws an HttpError to refuse. */
export type ServiceAuthenticator = (ctx: RequestContext) => { app: SimApp; apiKey: SimApiKey };

export function json(body: unknown, status = 200, headers?: ReplyHeaders): Reply {
  return headers === undefined ? { status, json: body } : { status, json: body, headers };
}

export function noContent(): Reply {
  return { status: 204, empty: true };
}

/** The console account of a 'console*' route (the server guarantees it is set). */
export function accountOf(ctx: RequestContext): SimAccount {
  if (ctx.account === null) throw new Error(`route ${ctx.method} ${ctx.path} used accountOf without console auth`);
  return ctx.account;
}
