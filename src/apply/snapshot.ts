// Step 2 of apply: keep what is live before changing it. The published version (or, for chat
// modes, the live app) and the draft are exported WITH secrets and saved in the state directory
// (0600, git-ignored) with redacted copies; their secret values are registered with the Redactor
// before anything is written. The result says whether the draft differed from the published
// version, so a rollback knows whether to bring unpublished draft edits back too.

import { stringify } from 'yaml';
import type { DifyClient } from '../dify/index.js';
import { WORKFLOW_MODES, type AppMode, type DslDocument } from '../dsl/index.js';
import { comparableDsl } from '../plan/comparable.js';
import { canonicalJson } from '../plan/digest.js';
import { parseExport } from '../plan/observe.js';
import type { SnapshotRef, SnapshotStore } from '../state/snapshot-store.js';

export interface TakeSnapshotInput {
  environment: string;
  app: string;
  appId: string;
  mode: string;
  publishedWorkflowId: string | null;
  reason: string;
  now: Date;
}

export interface Snapshot {
  ref: SnapshotRef;
  /** Workflow modes: the published version with secrets (null: never published). Chat modes: the live app. */
  publishedYaml: string | null;
  /** Workflow modes: the draft with secrets (null: no draft). */
  draftYaml: string | null;
  /** The draft held edits the published version does not have (secrets included). */
  draftDiffers: boolean;
}

export async function takeSnapshot(client: DifyClient, store: SnapshotStore, input: TakeSnapshotInput): Promise<Snapshot> {
  const isWorkflow = WORKFLOW_MODES.includes(input.mode as AppMode);
  const { appId, publishedWorkflowId } = input;
  const draftYaml = isWorkflow ? await exportDraftWithSecrets(client, appId) : null;
  let publishedYaml: string | null;
  if (!isWorkflow) publishedYaml = await client.dsl.export(appId, { includeSecret: true });
  else if (publishedWorkflowId === null) publishedYaml = null;
  else if ((await client.serverInfo()).capabilities.exportWorkflowId) publishedYaml = await client.dsl.export(appId, { workflowId: publishedWorkflowId, includeSecret: true });
  else publishedYaml = await publishedFromRecord(client, appId, draftYaml);

  const published = publishedYaml === null ? null : parseExport(publishedYaml, `${input.app} published export`);
  const draft = draftYaml === null ? null : parseExport(draftYaml, `${input.app} draft export`);
  const secrets = [...secretValues(published), ...secretValues(draft)];
  const meta = { environment: input.environment, app: input.app, appId, publishedWorkflowId, takenAt: input.now.toISOString(), reason: input.reason };
  // A never-published app's snapshot holds its draft as the main export, so nothing is lost.
  const ref = await store.save(meta, publishedYaml ?? draftYaml ?? '', secrets);
  if (draftYaml !== null) await store.saveDraft(ref, draftYaml, secrets);
  return { ref, publishedYaml, draftYaml, draftDiffers: differs(published, draft) };
}

/** Reads a snapshot back (for recovery and the rollback command). */
export async function loadSnapshot(store: SnapshotStore, ref: SnapshotRef, mode: string, draftDiffers: boolean): Promise<Snapshot> {
  const { exportWithSecrets, meta } = await store.read(ref);
  const draftYaml = await store.readDraft(ref);
  const isWorkflow = WORKFLOW_MODES.includes(mode as AppMode);
  const publishedYaml = !isWorkflow || meta.publishedWorkflowId !== null ? exportWithSecrets : null;
  return { ref, publishedYaml, draftYaml: draftYaml ?? null, draftDiffers };
}

async function exportDraftWithSecrets(client: DifyClient, appId: string): Promise<string | null> {
  if ((await client.drafts.get(appId)) === null) return null;
  return client.dsl.export(appId, { includeSecret: true });
}

/** Before 1.8.1 a version cannot be exported: its record over the draft export, secrets by name from the draft. */
async function publishedFromRecord(client: DifyClient, appId: string, draftYaml: string | null): Promise<string | null> {
  const record = await client.versions.getPublished(appId);
  if (record === null) return null;
  const draft = draftYaml === null ? undefined : parseExport(draftYaml, 'draft export');
  const draftSecrets = new Map((draft?.workflow?.environment_variables ?? []).map((v) => [v.name, v.value]));
  const base: DslDocument = draft ?? { app: {} };
  const doc: DslDocument = {
    ...base,
    workflow: {
      ...base.workflow,
      graph: record.graph,
      features: record.features,
      environment_variables: record.environment_variables.map((v) => ({ ...v, value: v.value_type === 'secret' ? (draftSecrets.get(v.name) ?? '[__HIDDEN__]') : v.value })),
      conversation_variables: record.conversation_variables.map((v) => ({ ...v })),
    },
  };
  return stringify(doc);
}

function secretValues(dsl: DslDocument | null): string[] {
  return (dsl?.workflow?.environment_variables ?? []).filter((v) => v.value_type === 'secret' && typeof v.value === 'string' && v.value !== '').map((v) => String(v.value));
}

function differs(published: DslDocument | null, draft: DslDocument | null): boolean {
  if (published === null || draft === null) return draft !== null;
  const secretsOf = (doc: DslDocument): string => canonicalJson((doc.workflow?.environment_variables ?? []).filter((v) => v.value_type === 'secret').map((v) => [v.name, v.value]));
  return canonicalJson(comparableDsl(published)) !== canonicalJson(comparableDsl(draft)) || secretsOf(published) !== secretsOf(draft);
}
