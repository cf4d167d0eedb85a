// The last way to write a secret env var when the draft-sync route cannot be used: Dify refused
// the sync twice with 409 `draft_workflow_not_sync` (the draft's graph changed between our read
// and our write both times — someone is editing the app in the Dify UI, whose editor saves as it
// goes). An import over the app cannot conflict: Dify passes the draft's current hash itself.
//
// What is imported is the app's PUBLISHED version (export with workflow_id and include_secret,
// Dify ≥ 1.8.1) with the one variable changed, so the draft then holds exactly what the rotation
// publishes next: the live app plus the new value. Graph edits someone saved to the draft are
// replaced rather than shipped unreviewed. Other secret variables are sent as [__HIDDEN__] with
// their ids (Dify keeps their stored values on import-overwrite too), so they never travel back.
// Before 1.8.1 the published version cannot be exported, and importing the draft would ship
// whatever is being edited: the write is refused with a clear error and the next run retries.

import { stringify } from 'yaml';
import type { WorkflowVariable } from '../dify/index.js';
import { isRecord } from '../dsl/types.js';
import { parseExport } from '../plan/observe.js';
import { RotationError } from './context.js';
import type { EnvTarget } from './env-var-io.js';

const HIDDEN = '[__HIDDEN__]';

export async function writeEnvValueByImport(t: EnvTarget, value: string): Promise<void> {
  const info = await t.client.serverInfo();
  if (!info.capabilities.exportWorkflowId) {
    throw new RotationError(
      'E_ROTATION_DRAFT_BUSY',
      `the draft of app ${t.appId} changed twice while ${t.variable} was being written (someone is editing it in Dify?), and this Dify (${info.version.raw} < 1.8.1) cannot export the published version to import instead; the next run retries`,
    );
  }
  const workflowId = await t.client.apps.publishedWorkflowId(t.appId);
  if (workflowId === null) throw new RotationError('E_ROTATION_TARGET', `app ${t.appId} has no published version to import ${t.variable} into`);
  const exported = await t.client.dsl.export(t.appId, { includeSecret: true, workflowId });
  const dsl = parseExport(exported, `the export of published version ${workflowId}`);
  const workflow = dsl.workflow;
  const vars = isRecord(workflow) && Array.isArray(workflow.environment_variables) ? (workflow.environment_variables as WorkflowVariable[]) : [];
  // Every secret of the export is plaintext: register them all before anything else happens.
  for (const v of vars) if (v.value_type === 'secret' && typeof v.value === 'string') t.redactor.add(v.value);
  const found = vars.find((v) => v.name === t.variable);
  if (found === undefined || found.value_type !== 'secret') {
    throw new RotationError('E_ROTATION_TARGET', `published version ${workflowId} of app ${t.appId} has no secret env var ${t.variable}`);
  }
  for (const v of vars) {
    if (v.name === t.variable) v.value = value;
    else if (v.value_type === 'secret') v.value = HIDDEN;
  }
  // version 1.1: strings PyYAML would read as booleans (yes, on, …) come out quoted.
  const result = await t.client.dsl.importOrThrow({ yamlContent: stringify(dsl, { version: '1.1' }), appId: t.appId });
  if (result.status === 'pending') {
    // Nothing is written while an import is pending; an export of this very server never should be.
    throw new RotationError('E_ROTATION_IMPORT', `Dify held the import of app ${t.appId} for confirmation (DSL version ${String(result.imported_dsl_version ?? '?')}); nothing was written`);
  }
}
