// What the simulator was asked: a bounded list of recent requests (method, path, matched route,
// status, headers with credentials redacted) and unbounded counters by route, which the
// reconcile benchmark reads through `GET /_simulator/requests` or `sim.stats()`.

import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  /** `METHOD /pattern` of the matched route, or null when no route matched. */
  route: string | null;
  /** HTTP status sent; 0 when an injected fault dropped the connection. */
  status: number;
  headers: Record<string, string>;
}

export interface RequestStats {
  total: number;
  /** Counts keyed by `METHOD /route/pattern` (unmatched requests by `METHOD <path>`). */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface RequestLog {
  readonly requests: RecordedRequest[];
  record(entry: RecordedRequest): void;
  stats(): RequestStats;
  reset(): void;
}

const SENSITIVE = new Set(['authorization', 'cookie', 'x-csrf-token', 'x-workspace-id', 'x-api-key']);
const MAX_KEPT = 10_000;

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SENSITIVE.has(name) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function createRequestLog(): RequestLog {
  const requests: RecordedRequest[] = [];
  let byRoute: Record<string, number> = {};
  let byStatus: Record<string, number> = {};
  let total = 0;
  return {
    requests,
    record(entry) {
      requests.push(entry);
      if (requests.length > MAX_KEPT) requests.splice(0, requests.length - MAX_KEPT);
      total += 1;
      const key = entry.route ?? `${entry.method} ${entry.path}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
      byStatus[String(entry.status)] = (byStatus[String(entry.status)] ?? 0) + 1;
    },
    stats: () => ({ total, byRoute: { ...byRoute }, byStatus: { ...byStatus } }),
    reset() {
      requests.length = 0;
      byRoute = {};
      byStatus = {};
      total = 0;
    },
  };
}
