// The stage types of apply. A Deployment is an ordered list of steps against one app; apply,
// rollback, draft restore and the `rollback` command all build one and hand it to the same
// runner (run-deployment.ts), so there is one code path that changes Dify.

import type { ExitCode } from '../exit-codes.js';
import type { HealthReport } from '../health/types.js';
import type { PlanAction } from '../plan/types.js';

export type DeployStep =
  /** Import YAML (secrets included) over `appId`, or as a new app when the deployment creates one. */
  | { kind: 'import'; label: string; yaml: string; allowPending: boolean; checkDependencies: boolean }
  | { kind: 'publish'; label: string; markedName: string; markedComment: string }
  /** Copy a published version into the draft (Dify ≥ 1.13.3; secrets copied by the server). */
  | { kind: 'restore'; label: string; workflowId: string }
  | { kind: 'model-config'; label: string; modelConfig: Record<string, unknown> }
  /** Delete an app this deployment's forward half created. */
  | { kind: 'delete'; label: string };

export interface Deployment {
  /** For messages: "import + publish abc1234", "restore version X + publish". */
  description: string;
  steps: DeployStep[];
  /** Run health checks after the steps (false for draft-only restores). */
  verify: boolean;
}

/** What the runner knows about the app while it works. */
export interface DeployState {
  /** Null until an import creates the app. */
  appId: string | null;
  /** Published version before the deployment started. */
  publishedBefore: string | null;
  /** Published version now (set by publish). */
  published: string | null;
  /** A step that can change what users get (publish, model config, restore + publish) ran. */
  liveChanged: boolean;
}

export type AppOutcome =
  | 'applied'
  | 'no-op'
  | 'skipped'
  | 'failed-before-change'
  | 'rolled-back'
  | 'needs-human'
  | 'recovered';

export interface AppApplyResult {
  environment: string;
  app: string;
  appId: string | null;
  action: PlanAction;
  outcome: AppOutcome;
  exitCode: ExitCode;
  /** One or more sentences for humans (redacted by the CLI). */
  message: string;
  /** The version published by this run, if any. */
  workflowId?: string | undefined;
  health?: HealthReport | undefined;
  /** The draft gate's checks (workflow and advanced-chat apps), run before publish. */
  draftHealth?: HealthReport | undefined;
  rollbackHealth?: HealthReport | undefined;
  /**
   * Which gate stopped the change: 'draft' (checks failed on the imported draft; nothing was
   * published, the draft was put back) or 'published' (checks failed on the new live version,
   * which was rolled back). Unset when no gate stopped it.
   */
  gate?: 'draft' | 'published' | undefined;
  /** For needs-human: what is live, as read from Dify. */
  live?: string | undefined;
}
