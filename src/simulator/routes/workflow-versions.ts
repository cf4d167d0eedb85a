// Published versions (contract §6.4–6.7): publish (a new immutable row every time), the
// published workflow GET, the version list (draft row first, offset pagination with limit+1),
// PATCH and DELETE of versions (≥1.0.1) and restore into the draft (≥1.13.3).

import { requireApp, WORKFLOW_MODES } from '../apps.js';
import { bodyObject } from '../http/body.js';
import { badRequest, forbidden, notFound, rawError } from '../http/errors.js';
import { optionalString, queryBool, queryInt } from '../http/params.js';
import { accountOf, json, noContent, type RequestContext, type Route } from '../http/route.js';
import type { SimWorkflow } from '../state.js';
import { findApp } from '../world.js';
import { findAppWorkflow, findDraft, findPublished, findWorkflow, nullWorkflowView, publishDraft, touch, workflowHash, workflowView, writeDraft } from '../workflows.js';

const APP = '/console/api/apps/:appId<uuid>';

function publish(ctx: RequestContext) {
  const app = requireApp(ctx.world, ctx.params.appId!, WORKFLOW_MODES);
  let name = '';
  let comment = '';
  if (ctx.world.profile.workflowVersionControl) {
    const body = bodyObject(ctx.body);
    name = optionalString('PublishWorkflowPayload', body, 'marked_name', 20) ?? '';
    comment = optionalString('PublishWorkflowPayload', body, 'marked_comment', 100) ?? '';
  }
  const version = publishDraft(ctx.world, app, accountOf(ctx), name, comment);
  return json({ result: 'success', created_at: version.created_at });
}

function listVersions(ctx: RequestContext) {
  const { world } = ctx;
  const app = requireApp(world, ctx.params.appId!, WORKFLOW_MODES);
  const model = 'WorkflowListQuery';
  const page = queryInt(model, ctx.query, 'page', 1, 1, 99999);
  const limit = queryInt(model, ctx.query, 'limit', world.profile.versionListDefaultLimit, 1, 100);
  const filters = world.profile.workflowVersionControl;
  const userId = filters ? ctx.query.get('user_id') : null;
  const namedOnly = filters ? (queryBool(model, ctx.query, 'named_only') ?? false) : false;
  if (userId && userId !== accountOf(ctx).id) throw forbidden();
  if (app.workflow_id === null) return json({ items: [], page, limit, has_more: false });
  const rows = world.state.workflows
    .filter((w) => w.app_id === app.id)
    .filter((w) => !userId || w.created_by === userId)
    .filter((w) => !namedOnly || w.marked_name !== '')
    .sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0))
    .slice((page - 1) * limit, page * limit + 1);
  const hasMore = rows.length > limit;
  return json({ items: rows.slice(0, limit).map((w) => workflowView(world, w)), page, limit, has_more: hasMore });
}

function findInWorkspace(ctx: RequestContext, id: string): SimWorkflow | undefined {
  const workflow = findWorkflow(ctx.world, id);
  return workflow !== undefined && findApp(ctx.world, workflow.app_id) !== undefined ? workflow : undefined;
}

function patchVersion(ctx: RequestContext) {
  requireApp(ctx.world, ctx.params.appId!, WORKFLOW_MODES);
  const body = bodyObject(ctx.body);
  const name = optionalString('WorkflowUpdatePayload', body, 'marked_name', 20);
  const comment = optionalString('WorkflowUpdatePayload', body, 'marked_comment', 100);
  if (name === undefined && comment === undefined) throw rawError(400, { message: 'No valid fields to update' });
  const wf = findInWorkspace(ctx, ctx.params.workflowId!);
  if (!wf) throw notFound('Workflow not found');
  if (name !== undefined) wf.marked_name = name;
  if (comment !== undefined) wf.marked_comment = comment;
  touch(ctx.world, wf, accountOf(ctx));
  return json(workflowView(ctx.world, wf));
}

function deleteVersion(ctx: RequestContext) {
  const { world } = ctx;
  requireApp(world, ctx.params.appId!, WORKFLOW_MODES);
  const id = ctx.params.workflowId!;
  const wf = findInWorkspace(ctx, id);
  if (!wf) throw notFound(`Workflow with ID ${id} not found`);
  if (wf.version === 'draft') throw badRequest('Cannot delete draft workflow versions');
  const user = world.state.apps.find((a) => a.workflow_id === wf.id);
  if (user) throw badRequest(`Cannot delete workflow that is currently in use by app '${user.id}'`);
  if (wf.tool_published) throw badRequest('Cannot delete workflow that is published as a tool');
  world.state.workflows = world.state.workflows.filter((w) => w.id !== wf.id);
  return noContent();
}

function restoreVersion(ctx: RequestContext) {
  const { world } = ctx;
  const app = requireApp(world, ctx.params.appId!, WORKFLOW_MODES);
  const source = findAppWorkflow(world, app, ctx.params.workflowId!);
  if (!source) throw notFound('Workflow not found.');
  if (source.version === 'draft') throw badRequest('source workflow must be published');
  const account = accountOf(ctx);
  // Variables are copied as stored (secrets included): no [__HIDDEN__] resolution, no hash check.
  const existing = findDraft(world, app.id);
  const draft = writeDraft(world, app, account, {
    graph: structuredClone(source.graph),
    features: structuredClone(source.features),
    environment_variables: [],
    conversation_variables: [],
  });
  draft.environment_variables = structuredClone(source.environment_variables);
  draft.conversation_variables = structuredClone(source.conversation_variables);
  draft.rag_pipeline_variables = structuredClone(source.rag_pipeline_variables);
  if (!existing) touch(world, draft, account);
  return json({ result: 'success', hash: workflowHash(world, draft), updated_at: draft.updated_at });
}

export const routes: Route[] = [
  {
    method: 'GET',
    path: `${APP}/workflows/publish`,
    auth: 'console:edit',
    handler: (ctx) => {
      const published = findPublished(ctx.world, requireApp(ctx.world, ctx.params.appId!, WORKFLOW_MODES));
      return json(published ? workflowView(ctx.world, published) : nullWorkflowView());
    },
  },
  { method: 'POST', path: `${APP}/workflows/publish`, auth: 'console:edit', body: 'json', when: (p) => p.workflowVersionControl, handler: publish },
  { method: 'POST', path: `${APP}/workflows/publish`, auth: 'console:edit', when: (p) => !p.workflowVersionControl, handler: publish },
  { method: 'GET', path: `${APP}/workflows`, auth: 'console:edit', handler: listVersions },
  { method: 'PATCH', path: `${APP}/workflows/:workflowId`, auth: 'console:edit', body: 'json', when: (p) => p.workflowVersionControl, handler: patchVersion },
  { method: 'DELETE', path: `${APP}/workflows/:workflowId`, auth: 'console:edit', when: (p) => p.workflowVersionControl, handler: deleteVersion },
  { method: 'POST', path: `${APP}/workflows/:workflowId/restore`, auth: 'console:edit', when: (p) => p.hasRestoreEndpoint, handler: restoreVersion },
];
