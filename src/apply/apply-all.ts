// apply for a selection of apps: first finish or roll back anything an earlier run left open in
// the selected environments (recovery), then plan (or load the saved plan), refuse if any entry
// is blocked, then apply each app with changes (in parallel up to --concurrency; each app holds
// its own lock). The exit code is the worst outcome: 4 needs a human, 3 rolled back, 1 error.

import pLimit from 'p-limit';
import type { DesiredApp, LoadedRepository } from '../config/types.js';
import { ExitCode } from '../exit-codes.js';
import { fetchPlan } from '../plan/fetch-plan.js';
import type { Plan, PlanRevision } from '../plan/types.js';
import { applyApp } from './apply-app.js';
import { recoverOpen } from './recover-all.js';
import { createSessions, type SessionDeps } from './session-factory.js';
import type { AppApplyResult } from './types.js';

export interface ApplyAllDeps extends SessionDeps {
  revision: PlanRevision;
}

export interface ApplyAllResult {
  plan: Plan;
  recovered: AppApplyResult[];
  results: AppApplyResult[];
  exitCode: ExitCode;
  /** Set when apply refused to start (blocked plan). */
  refused?: string;
}

const SEVERITY: Record<number, number> = { [ExitCode.Ok]: 0, [ExitCode.Error]: 1, [ExitCode.RolledBack]: 2, [ExitCode.NeedsHuman]: 3 };

export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
  return codes.reduce<ExitCode>((worst, code) => ((SEVERITY[code] ?? 3) > (SEVERITY[worst] ?? 0) ? code : worst), ExitCode.Ok);
}

export async function applyAll(repo: LoadedRepository, desired: readonly DesiredApp[], savedPlan: Plan | undefined, deps: ApplyAllDeps): Promise<ApplyAllResult> {
  const sessions = await createSessions(repo.root, deps);
  const sessionFor = (environment: Parameters<typeof sessions.sessionFor>[0]) => sessions.sessionFor(environment);
  const environments = [...new Set(desired.map((d) => d.environment))].map((name) => repo.environments.find((e) => e.name === name)!);

  // 1. Anything left open by an earlier run comes first.
  const recovered = await recoverOpen(environments, desired, sessions, deps);
  if (recovered.some((r) => r.exitCode === ExitCode.NeedsHuman)) {
    const plan: Plan = { formatVersion: 1, createdAt: deps.now().toISOString(), revision: deps.revision, servers: {}, entries: [] };
    return { plan, recovered, results: [], exitCode: ExitCode.NeedsHuman, refused: 'an interrupted earlier run could not be recovered; nothing new was applied' };
  }

  // 2. The plan: saved, or made now.
  const plan = savedPlan ?? (await fetchPlan(repo, desired, { connect: deps.connect, stateDir: deps.stateDir, concurrency: deps.concurrency, now: deps.now, revision: deps.revision })).plan;
  const blocked = plan.entries.filter((e) => e.blocked && (e.changes || e.action === 'replace-required' || e.action === 'error'));
  if (blocked.length > 0) {
    const refused = `apply refuses: ${blocked.map((e) => `${e.environment}/${e.app} (${e.action}: ${e.findings.filter((f) => f.severity === 'error').map((f) => f.message).join('; ') || e.notes.join('; ') || e.summary})`).join('; ')}`;
    return { plan, recovered, results: [], exitCode: worstExitCode([ExitCode.Error, ...recovered.map((r) => r.exitCode)]), refused };
  }

  // 3. Apply every entry with changes.
  const limit = pLimit(deps.concurrency);
  const work = plan.entries.filter((e) => e.changes);
  const results = await Promise.all(
    work.map((entry) =>
      limit(async (): Promise<AppApplyResult> => {
        const app = desired.find((d) => d.environment === entry.environment && d.name === entry.app);
        if (app === undefined) {
          return { environment: entry.environment, app: entry.app, appId: entry.appId, action: entry.action, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: 'the plan names an app the repository no longer has' };
        }
        if (app.policies.suspend) return { environment: entry.environment, app: entry.app, appId: entry.appId, action: entry.action, outcome: 'skipped', exitCode: ExitCode.Ok, message: 'suspended (policies.suspend)' };
        const environment = repo.environments.find((e) => e.name === entry.environment)!;
        try {
          return await applyApp(await sessionFor(environment), { desired: app, planned: entry, strict: savedPlan !== undefined, revision: deps.revision });
        } catch (error) {
          // Errors before any change (lock held, Dify unreachable while re-reading).
          return { environment: entry.environment, app: entry.app, appId: entry.appId, action: entry.action, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: error instanceof Error ? error.message : String(error) };
        }
      }),
    ),
  );
  return { plan, recovered, results, exitCode: worstExitCode([...recovered, ...results].map((r) => r.exitCode)) };
}
