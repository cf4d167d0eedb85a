// A lock per (environment, app) so two applies never interleave on the same Dify app. The lock is
// a file created with O_EXCL that names its owner, when it was taken and when it expires. An
// expired lock is reported as stale and is broken only when the caller asks (breakStale), because
// its owner may still be running on a slow machine. Cross-runner serialisation in CI is the job of
// the workflow's `concurrency` group; this lock protects one machine and one state directory.

import { hostname, userInfo } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DifyGitopsError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { safeSegment } from './state-dir.js';

export interface LockInfo {
  owner: string;
  pid: number;
  acquiredAt: string;
  expiresAt: string;
  purpose: string;
}

export interface LockOptions {
  stateDir: string;
  environment: string;
  app: string;
  purpose: string;
  /** How long the lock is valid without renewal. */
  ttlMs?: number;
  /** How long to wait for a held lock before failing; 0 fails at once. */
  waitMs?: number;
  /** Break a lock whose expiry has passed (it is reported either way). */
  breakStale?: boolean;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class LockHeldError extends DifyGitopsError {
  constructor(
    readonly lockPath: string,
    readonly holder: LockInfo,
    readonly stale: boolean,
  ) {
    const hint = stale
      ? `it expired at ${holder.expiresAt} and looks stale; re-run with --break-stale-lock if ${holder.owner} is gone`
      : `held since ${holder.acquiredAt}, expires ${holder.expiresAt}`;
    super(stale ? 'E_LOCK_STALE' : 'E_LOCK_HELD', `lock ${lockPath} is held by ${holder.owner} (${holder.purpose}): ${hint}`);
  }
}

export interface Lock {
  readonly path: string;
  readonly info: LockInfo;
  /** Extends the expiry (long applies call this between steps). */
  renew(): Promise<void>;
  release(): Promise<void>;
  /** Set when acquiring broke a stale lock: who held it. */
  readonly brokeStale: LockInfo | undefined;
}

const DEFAULT_TTL_MS = 15 * 60_000;
const POLL_MS = 200;

export function lockPath(stateDir: string, environment: string, app: string): string {
  return join(stateDir, 'locks', safeSegment(environment), `${safeSegment(app)}.lock`);
}

export async function acquireLock(options: LockOptions): Promise<Lock> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const path = lockPath(options.stateDir, options.environment, options.app);
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const deadline = now() + (options.waitMs ?? 0);
  let brokeStale: LockInfo | undefined;

  for (;;) {
    const info = makeInfo(options.purpose, now(), ttl);
    if (await tryCreate(path, info)) return makeLock(path, info, ttl, now, brokeStale);

    const holder = await readLock(path);
    if (holder === undefined) continue; // released between our attempt and the read
    const stale = Date.parse(holder.expiresAt) <= now();
    if (stale && options.breakStale) {
      brokeStale = holder;
      await rm(path, { force: true });
      continue;
    }
    if (stale || now() >= deadline) throw new LockHeldError(path, holder, stale);
    await sleep(POLL_MS);
  }
}

export async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockInfo;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A torn or foreign file: treat it as held by an unknown owner, already expired.
    return { owner: 'unknown (unreadable lock file)', pid: 0, acquiredAt: 'unknown', expiresAt: new Date(0).toISOString(), purpose: 'unknown' };
  }
}

/** Removes a lock regardless of its owner (the explicit `--break-lock` path). */
export async function breakLock(stateDir: string, environment: string, app: string): Promise<LockInfo | undefined> {
  const path = lockPath(stateDir, environment, app);
  const holder = await readLock(path);
  await rm(path, { force: true });
  return holder;
}

function makeInfo(purpose: string, at: number, ttl: number): LockInfo {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry in some containers.
  }
  return {
    owner: `${user}@${hostname()} pid ${process.pid}`,
    pid: process.pid,
    acquiredAt: new Date(at).toISOString(),
    expiresAt: new Date(at + ttl).toISOString(),
    purpose,
  };
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(info));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function makeLock(path: string, initial: LockInfo, ttl: number, now: () => number, brokeStale: LockInfo | undefined): Lock {
  let info = initial;
  let released = false;
  return {
    path,
    brokeStale,
    get info() {
      return info;
    },
    async renew() {
      if (released) return;
      info = { ...info, expiresAt: new Date(now() + ttl).toISOString() };
      await writeFileAtomic(path, JSON.stringify(info));
    },
    async release() {
      if (released) return;
      released = true;
      const current = await readLock(path);
      // Never delete a lock someone else took after ours was broken.
      if (current && current.acquiredAt === info.acquiredAt && current.pid === info.pid) await rm(path, { force: true });
    },
  };
}
