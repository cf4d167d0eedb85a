import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/secrets/redactor.js';
import { SnapshotStore } from '../../src/state/snapshot-store.js';

const CANARY = 'sk-canary-7f3a9b2c4d5e6f70';
const EXPORT = `app:\n  name: triage\nworkflow:\n  environment_variables:\n  - name: API_KEY\n    value: ${CANARY}\n    value_type: secret\n`;

describe('SnapshotStore', () => {
  it('keeps the full export 0600 and a redacted copy without the secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-snap-'));
    const redactor = new Redactor();
    const store = new SnapshotStore(dir, redactor);
    const ref = await store.save(
      { environment: 'prod', app: 'triage', appId: 'a1', publishedWorkflowId: 'w1', takenAt: '2026-01-01T00:00:00.000Z', reason: 'apply r1' },
      EXPORT,
      [CANARY],
    );
    expect(await readFile(ref.secretPath, 'utf8')).toContain(CANARY);
    expect((await stat(ref.secretPath)).mode & 0o777).toBe(0o600);
    const redacted = await readFile(ref.redactedPath, 'utf8');
    expect(redacted).not.toContain(CANARY);
    expect(redacted).toContain('name: API_KEY');
    expect(redactor.has(CANARY)).toBe(true);
    const { exportWithSecrets, meta } = await store.read(ref);
    expect(exportWithSecrets).toBe(EXPORT);
    expect(meta.publishedWorkflowId).toBe('w1');
  });

  it('lists snapshots oldest first and keeps only the newest N', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-snap-'));
    const store = new SnapshotStore(dir, new Redactor());
    for (let i = 0; i < 4; i++) {
      await store.save(
        { environment: 'dev', app: 'a', appId: 'x', publishedWorkflowId: `w${i}`, takenAt: `2026-01-01T00:00:0${i}.000Z`, reason: 't' },
        `v${i}`,
        [],
        2,
      );
    }
    const left = await store.list('dev', 'a');
    expect(left.map((s) => s.meta.publishedWorkflowId)).toEqual(['w2', 'w3']);
  });
});
