// Reading and writing one secret env var of a workflow's draft, per Dify release:
//   read   ≥1.5 GET …/draft/environment-variables (plaintext); older: export the draft with
//          include_secret=true. A published version (for a rollback after a crash): export with
//          workflow_id (≥1.8.1).
//   write  ≥1.14 POST …/draft/environment-variables (no hash check); older: draft sync with the
//          draft's current hash (one retry after a 409); else — the sync refused twice because
//          someone keeps saving the draft — an import of the published version with the new
//          value (env-var-import.ts, ≥1.8.1). Other secrets are sent as [__HIDDEN__] with their
//          ids, so their stored values are kept and never travel.
// Every plaintext value read here is registered with the redactor before it is returned.

import { parse } from 'yaml';
import { DraftConflictError, type DifyClient, type WorkflowVariable } from '../dify/index.js';
import type { Redactor } from '../secrets/redactor.js';
import { RotationError } from './context.js';
import { writeEnvValueByImport } from './env-var-import.js';

const HIDDEN = '[__HIDDEN__]';

export interface EnvTarget {
  client: DifyClient;
  appId: string;
  variable: string;
  redactor: Redactor;
}

/** The variable's current plaintext in the draft. */
export async function readDraftEnvValue(t: EnvTarget): Promise<string> {
  const info = await t.client.serverInfo();
  if (info.capabilities.draftEnvironmentGet) {
    const found = (await t.client.drafts.getEnvironmentVariables(t.appId)).find((v) => v.name === t.variable);
    return valueOf(found, t, 'draft');
  }
  return valueFromExport(await t.client.dsl.export(t.appId, { includeSecret: true }), t, 'draft');
}

/** The variable's plaintext in a published version, or undefined when this Dify cannot show it (< 1.8.1). */
export async function readPublishedEnvValue(t: EnvTarget, workflowId: string): Promise<string | undefined> {
  const info = await t.client.serverInfo();
  if (!info.capabilities.exportWorkflowId) return undefined;
  return valueFromExport(await t.client.dsl.export(t.appId, { includeSecret: true, workflowId }), t, `published version ${workflowId}`);
}

export type EnvWritePath = 'environment-variables endpoint' | 'draft sync' | 'import of the published version';

export async function writeDraftEnvValue(t: EnvTarget, value: string): Promise<EnvWritePath> {
  t.redactor.add(value);
  const info = await t.client.serverInfo();
  if (info.capabilities.draftVariablesPost) {
    const vars = await t.client.drafts.getEnvironmentVariables(t.appId);
    requireVariable(vars, t);
    await t.client.drafts.setEnvironmentVariables(t.appId, vars.map((v) => outgoing(v, t.variable, value)));
    return 'environment-variables endpoint';
  }
  for (let attempt = 1; ; attempt++) {
    const draft = await t.client.drafts.get(t.appId);
    if (draft === null) throw new RotationError('E_ROTATION_TARGET', `app ${t.appId} has no draft workflow`);
    requireVariable(draft.environment_variables, t);
    try {
      await t.client.drafts.sync(t.appId, {
        graph: draft.graph,
        features: draft.features,
        hash: draft.hash,
        environment_variables: draft.environment_variables.map((v) => outgoing(v, t.variable, value)),
        conversation_variables: draft.conversation_variables,
      });
      return 'draft sync';
    } catch (error) {
      // Someone saved the draft between our read and write: read again once; twice means the
      // draft is being edited right now, and only an import (no hash to match) gets through.
      if (!(error instanceof DraftConflictError)) throw error;
      if (attempt >= 2) {
        await writeEnvValueByImport(t, value);
        return 'import of the published version';
      }
    }
  }
}

function outgoing(v: WorkflowVariable, target: string, value: string): Record<string, unknown> {
  const base = { id: v.id, name: v.name, value_type: v.value_type, description: v.description ?? '', ...(v.selector ? { selector: v.selector } : {}) };
  if (v.name === target) return { ...base, value };
  return { ...base, value: v.value_type === 'secret' ? HIDDEN : v.value };
}

function requireVariable(vars: readonly WorkflowVariable[], t: EnvTarget): void {
  const found = vars.find((v) => v.name === t.variable);
  if (found === undefined) throw new RotationError('E_ROTATION_TARGET', `app ${t.appId} has no env var ${t.variable} in its draft (was it removed in the Dify UI?)`);
  if (found.value_type !== 'secret') throw new RotationError('E_ROTATION_TARGET', `env var ${t.variable} of app ${t.appId} is a ${found.value_type} in Dify, not a secret`);
}

function valueOf(found: { value?: unknown; value_type?: unknown } | undefined, t: EnvTarget, where: string): string {
  if (found === undefined) throw new RotationError('E_ROTATION_TARGET', `app ${t.appId} has no env var ${t.variable} in its ${where}`);
  const value = typeof found.value === 'string' ? found.value : '';
  return t.redactor.add(value);
}

function valueFromExport(yamlText: string, t: EnvTarget, where: string): string {
  const doc = parse(yamlText) as { workflow?: { environment_variables?: { name?: unknown; value?: unknown; value_type?: unknown }[] } } | null;
  const vars = doc?.workflow?.environment_variables ?? [];
  // Every secret in the export is plaintext: register them all before anything else happens.
  for (const v of vars) if (v.value_type === 'secret' && typeof v.value === 'string') t.redactor.add(v.value);
  return valueOf(vars.find((v) => v.name === t.variable), t, where);
}
