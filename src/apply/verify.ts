// The health gates of apply, journaled like any other step. verifyDraft: the draft gate, checks
// run against the imported draft (console draft runs) before publish. verifyApp: checks against
// the version that is now live (after publish, and after every rollback). A check that cannot
// even start (no API key, Dify down) is a failed check, never a pass.

import type { LimitFunction } from 'p-limit';
import type { HealthCheck } from '../config/types.js';
import type { DifyClient } from '../dify/index.js';
import { WORKFLOW_MODES, type AppMode } from '../dsl/index.js';
import { ensureAppApiKey } from '../health/api-key.js';
import { runHealthChecks } from '../health/run-checks.js';
import { runDraftHealthChecks } from '../health/run-draft-checks.js';
import type { HealthReport } from '../health/types.js';
import type { Journal, JournalRecord } from '../state/journal.js';

export interface VerifyInput {
  client: DifyClient;
  journal: Journal;
  record: JournalRecord;
  step: string;
  stateDir: string;
  environment: string;
  appId: string;
  mode: string;
  /** The version to pin runs to; null: whatever is live. */
  workflowId: string | null;
  checks: readonly HealthCheck[];
  limit: LimitFunction;
}

export async function verifyApp(input: VerifyInput): Promise<HealthReport> {
  const { journal, record, step } = input;
  await journal.start(record, step, { checks: input.checks.map((c) => c.name), workflowId: input.workflowId });
  let report: HealthReport;
  if (input.checks.length === 0) report = { passed: true, checks: [] };
  else {
    try {
      const token = await ensureAppApiKey(input.client, input.stateDir, input.environment, input.appId);
      const canPin = (await input.client.serverInfo()).capabilities.runWorkflowById && WORKFLOW_MODES.includes(input.mode as AppMode);
      report = await runHealthChecks({ service: input.client.service(token), checks: input.checks, workflowId: canPin ? input.workflowId : null, limit: input.limit });
    } catch (error) {
      const reason = `the health checks could not run: ${error instanceof Error ? error.message : String(error)}`;
      report = { passed: false, checks: input.checks.map((c) => ({ name: c.name, passed: false, passes: 0, attempts: 0, required: c.minPasses, verdicts: [], summary: reason })) };
    }
  }
  await journal.settle(record, step, report.passed ? 'done' : 'failed', { checks: report.checks.map((c) => ({ name: c.name, passed: c.passed, summary: c.summary })) });
  return report;
}

export type DraftVerifyInput = Omit<VerifyInput, 'workflowId' | 'stateDir' | 'environment' | 'mode'>;

/** The draft gate: the same checks, run on the draft through the console debugger endpoints. */
export async function verifyDraft(input: DraftVerifyInput): Promise<HealthReport> {
  const { journal, record, step } = input;
  await journal.start(record, step, { checks: input.checks.map((c) => c.name), appId: input.appId });
  let report: HealthReport;
  if (input.checks.length === 0) report = { passed: true, checks: [] };
  else report = await runDraftHealthChecks({ drafts: input.client.drafts, appId: input.appId, checks: input.checks, limit: input.limit });
  await journal.settle(record, step, report.passed ? 'done' : 'failed', { checks: report.checks.map((c) => ({ name: c.name, passed: c.passed, summary: c.summary })) });
  return report;
}

export function describeHealth(report: HealthReport): string {
  if (report.checks.length === 0) return 'no health checks declared';
  return report.checks.map((c) => `${c.name}: ${c.passed ? 'passed' : 'FAILED'} (${c.summary})`).join('; ');
}
