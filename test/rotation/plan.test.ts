// The pure core: cron parsing (node-cron's parser), the last fire time at or before now (UTC), and
// planRotation's due / not-due decisions with plain data.

import { describe, expect, it } from 'vitest';
import type { RotationSecret } from '../../src/config/types.js';
import { newLedgerEntry, type LedgerEntry } from '../../src/rotation/ledger.js';
import { lastFireAtOrBefore, planRotation } from '../../src/rotation/index.js';
import { parseCronExpression, type CronFields } from '../../src/runtime/cron-fields.js';

function fields(cron: string): CronFields {
  const parsed = parseCronExpression(cron);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.fields;
}

const at = (iso: string): Date => new Date(iso);

describe('parseCronExpression', () => {
  it('accepts 5 and 6 fields, names and steps', () => {
    expect(fields('0 3 * * 1')).toMatchObject({ second: [0], minute: [0], hour: [3], dayOfWeek: [1] });
    expect(fields('*/20 * * * * *').second).toEqual([0, 20, 40]);
    expect(fields('0 0 * * SUN,7').dayOfWeek).toEqual([0]);
    expect(fields('0 0 1 jan,jul *').month).toEqual([1, 7]);
  });

  it('explains what is wrong, and refuses the L / W / # day tokens', () => {
    expect(parseCronExpression('61 * * * *')).toEqual({ ok: false, problems: ['minute: 61 is a invalid expression for minute'] });
    const special = parseCronExpression('0 0 L * *');
    expect(special.ok).toBe(false);
    expect(special.ok ? '' : special.problems[0]).toMatch(/day of month: `L` \(L, W and # are not supported/);
    expect(parseCronExpression('0 0 * * 5#2').ok).toBe(false);
  });
});

describe('lastFireAtOrBefore (UTC)', () => {
  it.each([
    ['0 3 * * 1', '2026-05-13T12:00:00Z', '2026-05-11T03:00:00.000Z'], // Wednesday → Monday 03:00
    ['0 3 * * 1', '2026-05-11T03:00:00Z', '2026-05-11T03:00:00.000Z'], // exactly at the fire time
    ['0 3 * * 1', '2026-05-11T02:59:59Z', '2026-05-04T03:00:00.000Z'],
    ['*/15 * * * *', '2026-05-13T12:44:59Z', '2026-05-13T12:30:00.000Z'],
    ['30 10 * * * *', '2026-05-13T12:44:59Z', '2026-05-13T12:10:30.000Z'],
    ['0 0 29 2 *', '2027-06-01T00:00:00Z', '2024-02-29T00:00:00.000Z'], // leap day, years back
    ['0 12 1 * 1', '2026-07-01T00:00:00Z', '2026-06-01T12:00:00.000Z'], // day of month AND day of week (node-cron)
  ])('%s at %s fired last at %s', (cron, now, expected) => {
    expect(lastFireAtOrBefore(fields(cron), at(now))?.toISOString()).toBe(expected);
  });

  it('is undefined for a schedule that never fires (which node-cron refuses anyway)', () => {
    expect(parseCronExpression('0 0 31 2 *').ok).toBe(false);
    expect(lastFireAtOrBefore({ ...fields('0 0 * * *'), dayOfMonth: [31], month: [2] }, at('2026-05-13T00:00:00Z'))).toBeUndefined();
  });
});

describe('planRotation', () => {
  const weekly: RotationSecret = {
    name: 'weekly',
    kind: 'appApiKey',
    environment: 'prod',
    app: 'a',
    sinks: [],
    gracePeriodMs: 0,
    quietPeriodMs: 0,
    maxWaitMs: 0,
    schedule: { cron: '0 3 * * 1', fields: fields('0 3 * * 1') },
  };
  const onDemand: RotationSecret = { ...weekly, name: 'manual', schedule: undefined };
  const stagingKey: RotationSecret = { ...weekly, name: 'staging-key', environment: 'staging' };
  const entry = (patch: Partial<LedgerEntry>): LedgerEntry => ({ ...newLedgerEntry(weekly, 'salt'), ...patch });
  const now = at('2026-05-13T12:00:00Z');

  it('is due when never attempted, and again only after the schedule fires', () => {
    const ledgers = new Map<string, LedgerEntry | undefined>([['weekly', undefined]]);
    expect(planRotation([weekly], ledgers, now).due.map((d) => d.reason)).toEqual(['first']);
    ledgers.set('weekly', entry({ lastRotatedAt: '2026-05-11T03:05:00Z', lastAttempt: { at: '2026-05-11T03:05:00Z', outcome: 'rotated' } }));
    const plan = planRotation([weekly], ledgers, now);
    expect(plan.due).toEqual([]);
    expect(plan.skipped[0]!.detail).toBe('last attempt 2026-05-11T03:05:00.000Z; schedule 0 3 * * 1 has not fired since');
    const nextWeek = planRotation([weekly], ledgers, at('2026-05-18T03:00:00Z'));
    expect(nextWeek.due[0]).toMatchObject({ reason: 'scheduled', detail: 'schedule 0 3 * * 1 fired at 2026-05-18T03:00:00.000Z' });
  });

  it('does not retry a failed or rolled-back attempt in the same window', () => {
    const ledgers = new Map([['weekly', entry({ lastRotatedAt: '2026-05-04T03:00:01Z', lastAttempt: { at: '2026-05-12T09:00:00Z', outcome: 'rolled-back' } })]]);
    expect(planRotation([weekly], ledgers, now).due).toEqual([]);
  });

  it('always resumes a half-done rotation, even unscheduled and unforced', () => {
    const ledgers = new Map([['manual', entry({ secret: 'manual', pending: { step: 'set', versionId: 'k2', startedAt: '2026-05-13T11:00:00Z', data: {} } })]]);
    expect(planRotation([onDemand], ledgers, now).due[0]).toMatchObject({ reason: 'resume', detail: 'resuming at step set (started 2026-05-13T11:00:00Z)' });
  });

  it('rotates an unscheduled secret only when forced, and filters by environment and name', () => {
    const ledgers = new Map<string, LedgerEntry | undefined>();
    expect(planRotation([onDemand], ledgers, now)).toMatchObject({ due: [], skipped: [{ detail: 'no schedule: rotated only with --force' }] });
    expect(planRotation([onDemand], ledgers, now, { force: true }).due[0]!.reason).toBe('forced');
    const all = [weekly, onDemand, stagingKey];
    expect(planRotation(all, ledgers, now, { environment: 'staging', force: true }).due.map((d) => d.secret.name)).toEqual(['staging-key']);
    expect(planRotation(all, ledgers, now, { secrets: ['manual'], force: true }).due.map((d) => d.secret.name)).toEqual(['manual']);
  });
});
