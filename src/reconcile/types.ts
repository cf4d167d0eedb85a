// The shapes of reconcile shared by the CLI, `serve` (src/runtime) and the GitHub reporting.
// They are a contract with other callers: fields may be added, never renamed or removed.

import type { ConnectEnvironment } from '../apply/connect.js';
import type { GitHub } from '../github/client.js';
import type { PlanRevision } from '../plan/types.js';
import type { Redactor } from '../secrets/redactor.js';
import type { Backoff } from './decide.js';

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
  /** The repository (the directory of dify-gitops.yaml, or below it). */
  repoDir: string;
  /** Environments to reconcile (default: all). */
  env?: string[];
  /** Apps to reconcile (default: all). Prune then only considers these names. */
  apps?: string[];
  /** 0 ≤ index < count. Apps are split by a hash of (environment, app). */
  shard?: { index: number; count: number };
  /** A person asks to retry heals of revisions that failed (skips the backoff too). */
  retryFailed?: boolean;
  /** Start no new app once aborted; the app in flight finishes. */
  signal?: AbortSignal;
  /** Read each unchanged workflow app's draft to see UI edits in progress (default true). */
  checkDrafts?: boolean;
  /** Config file (default: dify-gitops.yaml in repoDir or a parent). */
  configPath?: string;
  /** State directory (default: .dify-gitops beside the config). */
  stateDir?: string;
}

export interface ReconcileAppResult {
  app: string;
  status: ReconcileStatus;
  detail?: string;
  /** The live app id, when known. */
  appId?: string;
  /** The semantic diff (git vs live published), as one line, when there is drift. */
  diffSummary?: string;
  /** Exit code this outcome contributes. */
  exitCode?: number;
}

export interface ReconcileEnvironmentReport {
  env: string;
  apps: ReconcileAppResult[];
  /** An environment-level problem (unreachable, prune guard); its exit code is in exitCode. */
  error?: string;
  /** GitHub: the drift issue and the adopt pull request, when reported. */
  issue?: { action: string; url: string | undefined };
  pullRequest?: { action: string; url: string };
}

export interface ReconcileReport {
  environments: ReconcileEnvironmentReport[];
  exitCode: number;
  /** Dify requests made (not counted by this implementation; the simulator counts them). */
  requests?: number;
  /** The abort signal fired: apps not started are not in the report. */
  aborted?: boolean;
  /** The git revision compared (marked_name of a heal's publish). */
  revision?: PlanRevision;
}

export type ReconcileEvent =
  | { kind: 'environment'; env: string; apps: number }
  | { kind: 'app'; env: string; result: ReconcileAppResult }
  | { kind: 'notice'; message: string };

/** Where drift issues and adopt pull requests go. */
export interface ReconcileGitHub {
  gh: GitHub;
  owner: string;
  repo: string;
  /** Base branch of adopt pull requests (default: the repository's default branch). */
  base?: string;
  /** Link to the run, put into issue bodies. */
  runUrl?: string;
}

export interface ReconcileDeps {
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  /** Default: a client per environment from its config (closed at the end). */
  connect?: ConnectEnvironment;
  now?: () => Date;
  /** Default: read from git in the repository (DIFY_GITOPS_REVISION first). */
  revision?: PlanRevision;
  github?: ReconcileGitHub;
  onEvent?: (event: ReconcileEvent) => void;
  /** Apps compared at once per environment (default 8). */
  concurrency?: number;
  /** Waits between failed heal attempts (default 1 min doubling to 1 h). */
  backoff?: Backoff;
  /** Lock wait of a heal (default 0: an app another run holds is reported, not waited for). */
  lockWaitMs?: number;
}
