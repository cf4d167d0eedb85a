import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/state/journal.js';

async function newJournal(): Promise<{ journal: Journal; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-journal-'));
  let tick = 0;
  return { dir, journal: new Journal(dir, () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++))) };
}

describe('Journal', () => {
  it('records each step on disk before it runs, so a reader after a crash sees how far it got', async () => {
    const { journal: j, dir } = await newJournal();
    const record = await j.begin({ runId: 'r1', environment: 'prod', app: 'triage', operation: 'apply', context: { appId: 'a1' } });
    await j.start(record, 'snapshot');
    await j.settle(record, 'snapshot', 'done', { snapshotId: 's1' });
    await j.start(record, 'import');
    // Simulate the crash: a fresh Journal instance reads what the dead process left.
    const reread = await new Journal(dir).open('prod', 'triage');
    expect(reread?.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['snapshot:done', 'import:started']);
    expect(reread?.steps[0]?.data).toEqual({ snapshotId: 's1' });
    expect(Journal.lastStep(reread!)?.step).toBe('import');
    expect(Journal.reached(reread!, 'publish')).toBe(false);
  });

  it('is a 0600 file, listed as open until finished, then moved to history', async () => {
    const { journal: j } = await newJournal();
    const record = await j.begin({ runId: 'r1', environment: 'dev', app: 'a', operation: 'apply', context: {} });
    expect((await stat(j.path('dev', 'a'))).mode & 0o777).toBe(0o600);
    expect((await j.listOpen()).map((r) => r.app)).toEqual(['a']);
    await j.finish(record, 'applied');
    expect(await j.listOpen()).toEqual([]);
    expect(await j.open('dev', 'a')).toBeUndefined();
    const history = await j.history('dev', 'a');
    expect(history).toHaveLength(1);
    expect(history[0]?.outcome?.status).toBe('applied');
  });

  it('keeps a bounded history, newest last', async () => {
    const { journal: j } = await newJournal();
    for (let i = 0; i < 5; i++) {
      const record = await j.begin({ runId: `r${i}`, environment: 'dev', app: 'a', operation: 'apply', context: {} });
      await j.finish(record, 'applied', undefined, { maxEntries: 3 });
    }
    expect((await j.history('dev', 'a')).map((r) => r.runId)).toEqual(['r2', 'r3', 'r4']);
    expect((await readFile(j.historyPath('dev', 'a'), 'utf8')).trim().split('\n')).toHaveLength(3);
  });

  it('filters open operations by environment', async () => {
    const { journal: j } = await newJournal();
    await j.begin({ runId: 'r', environment: 'dev', app: 'a', operation: 'apply', context: {} });
    await j.begin({ runId: 'r', environment: 'prod', app: 'b', operation: 'apply', context: {} });
    expect((await j.listOpen('prod')).map((r) => r.app)).toEqual(['b']);
    expect((await j.listOpen()).map((r) => r.environment)).toEqual(['dev', 'prod']);
  });
});
