// Which secrets a run rotates, and why (pure). A secret is due when a rotation of it was left half
// done (resume always comes first), when forced, when it was never attempted, or when its cron
// schedule fired after the last attempt. The last attempt counts whatever its outcome, so a
// rotation that failed or rolled back is not retried in the same window (no retry storms); the
// next window, or --force, tries again. Running twice in one window therefore rotates once.

import type { RotationSecret } from '../config/types.js';
import type { LedgerEntry } from './ledger.js';
import { scheduleFiredSince } from './schedule.js';

export type DueReason = 'resume' | 'forced' | 'first' | 'scheduled';

export interface DueRotation {
  secret: RotationSecret;
  reason: DueReason;
  /** Why, in words, for the run's output. */
  detail: string;
}

export interface SkippedRotation {
  secret: RotationSecret;
  detail: string;
}

export interface RotationPlan {
  due: DueRotation[];
  skipped: SkippedRotation[];
}

export interface PlanRotationOptions {
  /** Only secrets of this environment. */
  environment?: string | undefined;
  /** Only these secrets (names). */
  secrets?: readonly string[] | undefined;
  /** Rotate the selected secrets whether or not they are due. */
  force?: boolean;
}

export function planRotation(
  secrets: readonly RotationSecret[],
  ledgers: ReadonlyMap<string, LedgerEntry | undefined>,
  now: Date,
  options: PlanRotationOptions = {},
): RotationPlan {
  const plan: RotationPlan = { due: [], skipped: [] };
  for (const secret of secrets) {
    if (options.environment !== undefined && secret.environment !== options.environment) continue;
    if (options.secrets !== undefined && !options.secrets.includes(secret.name)) continue;
    const entry = ledgers.get(secret.name);
    if (entry?.pending !== undefined) {
      plan.due.push({ secret, reason: 'resume', detail: `resuming at step ${entry.pending.step} (started ${entry.pending.startedAt})` });
      continue;
    }
    if (options.force === true) {
      plan.due.push({ secret, reason: 'forced', detail: 'forced' });
      continue;
    }
    if (secret.schedule === undefined) {
      plan.skipped.push({ secret, detail: 'no schedule: rotated only with --force' });
      continue;
    }
    const since = lastAttemptAt(entry);
    const fired = scheduleFiredSince(secret.schedule.fields, since, now);
    if (since === undefined) {
      plan.due.push({ secret, reason: 'first', detail: `never rotated (schedule ${secret.schedule.cron})` });
    } else if (fired.due) {
      plan.due.push({ secret, reason: 'scheduled', detail: `schedule ${secret.schedule.cron} fired at ${fired.firedAt!.toISOString()}` });
    } else {
      plan.skipped.push({ secret, detail: `last attempt ${since.toISOString()}; schedule ${secret.schedule.cron} has not fired since` });
    }
  }
  return plan;
}

/** The later of the last successful rotation and the last attempt of any outcome. */
export function lastAttemptAt(entry: LedgerEntry | undefined): Date | undefined {
  const times = [entry?.lastRotatedAt, entry?.lastAttempt?.at].filter((t): t is string => t !== undefined).map((t) => Date.parse(t));
  return times.length === 0 ? undefined : new Date(Math.max(...times));
}
