// Takes the (environment, app) lock for apply, rollback and recover. A lock whose owner is a
// process on this machine that no longer exists (killed with -9, crashed) is broken and reported:
// its journal is what recovery needs, not its lock. Any other held lock waits (--lock-wait) or
// fails with who holds it; a stale one is broken only when asked (--break-stale-lock).

import { hostname } from 'node:os';
import { acquireLock, breakLock, LockHeldError, type Lock, type LockInfo } from '../state/lock.js';

export interface LockAppOptions {
  stateDir: string;
  environment: string;
  app: string;
  purpose: string;
  waitMs: number;
  breakStale: boolean;
  /** Told about locks broken on the way (dead owner, or stale when allowed). */
  notice: (message: string) => void;
}

export async function lockApp(options: LockAppOptions): Promise<Lock> {
  for (let attempt = 0; ; attempt++) {
    try {
      const lock = await acquireLock({ ...options, ttlMs: 15 * 60_000 });
      if (lock.brokeStale) options.notice(`broke a stale lock on ${options.environment}/${options.app} held by ${lock.brokeStale.owner} since ${lock.brokeStale.acquiredAt}`);
      return lock;
    } catch (error) {
      if (!(error instanceof LockHeldError) || attempt > 0 || !ownerIsGone(error.holder)) throw error;
      await breakLock(options.stateDir, options.environment, options.app);
      options.notice(`broke the lock on ${options.environment}/${options.app}: its owner (${error.holder.owner}) is no longer running`);
    }
  }
}

/** The owner ran on this host and its process is gone. */
export function ownerIsGone(holder: LockInfo): boolean {
  const host = /@(.+) pid \d+$/.exec(holder.owner)?.[1];
  if (host !== hostname() || holder.pid <= 0 || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
