// The data of pull-request preview apps: what was done per app and what its health checks said.
// Plain data, shared by the preview runner, its renderers and the comment.

import type { HealthReport } from '../health/types.js';

export const PREVIEW_TAG = 'dify-gitops-preview';

export type PreviewAction = 'created' | 'updated' | 'failed';

export interface PreviewAppResult {
  /** The app's name in git. */
  app: string;
  /** The preview app's name in Dify, e.g. `ticket-triage [pr-12]`. */
  previewName: string;
  appId: string | null;
  mode: string;
  action: PreviewAction;
  /** The published preview version (workflow and advanced-chat apps). */
  workflowId: string | null;
  health: HealthReport | undefined;
  /** Why the preview could not be made or checked (already redacted by the CLI on the way out). */
  error?: string | undefined;
}

export interface PreviewRunResult {
  environment: string;
  pr: number;
  /** Apps the pull request changes (or every app with --all). */
  selected: string[];
  /** Why those were selected: the base compared with, or `--all` / `--app`. */
  selectedBy: string;
  results: PreviewAppResult[];
  /** Secrets bound into the previews: 'none' (default) or 'bind' (the environment's bindings). */
  secrets: 'none' | 'bind';
}

export interface CleanupResult {
  environment: string;
  deleted: { appId: string; name: string; createdAt: number }[];
}
