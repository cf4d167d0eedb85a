// Chat, agent-chat and completion apps (no workflow): their live model_config answers through the
// stub model. Provider problems are raised before any stream (plain JSON 400); a model
// invocation failure is 400 completion_request_error in blocking mode and an `error` event in a
// stream. agent-chat streams agent_thought + agent_message instead of message.

import { randomUUID } from 'node:crypto';
import { variablesFromUserInputForm, validateInputs } from '../engine/inputs.js';
import { runModelConfig } from '../engine/model-config-run.js';
import type { ModelConfigRunResult } from '../engine/types.js';
import { difyError, invalidParam } from '../http/errors.js';
import { json, type Reply } from '../http/route.js';
import { unavailableProviders } from '../providers.js';
import type { SimApp, SimConversation } from '../state.js';
import type { SimWorld } from '../world.js';
import { saveConversation } from './conversations.js';
import { endTask, pause, startTask, type RunTask } from './runtime.js';
import { messageMetadata } from './workflow-events.js';

export const APP_UNAVAILABLE = 'App unavailable, please check your app configurations.';

export interface ChatRunRequest {
  app: SimApp;
  mode: 'chat' | 'agent-chat' | 'completion';
  rawInputs: unknown;
  query: string;
  streaming: boolean;
  /** chat / agent-chat only. */
  conversation: SimConversation | null;
  signal: AbortSignal;
}

interface Ids {
  taskId: string;
  messageId: string;
  conversationId: string | null;
  createdAt: number;
}

/** Runs the app and builds its reply; `exit` releases the rate-limit slot when the run is over. */
export async function chatReply(world: SimWorld, request: ChatRunRequest, exit: () => void): Promise<Reply> {
  const config = request.app.model_config;
  if (!config) throw difyError(400, 'app_unavailable', APP_UNAVAILABLE);
  if (request.mode === 'agent-chat' && !request.streaming) throw invalidParam('Agent Chat App does not support blocking mode');
  const checked = validateInputs(variablesFromUserInputForm(config.user_input_form), request.rawInputs);
  if (!checked.ok) throw invalidParam(checked.message);
  const result = runModelConfig({
    mode: request.mode,
    modelConfig: config,
    inputs: checked.inputs,
    query: request.query,
    unavailableProviders: unavailableProviders(world.state),
  });
  if (result.error?.code === 'provider_not_initialize') throw difyError(400, 'provider_not_initialize', result.error.message);
  if (request.conversation) saveConversation(world, request.conversation);
  const task = startTask(world, request.app.id);
  const ids: Ids = { taskId: task.id, messageId: randomUUID(), conversationId: request.conversation?.id ?? null, createdAt: world.nowSeconds() };
  const started = world.now();
  if (!request.streaming) {
    try {
      await pause(result.latencyMs, task, request.signal);
    } finally {
      endTask(world, task);
      exit();
    }
    if (result.error) throw difyError(400, result.error.code, result.error.message);
    if (request.conversation) request.conversation.dialogue_count += 1;
    return json({
      event: 'message',
      task_id: ids.taskId,
      id: ids.messageId,
      message_id: ids.messageId,
      ...(ids.conversationId === null ? {} : { conversation_id: ids.conversationId }),
      mode: request.mode,
      answer: task.stopped ? '' : result.answer,
      metadata: messageMetadata(result.usage, (world.now() - started) / 1000),
      created_at: ids.createdAt,
    });
  }
  return {
    status: 200,
    stream: async (sink) => {
      try {
        await streamChat(world, request, result, ids, task, sink.send.bind(sink), sink.signal);
      } finally {
        endTask(world, task);
        exit();
      }
    },
  };
}

async function streamChat(
  world: SimWorld,
  request: ChatRunRequest,
  result: ModelConfigRunResult,
  ids: Ids,
  task: RunTask,
  send: (payload: unknown) => boolean,
  signal: AbortSignal,
): Promise<void> {
  const envelope = (event: string): Record<string, unknown> =>
    ids.conversationId === null
      ? { event, message_id: ids.messageId, created_at: ids.createdAt }
      : { event, conversation_id: ids.conversationId, message_id: ids.messageId, created_at: ids.createdAt };
  const started = world.now();
  const agent = request.mode === 'agent-chat';
  const thoughtId = randomUUID();
  const thought = (text: string): Record<string, unknown> => ({
    ...envelope('agent_thought'),
    task_id: ids.taskId,
    id: thoughtId,
    position: 1,
    thought: text,
    observation: '',
    tool: '',
    tool_labels: {},
    tool_input: '',
    message_files: [],
  });
  if (agent) send(thought(''));
  await pause(result.latencyMs, task, signal);
  if (signal.aborted) return;
  if (result.error && !task.stopped) {
    const { event, ...ids2 } = envelope('error');
    send({ event, ...ids2, code: result.error.code, message: result.error.message, status: 400 });
    return;
  }
  if (!task.stopped) {
    const chunk = agent
      ? { ...envelope('agent_message'), task_id: ids.taskId, id: ids.messageId, answer: result.answer }
      : { ...envelope('message'), task_id: ids.taskId, id: ids.messageId, answer: result.answer, from_variable_selector: null };
    send(chunk);
    if (agent) send(thought(result.answer));
    if (request.conversation) request.conversation.dialogue_count += 1;
  }
  send({
    ...envelope('message_end'),
    task_id: ids.taskId,
    id: ids.messageId,
    metadata: messageMetadata(result.usage, (world.now() - started) / 1000),
    files: [],
  });
}
