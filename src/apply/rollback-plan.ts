// The way back, as one more Deployment for the same runner (pure). From a snapshot: bring back
// the previous published version — Dify's restore endpoint on ≥ 1.13.3 (secrets copied by the
// server), else a re-import of the snapshot taken WITH secrets — publish it with a marked name
// that says it is a rollback, then put back unpublished draft edits if there were any. Chat modes
// get their previous model config back. An app the deployment created is deleted.

import { WORKFLOW_MODES, type AppMode } from '../dsl/index.js';
import { parseExport } from '../plan/observe.js';
import { clip, MARKED_COMMENT_MAX, MARKED_NAME_MAX } from './git-revision.js';
import type { Snapshot } from './snapshot.js';
import type { DeployStep, Deployment } from './types.js';

export interface RollbackInput {
  mode: string;
  /** The deployment created the app (nothing existed before). */
  created: boolean;
  snapshot: Snapshot | undefined;
  previousWorkflowId: string | null;
  restoreEndpoint: boolean;
  /** The revision whose deploy is being undone (for the marked name). */
  revision: string;
}

export type RollbackPlan = { deployment: Deployment; complete: boolean; note: string };

export function rollbackMarks(revision: string, previousWorkflowId: string): { markedName: string; markedComment: string } {
  return {
    markedName: `rollback ${revision}`.slice(0, MARKED_NAME_MAX),
    markedComment: clip(`dify-gitops rollback of ${revision}: restored version ${previousWorkflowId}`, MARKED_COMMENT_MAX),
  };
}

export function planRollback(input: RollbackInput): RollbackPlan {
  if (input.created) {
    return { deployment: { description: 'delete the app this deploy created', steps: [{ kind: 'delete', label: 'delete' }], verify: false }, complete: true, note: 'the app did not exist before; it was deleted' };
  }
  const snapshot = input.snapshot;
  if (snapshot === undefined) return { deployment: { description: 'nothing to restore', steps: [], verify: false }, complete: false, note: 'no snapshot was taken, so there is nothing to restore' };

  if (!WORKFLOW_MODES.includes(input.mode as AppMode)) {
    const previous = snapshot.publishedYaml === null ? undefined : parseExport(snapshot.publishedYaml, 'snapshot').model_config;
    if (previous === undefined) return { deployment: { description: 'nothing to restore', steps: [], verify: false }, complete: false, note: 'the snapshot has no model config' };
    return { deployment: { description: 'restore the previous model config', steps: [{ kind: 'model-config', label: 'model-config', modelConfig: previous }], verify: true }, complete: true, note: 'the previous model config is live again' };
  }

  const steps: DeployStep[] = [];
  const previous = input.previousWorkflowId;
  if (previous !== null) {
    if (input.restoreEndpoint) steps.push({ kind: 'restore', label: 'restore', workflowId: previous });
    else if (snapshot.publishedYaml !== null) steps.push({ kind: 'import', label: 'import', yaml: snapshot.publishedYaml, allowPending: true, checkDependencies: false });
    steps.push({ kind: 'publish', label: 'publish', ...rollbackMarks(input.revision, previous) });
  }
  if (snapshot.draftYaml !== null && (snapshot.draftDiffers || previous === null)) {
    steps.push({ kind: 'import', label: 'import-draft', yaml: snapshot.draftYaml, allowPending: true, checkDependencies: false });
  }
  if (previous === null) {
    return {
      deployment: { description: 'restore the draft', steps, verify: false },
      complete: false,
      note: 'the app had no published version before this deploy, so the new version stays published; the draft was restored',
    };
  }
  const how = input.restoreEndpoint ? 'restore endpoint' : 're-import of the snapshot with secrets';
  return { deployment: { description: `restore version ${previous} (${how}) and publish it`, steps, verify: true }, complete: true, note: `version ${previous} is live again (${how})` };
}

/** Only the draft changed (the forward deployment stopped before publishing): put it back. */
export function planDraftRestore(snapshot: Snapshot | undefined): Deployment {
  if (snapshot?.draftYaml == null) return { description: 'nothing to restore', steps: [], verify: false };
  return { description: 'restore the draft', steps: [{ kind: 'import', label: 'import-draft', yaml: snapshot.draftYaml, allowPending: true, checkDependencies: false }], verify: false };
}
