// Builds one ApplySession per environment on first use (client, server facts) around a shared
// journal, snapshot store and health-check bound. Used by apply, recover and rollback.

import pLimit from 'p-limit';
import type { EnvironmentConfig } from '../config/types.js';
import { serverFactsOf } from '../plan/observe.js';
import type { Redactor } from '../secrets/redactor.js';
import { Journal } from '../state/journal.js';
import { SnapshotStore } from '../state/snapshot-store.js';
import { ensureStateDir } from '../state/state-dir.js';
import type { ConnectEnvironment } from './connect.js';
import type { ApplySession } from './session.js';

export interface SessionDeps {
  connect: ConnectEnvironment;
  stateDir: string;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  notice: (message: string) => void;
  concurrency: number;
  lockWaitMs: number;
  breakStaleLock: boolean;
  /** `apply --no-draft-gate`: false skips the checks on the draft before publish (default true). */
  draftGate?: boolean;
}

export interface Sessions {
  journal: Journal;
  snapshots: SnapshotStore;
  sessionFor(environment: EnvironmentConfig): Promise<ApplySession>;
}

export async function createSessions(root: string, deps: SessionDeps): Promise<Sessions> {
  await ensureStateDir(deps.stateDir);
  const journal = new Journal(deps.stateDir, deps.now);
  const snapshots = new SnapshotStore(deps.stateDir, deps.redactor);
  const healthLimit = pLimit(Math.max(2, deps.concurrency * 2));
  const sessions = new Map<string, Promise<ApplySession>>();
  const make = async (environment: EnvironmentConfig): Promise<ApplySession> => {
    const client = await deps.connect(environment);
    return {
      environment: environment.name,
      client,
      server: serverFactsOf(await client.serverInfo()),
      journal,
      snapshots,
      stateDir: deps.stateDir,
      secretContext: { env: deps.env, cwd: root, redactor: deps.redactor },
      healthLimit,
      now: deps.now,
      notice: deps.notice,
      lockWaitMs: deps.lockWaitMs,
      breakStaleLock: deps.breakStaleLock,
      draftGate: deps.draftGate !== false,
    };
  };
  return {
    journal,
    snapshots,
    sessionFor(environment) {
      let session = sessions.get(environment.name);
      if (session === undefined) {
        session = make(environment);
        sessions.set(environment.name, session);
      }
      return session;
    },
  };
}
