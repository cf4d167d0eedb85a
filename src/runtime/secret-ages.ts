// Age of each rotated secret's current value, for /metrics: read from the rotation ledger at
// scrape time (the ledger is the record; nothing is cached here). A secret never rotated has no age.

import type { RotationSecret } from '../config/types.js';
import { loadLedgers } from '../rotation/rotate-due.js';
import type { SecretAge } from './metrics.js';

export async function readSecretAges(stateDir: string, secrets: readonly RotationSecret[], now: Date = new Date()): Promise<SecretAge[]> {
  const ledgers = await loadLedgers(stateDir, secrets);
  return secrets.map((secret) => {
    const entry = ledgers.get(secret.name);
    const since = entry?.current?.createdAt ?? entry?.lastRotatedAt;
    const at = since === undefined ? NaN : Date.parse(since);
    return { secret: secret.name, environment: secret.environment, ageSeconds: Number.isNaN(at) ? undefined : Math.max(0, (now.getTime() - at) / 1000) };
  });
}
