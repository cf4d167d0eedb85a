import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, breakLock, lockPath, LockHeldError, readLock } from '../../src/state/lock.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dify-gitops-lock-'));
}

describe('acquireLock', () => {
  it('writes an owner, a time and an expiry into a 0600 file and removes it on release', async () => {
    const stateDir = await tempDir();
    const lock = await acquireLock({ stateDir, environment: 'prod', app: 'triage', purpose: 'apply' });
    const onDisk = JSON.parse(await readFile(lock.path, 'utf8'));
    expect(onDisk.owner).toContain(`pid ${process.pid}`);
    expect(onDisk.purpose).toBe('apply');
    expect(Date.parse(onDisk.expiresAt)).toBeGreaterThan(Date.parse(onDisk.acquiredAt));
    expect((await stat(lock.path)).mode & 0o777).toBe(0o600);
    await lock.release();
    expect(await readLock(lock.path)).toBeUndefined();
  });

  it('refuses a second holder at once, naming the first', async () => {
    const stateDir = await tempDir();
    const first = await acquireLock({ stateDir, environment: 'prod', app: 'triage', purpose: 'apply #1' });
    const second = acquireLock({ stateDir, environment: 'prod', app: 'triage', purpose: 'apply #2' });
    await expect(second).rejects.toBeInstanceOf(LockHeldError);
    await expect(second).rejects.toThrow(/held by .* \(apply #1\)/);
    await first.release();
  });

  it('lets a waiting holder in once the first releases, so the two never overlap', async () => {
    const stateDir = await tempDir();
    const events: string[] = [];
    const first = await acquireLock({ stateDir, environment: 'dev', app: 'a', purpose: 'one' });
    events.push('one:acquired');
    const waiting = acquireLock({ stateDir, environment: 'dev', app: 'a', purpose: 'two', waitMs: 10_000 }).then((lock) => {
      events.push('two:acquired');
      return lock;
    });
    await new Promise((r) => setTimeout(r, 300));
    events.push('one:released');
    await first.release();
    const second = await waiting;
    expect(events).toEqual(['one:acquired', 'one:released', 'two:acquired']);
    await second.release();
  });

  it('locks apps independently', async () => {
    const stateDir = await tempDir();
    const a = await acquireLock({ stateDir, environment: 'dev', app: 'a', purpose: 'x' });
    const b = await acquireLock({ stateDir, environment: 'dev', app: 'b', purpose: 'x' });
    expect(a.path).not.toBe(b.path);
    await a.release();
    await b.release();
  });

  it('reports an expired lock as stale and breaks it only when asked', async () => {
    const stateDir = await tempDir();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = (): number => clock;
    const old = await acquireLock({ stateDir, environment: 'prod', app: 'x', purpose: 'crashed apply', ttlMs: 1000, now });
    clock += 5000;
    const refused = acquireLock({ stateDir, environment: 'prod', app: 'x', purpose: 'new', now });
    await expect(refused).rejects.toMatchObject({ code: 'E_LOCK_STALE' });
    const taken = await acquireLock({ stateDir, environment: 'prod', app: 'x', purpose: 'new', now, breakStale: true });
    expect(taken.brokeStale?.purpose).toBe('crashed apply');
    // The old holder's release must not remove the new holder's lock.
    await old.release();
    expect((await readLock(taken.path))?.purpose).toBe('new');
    await taken.release();
  });

  it('renew pushes the expiry forward', async () => {
    const stateDir = await tempDir();
    let clock = 1_000_000;
    const lock = await acquireLock({ stateDir, environment: 'e', app: 'a', purpose: 'p', ttlMs: 1000, now: () => clock });
    clock += 900;
    await lock.renew();
    expect(Date.parse((await readLock(lock.path))!.expiresAt)).toBe(clock + 1000);
    await lock.release();
  });

  it('treats an unreadable lock file as held and stale, and breakLock removes it', async () => {
    const stateDir = await tempDir();
    const first = await acquireLock({ stateDir, environment: 'e', app: 'a', purpose: 'p' });
    await first.release();
    await writeFile(lockPath(stateDir, 'e', 'a'), '{torn');
    await expect(acquireLock({ stateDir, environment: 'e', app: 'a', purpose: 'p' })).rejects.toMatchObject({ code: 'E_LOCK_STALE' });
    expect((await breakLock(stateDir, 'e', 'a'))?.owner).toMatch(/unreadable/);
    const again = await acquireLock({ stateDir, environment: 'e', app: 'a', purpose: 'p' });
    await again.release();
  });
});
