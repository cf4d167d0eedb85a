// Health checks against the DRAFT of a workflow or advanced-chat app, before anything is
// published: each attempt is a console debugger run (contract §6.8, always SSE), folded like a
// streamed service-API run and judged by the same assess.ts as the checks after publish, so a
// check means the same thing at both gates. Chat, agent-chat and completion apps have no draft.

import type { LimitFunction } from 'p-limit';
import type { HealthCheck } from '../config/types.js';
import type { DraftsApi } from '../dify/index.js';
import { WORKFLOW_MODES, type AppMode } from '../dsl/index.js';
import { collectEvents } from './collect-events.js';
import { runAttempts } from './run-checks.js';
import type { HealthReport } from './types.js';

export interface RunDraftChecksInput {
  drafts: DraftsApi;
  appId: string;
  checks: readonly HealthCheck[];
  limit: LimitFunction;
  clock?: () => number;
}

/** True for the modes whose draft can be run (workflow, advanced-chat). */
export function hasDraftRun(mode: string): boolean {
  return WORKFLOW_MODES.includes(mode as AppMode);
}

export async function runDraftHealthChecks(input: RunDraftChecksInput): Promise<HealthReport> {
  const { drafts, appId } = input;
  return runAttempts(
    input.checks,
    input.limit,
    async (check) => {
      if (check.mode === 'workflow') return collectEvents(await drafts.run(appId, { inputs: check.inputs }));
      if (check.mode === 'advanced-chat') return collectEvents(await drafts.runAdvancedChat(appId, { query: check.query ?? '', inputs: check.inputs }));
      throw new Error(`a ${check.mode} app has no draft to run`);
    },
    input.clock,
  );
}
