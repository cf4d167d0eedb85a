// "Is this rotation due?" from a cron schedule, without timers: a rotation is due when the
// schedule fired at least once after the last attempt and at or before now. Pure (the clock is an
// argument). Times are UTC. Fields combine the way node-cron combines them (every field must
// match, day of month AND day of week), so `serve`'s node-cron ticks and this agree.

import type { CronFields } from '../runtime/cron-fields.js';

/** Eight years back: enough to find a 29 February schedule from any date. */
const MAX_DAYS_BACK = 8 * 366;
const DAY_MS = 86_400_000;

/** The latest fire time of the schedule at or before `now`, or undefined if none in eight years. */
export function lastFireAtOrBefore(fields: CronFields, now: Date): Date | undefined {
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  const startOfToday = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const hours = [...fields.hour].reverse();
  const minutes = [...fields.minute].reverse();
  const seconds = [...fields.second].reverse();
  for (let back = 0; back <= MAX_DAYS_BACK; back++) {
    const dayStart = startOfToday - back * DAY_MS;
    const day = new Date(dayStart);
    if (!fields.month.includes(day.getUTCMonth() + 1)) continue;
    if (!fields.dayOfMonth.includes(day.getUTCDate())) continue;
    if (!fields.dayOfWeek.includes(day.getUTCDay())) continue;
    const bound = back === 0 ? (nowMs - dayStart) / 1000 : 86_399;
    const time = latestTimeOfDay(hours, minutes, seconds, bound);
    if (time !== undefined) return new Date(dayStart + time * 1000);
  }
  return undefined;
}

/** Largest h*3600+m*60+s ≤ bound; lists are in descending order. */
function latestTimeOfDay(hours: readonly number[], minutes: readonly number[], seconds: readonly number[], bound: number): number | undefined {
  for (const h of hours) {
    if (h * 3600 > bound) continue;
    for (const m of minutes) {
      if (h * 3600 + m * 60 > bound) continue;
      for (const s of seconds) {
        const t = h * 3600 + m * 60 + s;
        if (t <= bound) return t;
      }
    }
  }
  return undefined;
}

/** Due when the schedule fired after `since` (exclusive) and at or before `now`; always due when never attempted. */
export function scheduleFiredSince(fields: CronFields, since: Date | undefined, now: Date): { due: boolean; firedAt: Date | undefined } {
  const firedAt = lastFireAtOrBefore(fields, now);
  if (since === undefined) return { due: true, firedAt };
  return { due: firedAt !== undefined && firedAt.getTime() > since.getTime(), firedAt };
}
