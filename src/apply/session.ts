// Everything the apply pipeline, rollback and recovery need for one environment, passed down as
// one object (no module-level state). Built once per environment by the command.

import type { LimitFunction } from 'p-limit';
import type { DifyClient } from '../dify/index.js';
import type { ServerFacts } from '../plan/types.js';
import type { SecretSourceContext } from '../secrets/sources.js';
import type { Journal, JournalRecord } from '../state/journal.js';
import type { SnapshotStore } from '../state/snapshot-store.js';
import { rememberApp } from './app-registry.js';
import type { RunContext } from './run-deployment.js';

export interface ApplySession {
  environment: string;
  client: DifyClient;
  server: ServerFacts;
  journal: Journal;
  snapshots: SnapshotStore;
  stateDir: string;
  secretContext: SecretSourceContext;
  /** Bound on health-check attempts in flight (shared across apps). */
  healthLimit: LimitFunction;
  now: () => Date;
  notice: (message: string) => void;
  lockWaitMs: number;
  breakStaleLock: boolean;
  /** Run the health checks on the imported draft before publishing (default true). */
  draftGate?: boolean;
}

/** What the journal's context holds for an apply (all non-secret). */
export interface ApplyContext {
  appId: string | null;
  mode: string;
  action: string;
  created: boolean;
  previousWorkflowId: string | null;
  revision: string;
  revisionSubject: string;
  snapshotId: string | null;
  draftDiffers: boolean;
  /** Set before a rollback starts: 'draft' (only the draft changed) or 'full'. */
  rollbackKind?: 'draft' | 'full';
}

export function contextOf(record: JournalRecord): ApplyContext {
  return record.context as unknown as ApplyContext;
}

export function runContext(session: ApplySession, record: JournalRecord, prefix: string, renew: () => Promise<void>): RunContext {
  return {
    client: session.client,
    journal: session.journal,
    record,
    prefix,
    renew,
    async onCreated(appId) {
      contextOf(record).appId = appId;
      await rememberApp(session.stateDir, session.environment, record.app, appId);
    },
  };
}
