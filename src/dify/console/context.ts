// What every console resource module receives: authenticated requests, JSON parsing against a
// shape, SSE event streams, and version gating. Built once per client in ../index.ts.

import type { Redactor } from '../../secrets/redactor.js';
import type { ConsoleSession, ServerInfo } from '../auth.js';
import { DifyNotFoundError, DifyUnsupportedError } from '../errors.js';
import type { Shape, ShapeChecker } from '../shapes.js';
import { readEventStream, type DifyStreamEvent } from '../stream-events.js';
import type { Transport, TransportRequest, TransportResponse } from '../transport.js';
import type { Capabilities } from '../version.js';

export type BooleanCapability = { [K in keyof Capabilities]: Capabilities[K] extends boolean ? K : never }[keyof Capabilities];

export interface ConsoleContext {
  readonly redactor: Redactor;
  /** Authenticated request; `path` is relative to `/console/api`. */
  send(req: TransportRequest): Promise<TransportResponse>;
  json<T>(req: TransportRequest, shape: Shape<T>): Promise<T>;
  parse<T>(res: TransportResponse, shape: Shape<T>): T;
  events(req: TransportRequest): Promise<AsyncIterable<DifyStreamEvent>>;
  serverInfo(): Promise<ServerInfo>;
  /** The server info, or DifyUnsupportedError naming `what` when the capability is missing. */
  require(capability: BooleanCapability, what: string, since: string): Promise<ServerInfo>;
}

export function createConsoleContext(deps: {
  session: ConsoleSession;
  shapes: ShapeChecker;
  transport: Transport;
  redactor: Redactor;
}): ConsoleContext {
  const { session, shapes, transport, redactor } = deps;
  const prefixed = (req: TransportRequest): TransportRequest => ({ ...req, path: `/console/api${req.path}` });
  return {
    redactor,
    send: (req) => session.request(prefixed(req)),
    async json(req, shape) {
      return shapes.parse(await session.request(prefixed(req)), shape);
    },
    parse: (res, shape) => shapes.parse(res, shape),
    async events(req) {
      const response = await session.stream(prefixed(req));
      return readEventStream(response, transport, redactor);
    },
    serverInfo: () => session.serverInfo(),
    async require(capability, what, since) {
      const info = await session.serverInfo();
      if (!info.capabilities[capability]) {
        throw new DifyUnsupportedError(`${what} needs Dify ≥ ${since}; the server is ${info.version.raw}`, info.version.raw);
      }
      return info;
    },
  };
}

/** `/apps/<id>` plus a suffix, with the id escaped. */
export function appPath(appId: string, suffix = ''): string {
  return `/apps/${encodeURIComponent(appId)}${suffix}`;
}

/**
 * A DELETE that may have been retried: a 404 on a later attempt means an earlier attempt (whose
 * answer was lost) already deleted it, so it counts as done. A first-attempt 404 is thrown.
 */
export async function deleteOnce(ctx: ConsoleContext, req: TransportRequest): Promise<void> {
  try {
    await ctx.send(req);
  } catch (error) {
    if (error instanceof DifyNotFoundError && error.attempts > 1) return;
    throw error;
  }
}
