// The draft workflow (contract §6.1–6.3): GET with the era's hash and secret masking, sync with
// the 409 conflict rule and the JSON/text-plain body rule, the env-var GET (plaintext) and the
// 1.14 POSTs for env vars, conversation vars and features (no hash check).

import { requireApp, WORKFLOW_MODES } from '../apps.js';
import { buildVariables, normaliseMaskedSecrets, mergeVariables, VariableError, exposedType } from '../dsl/variables.js';
import { bodyObject } from '../http/body.js';
import { difyError, invalidParam, rawError, validationError } from '../http/errors.js';
import { accountOf, json, type RequestContext, type Route } from '../http/route.js';
import type { SimVariable, SimWorkflow } from '../state.js';
import { findDraft, touch, workflowHash, workflowView, writeDraft } from '../workflows.js';

const DRAFT = '/console/api/apps/:appId<uuid>/workflows/draft';

function draftNotExist() {
  return difyError(404, 'draft_workflow_not_exist', 'Draft workflow need to be initialized.');
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Variable factory errors are ValueErrors: 400 invalid_param. */
function variables(list: unknown, kind: 'env' | 'conversation'): SimVariable[] {
  try {
    return buildVariables(list, kind);
  } catch (error) {
    if (error instanceof VariableError) throw invalidParam(error.message);
    throw error;
  }
}

function syncDraft(ctx: RequestContext) {
  const { world } = ctx;
  const app = requireApp(world, ctx.params.appId!, WORKFLOW_MODES);
  if (!isDict(ctx.body)) throw rawError(400, { message: 'Invalid JSON data' });
  const body = ctx.body;
  const model = 'SyncDraftWorkflowPayload';
  for (const field of ['graph', 'features'] as const) {
    if (body[field] === undefined) throw validationError(model, field, 'Field required', 'missing');
    if (!isDict(body[field])) throw validationError(model, field, 'Input should be a valid dictionary', 'dict_type');
  }
  if (body.hash !== undefined && body.hash !== null && typeof body.hash !== 'string') {
    throw validationError(model, 'hash', 'Input should be a valid string', 'string_type');
  }
  let envList = body.environment_variables ?? [];
  if (world.profile.draftSyncNormalisesMask && Array.isArray(envList)) envList = normaliseMaskedSecrets(envList);
  const environment_variables = variables(envList, 'env');
  const conversation_variables = variables(body.conversation_variables ?? [], 'conversation');

  const draft = findDraft(world, app.id);
  if (draft && workflowHash(world, draft) !== body.hash) {
    throw difyError(409, 'draft_workflow_not_sync', 'Workflow graph might have been modified, please refresh and resubmit.');
  }
  const written = writeDraft(world, app, accountOf(ctx), {
    graph: body.graph as SimWorkflow['graph'],
    features: body.features as Record<string, unknown>,
    environment_variables,
    conversation_variables,
  });
  return json({ result: 'success', hash: workflowHash(world, written), updated_at: written.updated_at });
}

function requireDraft(ctx: RequestContext, modes = WORKFLOW_MODES): SimWorkflow {
  const app = requireApp(ctx.world, ctx.params.appId!, modes);
  const draft = findDraft(ctx.world, app.id);
  if (!draft) throw draftNotExist();
  return draft;
}

function envVarItems(draft: SimWorkflow, type: 'env' | 'conversation') {
  const list = type === 'env' ? draft.environment_variables : draft.conversation_variables;
  return list.map((v) => ({
    id: v.id,
    type,
    name: v.name,
    description: v.description,
    selector: v.selector,
    value_type: exposedType(v.value_type),
    value: v.value,
    edited: false,
    visible: true,
    editable: true,
  }));
}

/** ≥1.14 POSTs replace one part of the draft without a hash check; a missing draft is a ValueError. */
function replaceVariables(kind: 'env' | 'conversation') {
  return (ctx: RequestContext) => {
    const app = requireApp(ctx.world, ctx.params.appId!, kind === 'env' ? WORKFLOW_MODES : ['advanced-chat']);
    const field = kind === 'env' ? 'environment_variables' : 'conversation_variables';
    const body = bodyObject(ctx.body);
    if (body[field] === undefined) throw validationError(`${kind === 'env' ? 'Environment' : 'Conversation'}VariableUpdatePayload`, field, 'Field required', 'missing');
    const incoming = variables(body[field], kind);
    const draft = findDraft(ctx.world, app.id);
    if (!draft) throw invalidParam('No draft workflow found.');
    draft[field] = mergeVariables(incoming, draft[field]);
    touch(ctx.world, draft, accountOf(ctx));
    return json({ result: 'success' });
  };
}

function replaceFeatures(ctx: RequestContext) {
  const app = requireApp(ctx.world, ctx.params.appId!, WORKFLOW_MODES);
  const body = bodyObject(ctx.body);
  if (body.features === undefined) throw validationError('WorkflowFeaturesPayload', 'features', 'Field required', 'missing');
  if (!isDict(body.features)) throw validationError('WorkflowFeaturesPayload', 'features', 'Input should be a valid dictionary', 'dict_type');
  const draft = findDraft(ctx.world, app.id);
  if (!draft) throw invalidParam('No draft workflow found.');
  draft.features = body.features;
  touch(ctx.world, draft, accountOf(ctx));
  return json({ result: 'success' });
}

export const routes: Route[] = [
  { method: 'GET', path: DRAFT, auth: 'console:edit', handler: (ctx) => json(workflowView(ctx.world, requireDraft(ctx))) },
  { method: 'POST', path: DRAFT, auth: 'console:edit', body: 'json-or-text', handler: syncDraft },
  {
    method: 'GET',
    path: `${DRAFT}/environment-variables`,
    auth: 'console:edit',
    when: (p) => p.hasEnvVarGet,
    handler: (ctx) => json({ items: envVarItems(requireDraft(ctx), 'env') }),
  },
  {
    method: 'POST',
    path: `${DRAFT}/environment-variables`,
    auth: 'console:edit',
    body: 'json',
    when: (p) => p.hasDraftVariablePost,
    handler: replaceVariables('env'),
  },
  {
    method: 'GET',
    path: `${DRAFT}/conversation-variables`,
    auth: 'console:edit',
    handler: (ctx) => json({ items: envVarItems(requireDraft(ctx, ['advanced-chat']), 'conversation') }),
  },
  {
    method: 'POST',
    path: `${DRAFT}/conversation-variables`,
    auth: 'console:edit',
    body: 'json',
    when: (p) => p.hasDraftVariablePost,
    handler: replaceVariables('conversation'),
  },
  {
    method: 'POST',
    path: `${DRAFT}/features`,
    auth: 'console:edit',
    body: 'json',
    when: (p) => p.hasDraftVariablePost,
    handler: replaceFeatures,
  },
];
