// Replay protection for callback receivers: remembers the signatures of deliveries already
// accepted, so the same signed request sent again (captured and replayed by someone on the path,
// or re-sent by a proxy) is refused. In memory and bounded: entries are kept until their
// timestamp can no longer pass the freshness check, and the oldest are dropped first when full.
// One guard per receiver process; several receiver replicas need a shared store instead.

import { UsageError } from '../errors.js';

export interface ReplayGuardOptions {
  /** Minimum time to remember a signature, in seconds. Default 600 (2 × the default tolerance). */
  ttlSeconds?: number;
  /** Upper bound on remembered signatures. Default 10,000. */
  maxEntries?: number;
}

export interface ReplayGuard {
  /**
   * True the first time `key` is seen (and remembers it until `keepUntil`, or now + ttl if later);
   * false when it was seen before and has not expired. Times are Unix seconds.
   */
  firstSeen(key: string, nowSeconds: number, keepUntilSeconds?: number): boolean;
  readonly size: number;
}

export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const ttl = options.ttlSeconds ?? 600;
  const maxEntries = options.maxEntries ?? 10_000;
  if (!(ttl > 0) || !Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new UsageError('createReplayGuard: ttlSeconds must be > 0 and maxEntries a positive integer');
  }
  // Insertion order is arrival order: the first entries are the oldest.
  const expiries = new Map<string, number>();

  function sweep(now: number): void {
    for (const [key, expiry] of expiries) if (expiry <= now) expiries.delete(key);
  }

  return {
    firstSeen(key, now, keepUntil) {
      const known = expiries.get(key);
      if (known !== undefined && known > now) return false;
      expiries.delete(key);
      if (expiries.size >= maxEntries) sweep(now);
      while (expiries.size >= maxEntries) expiries.delete(expiries.keys().next().value!);
      expiries.set(key, Math.max(now + ttl, keepUntil ?? 0));
      return true;
    },
    get size() {
      return expiries.size;
    },
  };
}
