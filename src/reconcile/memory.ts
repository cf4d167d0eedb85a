// What reconcile remembers per (environment, app) between runs, in the state directory
// (`reconcile/<environment>/<app>.json`, 0600, atomic writes, one file per app so parallel work
// never races on a shared file): the app list's fingerprint of the live app and the git digest
// of the desired app when they were last compared, the outcome, the draft's content digest, and
// the heal attempts (for one attempt per git revision and the backoff between attempts).

import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-write.js';
import { safeSegment } from '../state/state-dir.js';

export interface HealAttempts {
  /** Failed heals in a row (reset by a healed or in-sync outcome). */
  failures: number;
  /** ISO time of the last attempt that failed. */
  lastFailureAt: string;
  /** `<git revision>|<git digest>` of a heal that ran and failed (rolled back or left for a human); null when only a pre-change failure was seen. */
  failedRevision: string | null;
  /** One line: what happened. */
  lastError: string;
}

export interface AppMemory {
  app: string;
  appId: string;
  /** Live signals from the app list (see fingerprintOf). */
  fingerprint: string;
  /** Digest of the desired app as git holds it (see gitDigest). */
  gitDigest: string;
  /** The last outcome; only `in-sync` and `draft-only-drift` are reused without reading the app. */
  status: string;
  /** Digest of the draft's content at the last full comparison (workflow modes), else null. */
  draftDigest: string | null;
  /** ISO time of the last full comparison. */
  checkedAt: string;
  heal?: HealAttempts | undefined;
}

function dirOf(stateDir: string, environment: string): string {
  return join(stateDir, 'reconcile', safeSegment(environment));
}

function pathOf(stateDir: string, environment: string, app: string): string {
  return join(dirOf(stateDir, environment), `${safeSegment(app)}.json`);
}

/** Every remembered app of one environment, by app name. */
export async function loadMemory(stateDir: string, environment: string): Promise<Map<string, AppMemory>> {
  const dir = dirOf(stateDir, environment);
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const out = new Map<string, AppMemory>();
  await Promise.all(
    files
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map(async (file) => {
        try {
          const value = JSON.parse(await readFile(join(dir, file), 'utf8')) as Partial<AppMemory>;
          if (typeof value.app === 'string' && typeof value.appId === 'string' && typeof value.fingerprint === 'string') out.set(value.app, value as AppMemory);
        } catch {
          // A damaged memory file only costs a full read of that app: it is rewritten afterwards.
        }
      }),
  );
  return out;
}

export async function saveMemory(stateDir: string, environment: string, memory: AppMemory): Promise<void> {
  await writeFileAtomic(pathOf(stateDir, environment, memory.app), `${JSON.stringify(memory, null, 2)}\n`);
}

export async function forgetMemory(stateDir: string, environment: string, app: string): Promise<void> {
  await rm(pathOf(stateDir, environment, app), { force: true });
}

/** Equal except for checkedAt: then the file need not be rewritten (1,000 unchanged apps, no fsyncs). */
export function sameMemory(a: AppMemory | undefined, b: AppMemory): boolean {
  if (a === undefined) return false;
  return JSON.stringify({ ...a, checkedAt: '' }) === JSON.stringify({ ...b, checkedAt: '' });
}
