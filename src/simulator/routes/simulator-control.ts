// The simulator's own control surface under /_simulator (no auth, no latency, no faults, not
// recorded): fault injection and request counters. Built per simulator because it closes over
// that simulator's fault store and request log.

import type { FaultStore } from '../faults.js';
import { json, type Route } from '../http/route.js';
import type { RequestLog } from '../request-log.js';

export function createControlRoutes(faults: FaultStore, log: RequestLog): Route[] {
  return [
    {
      method: 'POST',
      path: '/_simulator/faults',
      auth: 'none',
      body: 'json',
      handler: (ctx) => json({ fault: faults.add(ctx.body) }, 201),
    },
    { method: 'GET', path: '/_simulator/faults', auth: 'none', handler: () => json({ faults: faults.list() }) },
    { method: 'DELETE', path: '/_simulator/faults', auth: 'none', handler: () => json({ removed: faults.clear() }) },
    {
      method: 'GET',
      path: '/_simulator/requests',
      auth: 'none',
      handler: (ctx) =>
        json(ctx.query.get('list') === 'true' ? { ...log.stats(), requests: log.requests } : log.stats()),
    },
    {
      method: 'DELETE',
      path: '/_simulator/requests',
      auth: 'none',
      handler: () => {
        log.reset();
        return json({ result: 'success' });
      },
    },
  ];
}
