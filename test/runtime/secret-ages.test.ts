import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RotationSecret } from '../../src/config/types.js';
import { ledgerFor, writeLedger } from '../../src/rotation/ledger.js';
import { readSecretAges } from '../../src/runtime/secret-ages.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function appKey(name: string): RotationSecret {
  return { kind: 'appApiKey', name, environment: 'prod', app: 'triage', schedule: undefined, sinks: [], gracePeriodMs: 0, quietPeriodMs: 0, maxWaitMs: 0 };
}

describe('readSecretAges', () => {
  it('reads the age of the current value from each ledger; a secret never rotated has none', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dify-gitops-ages-'));
    dirs.push(stateDir);
    const rotated = appKey('triage-key');
    const entry = ledgerFor(rotated, undefined);
    entry.current = { versionId: 'key-2', createdAt: '2026-05-18T03:00:00.000Z' };
    entry.lastRotatedAt = '2026-05-18T03:12:00.000Z';
    await writeLedger(stateDir, entry);
    const ages = await readSecretAges(stateDir, [rotated, appKey('never')], new Date('2026-05-18T04:00:00.000Z'));
    expect(ages).toEqual([
      { secret: 'triage-key', environment: 'prod', ageSeconds: 3600 },
      { secret: 'never', environment: 'prod', ageSeconds: undefined },
    ]);
  });
});
