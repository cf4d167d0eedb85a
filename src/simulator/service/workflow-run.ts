// One workflow / advanced-chat run, from validated request to recorded result. startWorkflowRun
// validates the inputs (a plain JSON 400 before any stream), executes the engine (synchronous and
// deterministic) and records the run as `running`; playWorkflowRun then replays the engine's
// events in real time — waiting out each node's simulated latency, honouring stop — either into
// an SSE sink or silently for blocking mode, and records the final status.

import { randomUUID } from 'node:crypto';
import { runGraph } from '../engine/run-graph.js';
import { startVariables, validateInputs } from '../engine/inputs.js';
import type { GraphRunResult } from '../engine/types.js';
import { invalidParam } from '../http/errors.js';
import type { SseSink } from '../http/route.js';
import { unavailableProviders } from '../providers.js';
import type { SimApp, SimConversation, SimRun, SimWorkflow } from '../state.js';
import type { SimWorld } from '../world.js';
import { actorId, actorUserId, createdByView, type RunActor } from './actor.js';
import { saveConversation } from './conversations.js';
import { endTask, pause, startTask, type RunTask } from './runtime.js';
import * as ev from './workflow-events.js';

export interface WorkflowRunRequest {
  app: SimApp;
  workflow: SimWorkflow;
  mode: 'workflow' | 'advanced-chat';
  rawInputs: unknown;
  query: string;
  actor: RunActor;
  triggeredFrom: 'debugging' | 'app-run';
  /** advanced-chat: the (existing or new) conversation. */
  conversation: SimConversation | null;
}

export interface StartedRun {
  request: WorkflowRunRequest;
  ids: ev.StreamIds;
  result: GraphRunResult;
  run: SimRun;
  task: RunTask;
  startedAtMs: number;
}

export interface FinishedRun {
  status: string;
  outputs: Record<string, unknown>;
  error: string | null;
  answer: string;
  elapsedTime: number;
  payloads: { workflowFinished: Record<string, unknown> };
}

export function startWorkflowRun(world: SimWorld, request: WorkflowRunRequest): StartedRun {
  const { app, workflow, conversation } = request;
  const checked = validateInputs(startVariables(workflow.graph), request.rawInputs);
  if (!checked.ok) throw invalidParam(checked.message);
  const runId = randomUUID();
  const createdAt = world.nowSeconds();
  const conversationVariables: Record<string, unknown> = {};
  for (const v of workflow.conversation_variables) conversationVariables[v.name] = structuredClone(v.value);
  Object.assign(conversationVariables, conversation?.variables ?? {});
  const dialogueCount = (conversation?.dialogue_count ?? 0) + 1;
  const result = runGraph({
    mode: request.mode,
    graph: workflow.graph,
    inputs: checked.inputs,
    query: request.query,
    environment: Object.fromEntries(workflow.environment_variables.map((v) => [v.name, v.value])),
    conversation: conversationVariables,
    sys: {
      user_id: actorUserId(request.actor),
      app_id: app.id,
      workflow_id: workflow.id,
      workflow_run_id: runId,
      timestamp: createdAt,
      ...(conversation ? { conversation_id: conversation.id, dialogue_count: dialogueCount } : {}),
    },
    unavailableProviders: unavailableProviders(world.state),
  });
  const run: SimRun = {
    id: runId,
    app_id: app.id,
    workflow_id: workflow.id,
    status: 'running',
    inputs: checked.inputs,
    outputs: null,
    error: null,
    total_tokens: 0,
    total_steps: 0,
    elapsed_time: 0,
    triggered_from: request.triggeredFrom,
    created_at: createdAt,
    finished_at: null,
    created_by_role: request.actor.kind,
    created_by: actorId(request.actor),
    ...(request.actor.kind === 'end_user' ? { created_by_session: request.actor.session } : {}),
    exceptions_count: 0,
    version: workflow.version,
  };
  world.state.runs.push(run);
  if (conversation) saveConversation(world, conversation);
  const task = startTask(world, app.id);
  const ids: ev.StreamIds = {
    family: request.mode,
    taskId: task.id,
    runId,
    workflowId: workflow.id,
    messageId: randomUUID(),
    conversationId: conversation?.id ?? '',
    createdAt,
    legacy: world.profile.workflowStartedField === 'sequence_number',
  };
  return { request, ids, result, run, task, startedAtMs: world.now() };
}

/** Replays the run (into `sink` when streaming), then records and returns the outcome. */
export async function playWorkflowRun(world: SimWorld, started: StartedRun, sink: SseSink | null, signal: AbortSignal): Promise<FinishedRun> {
  const { ids, result, task, request } = started;
  const send = (payload: Record<string, unknown>): void => {
    if (sink && !sink.closed) sink.send(payload);
  };
  const sequence = world.state.runs.filter((r) => r.app_id === request.app.id).length;
  send(ev.workflowStarted(ids, started.run.inputs, sequence));
  const executions = new Map<string, { id: string; createdAt: number }>();
  let answer = '';
  for (const event of result.events) {
    if (task.stopped || signal.aborted || sink?.closed) break;
    if (event.type === 'node_started') {
      const execution = { id: randomUUID(), createdAt: world.nowSeconds() };
      executions.set(event.nodeId, execution);
      send(ev.nodeStarted(ids, event, execution.id, execution.createdAt));
    } else if (event.type === 'node_finished') {
      const t0 = world.now();
      await pause(event.latencyMs, task, signal);
      if (task.stopped) break;
      const execution = executions.get(event.nodeId) ?? { id: randomUUID(), createdAt: world.nowSeconds() };
      send(ev.nodeFinished(ids, event, execution.id, execution.createdAt, world.nowSeconds(), (world.now() - t0) / 1000));
    } else if (event.type === 'text_chunk') {
      send(ev.textChunk(ids, event.text, event.fromVariableSelector));
    } else {
      answer += event.answer;
      send(ev.message(ids, event.answer, event.fromVariableSelector));
    }
  }
  const stopped = task.stopped;
  const finished = finishRun(world, started, stopped, stopped ? answer : result.answer);
  const messageEnd = ev.messageEnd(ids, result.usage, finished.elapsedTime);
  if (request.mode === 'advanced-chat' && finished.status !== 'failed' && !world.profile.messageEndBeforeWorkflowFinished) {
    send(finished.payloads.workflowFinished);
    send(messageEnd);
  } else if (request.mode === 'advanced-chat' && finished.status !== 'failed') {
    send(messageEnd);
    send(finished.payloads.workflowFinished);
  } else {
    send(finished.payloads.workflowFinished);
    // advanced-chat turns a failed run into an error event ("Run failed: …", a ValueError).
    if (request.mode === 'advanced-chat') send(ev.errorEvent(ids, 'invalid_param', `Run failed: ${finished.error ?? ''}`, 400));
  }
  endTask(world, task);
  return finished;
}

function finishRun(world: SimWorld, started: StartedRun, stopped: boolean, answer: string): FinishedRun {
  const { run, result, request, ids } = started;
  const elapsedTime = (world.now() - started.startedAtMs) / 1000;
  const status = stopped ? 'stopped' : result.status;
  const error = stopped ? 'Stopped by user.' : result.error;
  const exceptions = result.events.filter((e) => e.type === 'node_finished' && e.status === 'exception').length;
  Object.assign(run, {
    status,
    outputs: stopped ? {} : result.outputs,
    error,
    total_tokens: result.usage.totalTokens,
    total_steps: result.totalSteps,
    elapsed_time: elapsedTime,
    finished_at: world.nowSeconds(),
    exceptions_count: exceptions,
  });
  const conversation = request.conversation;
  if (conversation && !stopped && status !== 'failed') {
    conversation.variables = { ...result.conversation };
    conversation.dialogue_count += 1;
  }
  const workflowFinished = ev.workflowFinished(ids, {
    status,
    outputs: run.outputs ?? {},
    error,
    elapsedTime,
    totalTokens: run.total_tokens,
    totalSteps: run.total_steps,
    createdBy: createdByView(request.actor),
    finishedAt: run.finished_at ?? world.nowSeconds(),
    exceptionsCount: exceptions,
  });
  return { status, outputs: run.outputs ?? {}, error, answer, elapsedTime, payloads: { workflowFinished } };
}
