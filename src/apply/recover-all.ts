// Finishes or rolls back every run left open (crash, kill -9, failed rollback) in the given
// environments, each under its app's lock. Used first thing by apply, and by `dify-gitops recover`.

import type { DesiredApp, EnvironmentConfig } from '../config/types.js';
import { lockApp } from './lock-app.js';
import { recoverApp } from './recover.js';
import type { SessionDeps, Sessions } from './session-factory.js';
import type { AppApplyResult } from './types.js';

export async function recoverOpen(
  environments: readonly EnvironmentConfig[],
  desired: readonly DesiredApp[],
  sessions: Sessions,
  deps: Pick<SessionDeps, 'stateDir' | 'lockWaitMs' | 'breakStaleLock' | 'notice'>,
  onlyApps?: readonly string[],
): Promise<AppApplyResult[]> {
  const recovered: AppApplyResult[] = [];
  for (const environment of environments) {
    for (const record of await sessions.journal.listOpen(environment.name)) {
      if (onlyApps !== undefined && onlyApps.length > 0 && !onlyApps.includes(record.app)) continue;
      const session = await sessions.sessionFor(environment);
      const lock = await lockApp({ stateDir: deps.stateDir, environment: record.environment, app: record.app, purpose: 'recover', waitMs: deps.lockWaitMs, breakStale: deps.breakStaleLock, notice: deps.notice });
      try {
        // Re-read under the lock: another process may have finished it meanwhile.
        const fresh = await sessions.journal.open(record.environment, record.app);
        if (fresh) recovered.push(await recoverApp(session, fresh, desired.find((d) => d.environment === record.environment && d.name === record.app), () => lock.renew()));
      } finally {
        await lock.release();
      }
    }
  }
  return recovered;
}
