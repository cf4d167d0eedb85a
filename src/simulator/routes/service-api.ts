// Service API run endpoints (contract §8.1–8.4): chat-messages, completion-messages,
// workflows/run (and /workflows/<workflow_id>/run from 1.7.2) with their stop endpoints.
// Order of checks follows Dify: Bearer key and app gating (authenticateServiceKey), `user`,
// route-versus-mode, body validation, the per-app concurrency limit, the published workflow,
// then input validation — all plain JSON errors before any stream starts.

import { bodyObject } from '../http/body.js';
import { badRequest, difyError, invalidParam, notFound } from '../http/errors.js';
import { json, type Reply, type RequestContext, type Route } from '../http/route.js';
import type { SimApp, SimWorkflow } from '../state.js';
import { endUserActor } from '../service/actor.js';
import { requireUser, serviceApp } from '../service/auth.js';
import { APP_UNAVAILABLE, chatReply } from '../service/chat-run.js';
import { findConversation, newConversation } from '../service/conversations.js';
import { isUuid, readConversationId, readInputs, readQuery, readStreaming } from '../service/payload.js';
import { enterRateLimit, stopTask } from '../service/runtime.js';
import { workflowBlockingReply, workflowStreamReply } from '../service/workflow-reply.js';
import { startWorkflowRun } from '../service/workflow-run.js';
import type { SimWorld } from '../world.js';
import { findAppWorkflow, findPublished } from '../workflows.js';

const NOT_CHAT = 'Please check if your app mode matches the right API route.';

/** Runs `body` holding one concurrency slot; the slot is released by the reply or on error. */
async function limited(ctx: RequestContext, app: SimApp, body: (exit: () => void) => Promise<Reply>): Promise<Reply> {
  const exit = enterRateLimit(ctx.world, app);
  try {
    return await body(exit);
  } catch (error) {
    exit();
    throw error;
  }
}

function publishedWorkflow(world: SimWorld, app: SimApp, workflowId: string | null): SimWorkflow {
  if (workflowId !== null) {
    if (!isUuid(workflowId)) throw badRequest(`Invalid workflow_id format: '${workflowId}'. `);
    const workflow = findAppWorkflow(world, app, workflowId);
    if (!workflow) throw notFound(`Workflow not found with id: ${workflowId}`);
    if (workflow.version === 'draft') {
      throw badRequest(`Cannot use draft workflow version. Workflow ID: ${workflowId}. Please use a published workflow version or leave workflow_id empty.`);
    }
    return workflow;
  }
  const published = findPublished(world, app);
  if (!published) throw invalidParam('Workflow not published');
  return published;
}

function workflowRun(ctx: RequestContext, workflowIdParam: string | null): Promise<Reply> {
  const app = serviceApp(ctx);
  const body = bodyObject(ctx.body);
  const user = requireUser(body.user);
  if (app.mode !== 'workflow') throw difyError(400, 'not_workflow_app', NOT_CHAT);
  const inputs = readInputs('WorkflowRunPayload', body);
  const streaming = readStreaming('WorkflowRunPayload', body);
  return limited(ctx, app, async (exit) => {
    const workflow = publishedWorkflow(ctx.world, app, workflowIdParam);
    const started = startWorkflowRun(ctx.world, {
      app, workflow, mode: 'workflow', rawInputs: inputs, query: '', actor: endUserActor(app.id, user), triggeredFrom: 'app-run', conversation: null,
    });
    return streaming ? workflowStreamReply(ctx.world, started, exit) : workflowBlockingReply(ctx.world, started, ctx.signal, exit);
  });
}

function chatMessages(ctx: RequestContext): Promise<Reply> {
  const app = serviceApp(ctx);
  const body = bodyObject(ctx.body);
  const user = requireUser(body.user);
  if (app.mode !== 'chat' && app.mode !== 'agent-chat' && app.mode !== 'advanced-chat') throw difyError(400, 'not_chat_app', NOT_CHAT);
  const inputs = readInputs('ChatRequestPayload', body);
  const query = readQuery('ChatRequestPayload', body, true);
  const streaming = readStreaming('ChatRequestPayload', body);
  const conversationId = readConversationId(body);
  const workflowId = ctx.world.profile.serviceRunsByWorkflowId && typeof body.workflow_id === 'string' && body.workflow_id !== '' ? body.workflow_id : null;
  return limited(ctx, app, async (exit) => {
    if (app.mode === 'advanced-chat') {
      const workflow = publishedWorkflow(ctx.world, app, workflowId);
      const conversation = conversationId ? findConversation(ctx.world, app, user, conversationId) : newConversation(ctx.world, app, user, workflow);
      const started = startWorkflowRun(ctx.world, {
        app, workflow, mode: 'advanced-chat', rawInputs: inputs, query, actor: endUserActor(app.id, user), triggeredFrom: 'app-run', conversation,
      });
      return streaming ? workflowStreamReply(ctx.world, started, exit) : workflowBlockingReply(ctx.world, started, ctx.signal, exit);
    }
    const conversation = conversationId ? findConversation(ctx.world, app, user, conversationId) : newConversation(ctx.world, app, user, null);
    return chatReply(ctx.world, { app, mode: app.mode === 'agent-chat' ? 'agent-chat' : 'chat', rawInputs: inputs, query, streaming, conversation, signal: ctx.signal }, exit);
  });
}

function completionMessages(ctx: RequestContext): Promise<Reply> {
  const app = serviceApp(ctx);
  const body = bodyObject(ctx.body);
  requireUser(body.user);
  if (app.mode !== 'completion') throw difyError(400, 'app_unavailable', APP_UNAVAILABLE);
  const inputs = readInputs('CompletionRequestPayload', body);
  const query = readQuery('CompletionRequestPayload', body, false);
  const streaming = readStreaming('CompletionRequestPayload', body);
  return limited(ctx, app, (exit) =>
    chatReply(ctx.world, { app, mode: 'completion', rawInputs: inputs, query, streaming, conversation: null, signal: ctx.signal }, exit),
  );
}

type ModeCheck = (app: SimApp) => void;

function stopRoute(path: string, check: ModeCheck): Route {
  return {
    method: 'POST',
    path,
    auth: 'service',
    body: 'json',
    handler: (ctx) => {
      const app = serviceApp(ctx);
      requireUser(bodyObject(ctx.body).user);
      check(app);
      stopTask(ctx.world, app.id, ctx.params.taskId ?? '');
      return json({ result: 'success' });
    },
  };
}

const chatOnly: ModeCheck = (app) => {
  if (app.mode !== 'chat' && app.mode !== 'agent-chat' && app.mode !== 'advanced-chat') throw difyError(400, 'not_chat_app', NOT_CHAT);
};
const completionOnly: ModeCheck = (app) => {
  if (app.mode !== 'completion') throw difyError(400, 'app_unavailable', APP_UNAVAILABLE);
};
const workflowOnly: ModeCheck = (app) => {
  if (app.mode !== 'workflow') throw difyError(400, 'not_workflow_app', NOT_CHAT);
};

export const routes: Route[] = [
  { method: 'POST', path: '/v1/chat-messages', auth: 'service', body: 'json', handler: chatMessages },
  { method: 'POST', path: '/v1/completion-messages', auth: 'service', body: 'json', handler: completionMessages },
  { method: 'POST', path: '/v1/workflows/run', auth: 'service', body: 'json', handler: (ctx) => workflowRun(ctx, null) },
  {
    method: 'POST',
    path: '/v1/workflows/:workflowId/run',
    auth: 'service',
    body: 'json',
    when: (p) => p.serviceRunsByWorkflowId,
    handler: (ctx) => workflowRun(ctx, ctx.params.workflowId ?? ''),
  },
  stopRoute('/v1/chat-messages/:taskId/stop', chatOnly),
  stopRoute('/v1/completion-messages/:taskId/stop', completionOnly),
  stopRoute('/v1/workflows/tasks/:taskId/stop', workflowOnly),
];
