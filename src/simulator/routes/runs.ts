// Console debugger runs (contract §6.8): POST …/workflows/draft/run (workflow) and
// …/advanced-chat/workflows/draft/run always answer SSE and execute the DRAFT graph with the same
// engine as the service API; plus the workflow-run list (cursor by last_id), detail and stop.

import { requireApp } from '../apps.js';
import { bodyObject } from '../http/body.js';
import { invalidParam, notFound } from '../http/errors.js';
import { queryInt } from '../http/params.js';
import { accountOf, json, type Reply, type RequestContext, type Route } from '../http/route.js';
import type { SimRun } from '../state.js';
import { findConversation, newConversation } from '../service/conversations.js';
import { readConversationId, readInputs, readQuery } from '../service/payload.js';
import { enterRateLimit, stopTask } from '../service/runtime.js';
import { workflowStreamReply } from '../service/workflow-reply.js';
import { startWorkflowRun } from '../service/workflow-run.js';
import { validationError } from '../http/errors.js';
import { findAccount, type SimWorld } from '../world.js';
import { findDraft, findWorkflow } from '../workflows.js';

const APP = '/console/api/apps/:appId<uuid>';
const STATUSES = ['running', 'succeeded', 'failed', 'stopped', 'partial-succeeded'];

function draftRun(mode: 'workflow' | 'advanced-chat') {
  return (ctx: RequestContext): Reply => {
    const { world } = ctx;
    const app = requireApp(world, ctx.params.appId ?? '', [mode]);
    const account = accountOf(ctx);
    const body = bodyObject(ctx.body);
    const inputs = mode === 'workflow' ? readInputs('DraftWorkflowRunPayload', body) : (body.inputs ?? {});
    const query = mode === 'advanced-chat' ? readQuery('AdvancedChatWorkflowRunPayload', body, true) : '';
    const conversationId = mode === 'advanced-chat' ? readConversationId(body) : null;
    const exit = enterRateLimit(world, app);
    try {
      const draft = findDraft(world, app.id);
      if (!draft) throw invalidParam('Workflow not initialized');
      const conversation =
        mode === 'workflow' ? null : conversationId ? findConversation(world, app, account.id, conversationId) : newConversation(world, app, account.id, draft);
      const started = startWorkflowRun(world, {
        app, workflow: draft, mode, rawInputs: inputs, query, actor: { kind: 'account', account }, triggeredFrom: 'debugging', conversation,
      });
      return workflowStreamReply(world, started, exit);
    } catch (error) {
      exit();
      throw error;
    }
  };
}

function accountView(world: SimWorld, id: string | undefined): Record<string, unknown> | null {
  const account = findAccount(world, id);
  return account ? { id: account.id, name: account.name, email: account.email } : null;
}

function listItem(world: SimWorld, run: SimRun): Record<string, unknown> {
  return {
    id: run.id,
    version: run.version ?? null,
    status: run.status,
    elapsed_time: run.elapsed_time,
    total_tokens: run.total_tokens,
    total_steps: run.total_steps,
    created_by_account: run.created_by_role === 'account' ? accountView(world, run.created_by) : null,
    created_at: run.created_at,
    finished_at: run.finished_at,
    exceptions_count: run.exceptions_count ?? 0,
    retry_index: 0,
  };
}

function listRuns(ctx: RequestContext) {
  const { world } = ctx;
  const app = requireApp(world, ctx.params.appId ?? '', ['advanced-chat', 'workflow']);
  const model = 'WorkflowRunListQuery';
  const limit = queryInt(model, ctx.query, 'limit', 20, 1, 100);
  const status = ctx.query.get('status');
  if (status !== null && !STATUSES.includes(status)) throw validationError(model, 'status', `Input should be ${STATUSES.map((s) => `'${s}'`).join(', ')}`, 'literal_error');
  const triggered = ctx.query.get('triggered_from') ?? 'debugging';
  if (triggered !== 'debugging' && triggered !== 'app-run') throw validationError(model, 'triggered_from', "Input should be 'debugging' or 'app-run'", 'literal_error');
  // Newest first; runs are stored in creation order.
  let runs = world.state.runs.filter((r) => r.app_id === app.id && r.triggered_from === triggered && (status === null || r.status === status)).reverse();
  const lastId = ctx.query.get('last_id');
  if (lastId) {
    const at = runs.findIndex((r) => r.id === lastId);
    if (at < 0) throw invalidParam('Last workflow run not exists');
    runs = runs.slice(at + 1);
  }
  return json({ limit, has_more: runs.length > limit, data: runs.slice(0, limit).map((r) => listItem(world, r)) });
}

function runDetail(ctx: RequestContext) {
  const { world } = ctx;
  const app = requireApp(world, ctx.params.appId ?? '', ['advanced-chat', 'workflow']);
  const run = world.state.runs.find((r) => r.id === ctx.params.runId && r.app_id === app.id);
  if (!run) throw notFound('Workflow run not found');
  const workflow = run.workflow_id === null ? undefined : findWorkflow(world, run.workflow_id);
  return json({
    ...listItem(world, run),
    graph: workflow?.graph ?? {},
    inputs: run.inputs,
    outputs: run.outputs,
    error: run.error,
    created_by_role: run.created_by_role ?? 'account',
    created_by_end_user: run.created_by_role === 'end_user' ? { id: run.created_by, type: 'service_api', is_anonymous: false, session_id: run.created_by_session } : null,
  });
}

function stopRun(ctx: RequestContext) {
  const app = requireApp(ctx.world, ctx.params.appId ?? '', ['advanced-chat', 'workflow']);
  stopTask(ctx.world, app.id, ctx.params.taskId ?? '');
  return json({ result: 'success' });
}

export const routes: Route[] = [
  { method: 'POST', path: `${APP}/workflows/draft/run`, auth: 'console:edit', body: 'json', handler: draftRun('workflow') },
  { method: 'POST', path: `${APP}/advanced-chat/workflows/draft/run`, auth: 'console:edit', body: 'json', handler: draftRun('advanced-chat') },
  { method: 'GET', path: `${APP}/workflow-runs`, auth: 'console', handler: listRuns },
  { method: 'GET', path: `${APP}/advanced-chat/workflow-runs`, auth: 'console', handler: listRuns },
  { method: 'GET', path: `${APP}/workflow-runs/:runId<uuid>`, auth: 'console', handler: runDetail },
  { method: 'POST', path: `${APP}/workflow-runs/tasks/:taskId/stop`, auth: 'console:edit', handler: stopRun },
];
