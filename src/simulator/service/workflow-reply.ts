// Turns a started workflow / advanced-chat run into the HTTP reply: an SSE stream (§8.4) or the
// blocking JSON (§8.3). `exit` releases the rate-limit slot once the run has really finished.

import { invalidParam } from '../http/errors.js';
import { json, type Reply } from '../http/route.js';
import type { SimWorld } from '../world.js';
import { messageMetadata } from './workflow-events.js';
import { playWorkflowRun, type StartedRun } from './workflow-run.js';

export function workflowStreamReply(world: SimWorld, started: StartedRun, exit: () => void): Reply {
  return {
    status: 200,
    stream: async (sink) => {
      try {
        await playWorkflowRun(world, started, sink, sink.signal);
      } finally {
        exit();
      }
    },
  };
}

export async function workflowBlockingReply(world: SimWorld, started: StartedRun, signal: AbortSignal, exit: () => void): Promise<Reply> {
  let finished;
  try {
    finished = await playWorkflowRun(world, started, null, signal);
  } finally {
    exit();
  }
  const { ids, run, result } = started;
  if (started.request.mode === 'workflow') {
    return json({
      task_id: ids.taskId,
      workflow_run_id: ids.runId,
      data: {
        id: ids.runId,
        workflow_id: ids.workflowId,
        status: finished.status,
        outputs: finished.outputs,
        error: finished.error,
        elapsed_time: finished.elapsedTime,
        total_tokens: run.total_tokens,
        total_steps: run.total_steps,
        created_at: run.created_at,
        finished_at: run.finished_at,
      },
    });
  }
  // advanced-chat raises the failure in blocking mode (ValueError → 400 invalid_param).
  if (finished.status === 'failed') throw invalidParam(`Run failed: ${finished.error ?? ''}`);
  return json({
    event: 'message',
    task_id: ids.taskId,
    id: ids.messageId,
    message_id: ids.messageId,
    conversation_id: ids.conversationId,
    mode: 'advanced-chat',
    answer: finished.answer,
    metadata: messageMetadata(result.usage, finished.elapsedTime),
    created_at: ids.createdAt,
  });
}
