// drift policy `heal`: re-apply git through apply's own path (lock, journal, snapshot, import,
// publish, health checks, rollback) — applyApp — after the one-attempt-per-revision and backoff
// rules allow it, and record the attempt's outcome for the next run.

import type { DesiredApp } from '../config/types.js';
import { applyApp } from '../apply/apply-app.js';
import type { ApplySession } from '../apply/session.js';
import type { PlanEntry, PlanRevision } from '../plan/types.js';
import { healDecision, type Backoff } from './decide.js';
import type { HealAttempts } from './memory.js';
import type { ReconcileStatus } from './types.js';

export interface HealInput {
  desired: DesiredApp;
  entry: PlanEntry;
  revision: PlanRevision;
  /** `<revision>|<git digest>`: the unit of "one attempt". */
  revisionKey: string;
  previous: HealAttempts | undefined;
  retryFailed: boolean;
  now: Date;
  backoff: Backoff;
  session: () => Promise<ApplySession>;
}

export interface HealOutcome {
  status: ReconcileStatus;
  detail: string;
  /** The heal attempts to remember (undefined: none outstanding). */
  heal: HealAttempts | undefined;
  needsHuman: boolean;
}

export async function healApp(input: HealInput): Promise<HealOutcome> {
  const decision = healDecision(input.previous, input.revisionKey, input.retryFailed, input.now, input.backoff);
  if (decision.kind === 'failed-revision') return { status: 'skipped-failed-revision', detail: decision.detail, heal: input.previous, needsHuman: true };
  if (decision.kind === 'backoff') return { status: 'drift', detail: `${input.entry.summary}; ${decision.detail}`, heal: input.previous, needsHuman: false };

  let result;
  try {
    result = await applyApp(await input.session(), { desired: input.desired, planned: input.entry, strict: false, revision: input.revision });
  } catch (error) {
    // Before any change: lock held by another run, Dify unreachable while re-reading.
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'heal-failed', detail: message, heal: failed(input, message, false), needsHuman: false };
  }
  switch (result.outcome) {
    case 'applied':
    case 'recovered':
      return { status: 'healed', detail: `${input.entry.summary}; ${result.message}`, heal: undefined, needsHuman: false };
    case 'no-op':
      return { status: 'in-sync', detail: result.message, heal: undefined, needsHuman: false };
    case 'skipped':
      return { status: 'suspended', detail: result.message, heal: input.previous, needsHuman: false };
    case 'rolled-back':
      return { status: 'rolled-back', detail: result.message, heal: failed(input, result.message, true), needsHuman: false };
    case 'needs-human':
      return { status: 'heal-failed', detail: `${result.message}${result.live === undefined ? '' : ` (live: ${result.live})`}`, heal: failed(input, result.message, true), needsHuman: true };
    case 'failed-before-change':
      return { status: 'heal-failed', detail: result.message, heal: failed(input, result.message, false), needsHuman: false };
  }
}

/** A heal that ran and failed blocks its revision; a failure before any change only backs off. */
function failed(input: HealInput, message: string, blocksRevision: boolean): HealAttempts {
  return {
    failures: (input.previous?.failures ?? 0) + 1,
    lastFailureAt: input.now.toISOString(),
    failedRevision: blocksRevision ? input.revisionKey : (input.previous?.failedRevision ?? null),
    lastError: firstLine(message),
  };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
