import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/state/atomic-write.js';
import { ensureStateDir, safeSegment } from '../../src/state/state-dir.js';

describe('writeFileAtomic', () => {
  it('writes 0600 by default, replaces content and leaves no temporary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-aw-'));
    const path = join(dir, 'nested', 'snapshot.yaml');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'nested'))).toEqual(['snapshot.yaml']);
  });

  it('honours an explicit mode for files that hold no secrets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-aw-'));
    const path = join(dir, 'plan.json');
    await writeFileAtomic(path, '{}', { mode: 0o644 });
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });
});

describe('state directory', () => {
  it('is created 0700 and ignores itself in git', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dify-gitops-sd-'));
    const dir = await ensureStateDir(join(root, '.dify-gitops'));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('turns names into safe path segments', () => {
    expect(safeSegment('prod/eu')).toBe('prod_eu');
    expect(safeSegment('..')).toBe('_');
    expect(safeSegment('ticket-triage.v2')).toBe('ticket-triage.v2');
  });
});
