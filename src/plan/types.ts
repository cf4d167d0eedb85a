// The stage types of plan: what was observed in Dify (LiveApp), and what one (environment, app)
// will do (PlanEntry). A Plan is plain JSON: the PR comment, `plan --format json`, the plan file
// and `apply` all read the same object, so what a reviewer saw is what runs.

import type { AppMode } from '../config/types.js';
import type { DslDiff, DslDocument } from '../dsl/index.js';

/** An env or conversation variable as Dify holds it: ids matter, values never leave here. */
export interface LiveVariable {
  id: string;
  name: string;
  value_type: string;
}

/** One app as observed in one environment. Secret values are blank (exports without secrets). */
export interface LiveApp {
  appId: string;
  name: string;
  /** As Dify reports it; may differ from git (then the plan says replace-required). */
  mode: string;
  /** Unix seconds (app row). */
  updatedAt: number;
  /** The published version id (workflow modes), or null when never published. */
  publishedWorkflowId: string | null;
  /**
   * Workflow modes: the published version as a DSL document (null when never published).
   * Chat modes: the live app (model_config takes effect at once, so "published" is "live").
   */
  published: DslDocument | null;
  /** Workflow modes: the draft; null when the app has no draft. Chat modes: null. */
  draft: DslDocument | null;
  /** Environment variables of the draft (ids by name, for `[__HIDDEN__]`). */
  draftEnvironmentVariables: LiveVariable[];
}

/** What the server is, as far as planning needs to know. */
export interface ServerFacts {
  version: string;
  /** The DSL version it writes and compares imports against. */
  dslVersion: string;
  /** Import version rule: strict before 1.3.1, relaxed since. */
  versionRule: 'strict' | 'relaxed';
  restoreEndpoint: boolean;
  exportWorkflowId: boolean;
  runWorkflowById: boolean;
  checkDependencies: boolean;
}

/** How the app behind a DesiredApp was found, or why it was not. */
export type LiveLookup =
  | { kind: 'found'; app: LiveApp; foundBy: 'appId' | 'adopt' | 'state' | 'name' }
  | { kind: 'absent' }
  | { kind: 'error'; code: string; message: string };

export type PlanAction =
  | 'create'
  | 'update'
  | 'update-model-config'
  | 'replace-required'
  | 'no-op'
  | 'draft-only-drift'
  | 'error';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** A preflight finding. `error` findings block apply for the entry. */
export interface Finding {
  severity: FindingSeverity;
  code: string;
  message: string;
}

/** The import status Dify will answer, from the DSL version rules (contract §4.3). */
export interface ImportExpectation {
  status: 'completed' | 'completed-with-warnings' | 'pending' | 'failed';
  fileVersion: string;
  serverDslVersion: string;
  message: string;
}

/** A secret env var and what apply will send for it. Names only, never values. */
export interface PlannedSecret {
  variable: string;
  /** set: the bound source's value; keep: `[__HIDDEN__]` + the live id; empty: new var, no value. */
  effect: 'set' | 'keep' | 'empty';
  /** `environment variable X`, `file y`, `command z`, or `live value`. */
  source: string;
}

export interface PlanEntry {
  environment: string;
  app: string;
  /** The live app id, or null when it will be created (or could not be found). */
  appId: string | null;
  /** Mode in git. */
  mode: AppMode;
  /** Mode in Dify, when found. */
  liveMode: string | null;
  action: PlanAction;
  /** Apply would change Dify for this entry. */
  changes: boolean;
  /** Apply refuses this entry: an error finding, replace-required, or an observation error. */
  blocked: boolean;
  /** One line for humans. */
  summary: string;
  /** Things to know about the action (e.g. "live at once"). */
  notes: string[];
  /** Desired vs the live published version (create: vs an empty app). */
  diff: DslDiff | null;
  /** Draft vs published, when the UI draft holds unpublished edits. */
  draftDiff: DslDiff | null;
  importOutcome: ImportExpectation | null;
  secrets: PlannedSecret[];
  findings: Finding[];
  healthChecks: string[];
  live: { publishedWorkflowId: string | null; updatedAt: number; foundBy: string } | null;
  digests: { desired: string; live: string };
}

export interface PlanRevision {
  /** Short git revision (≤ 20 characters), used as the published version's marked_name. */
  id: string;
  /** Commit subject or PR title (≤ 100 characters), used as marked_comment. */
  subject: string;
}

export interface Plan {
  formatVersion: 1;
  createdAt: string;
  revision: PlanRevision | null;
  /** Server facts per environment observed. */
  servers: Record<string, ServerFacts>;
  entries: PlanEntry[];
}

export const PLAN_FORMAT_VERSION = 1;
