// The proof of a rotated env var or provider credential: the apps' own health checks (from their
// manifests), run through the service API with the key dify-gitops keeps for health checks
// (src/health/api-key.ts). An app without health checks passes, with a warning saying so.

import pLimit from 'p-limit';
import type { DesiredApp } from '../config/types.js';
import type { DifyClient } from '../dify/index.js';
import { ensureAppApiKey } from '../health/api-key.js';
import { runHealthChecks } from '../health/run-checks.js';

export interface AppHealth {
  app: string;
  passed: boolean;
  /** One line: which checks failed and why, or that none exist. */
  summary: string;
}

export async function checkAppHealth(options: {
  client: DifyClient;
  stateDir: string;
  desired: DesiredApp;
  appId: string;
  /** Pin workflow runs to this published version (null: whatever is live). */
  workflowId: string | null;
}): Promise<AppHealth> {
  const { client, desired } = options;
  if (desired.healthChecks.length === 0) return { app: desired.name, passed: true, summary: `${desired.name}: no health checks defined (nothing proved)` };
  const token = await ensureAppApiKey(client, options.stateDir, desired.environment, options.appId);
  const info = await client.serverInfo();
  const workflowId = info.capabilities.runWorkflowById ? options.workflowId : null;
  const report = await runHealthChecks({ service: client.service(token), checks: desired.healthChecks, workflowId, limit: pLimit(4) });
  const failed = report.checks.filter((c) => !c.passed);
  const summary = failed.length === 0
    ? `${desired.name}: ${report.checks.length} health check(s) passed`
    : `${desired.name}: ${failed.map((c) => `${c.name} ${c.summary}`).join('; ')}`;
  return { app: desired.name, passed: report.passed, summary };
}
