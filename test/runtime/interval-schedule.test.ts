import { describe, expect, it } from 'vitest';
import { parseCronExpression } from '../../src/runtime/cron-fields.js';
import { describeInterval, intervalToSchedule } from '../../src/runtime/interval-schedule.js';

describe('intervalToSchedule', () => {
  it.each([
    [1_000, '* * * * * *', 1],
    [15_000, '*/15 * * * * *', 1],
    [7_000, '* * * * * *', 7],
    [90_000, '*/30 * * * * *', 3],
    [60_000, '0 * * * * *', 1],
    [600_000, '0 */10 * * * *', 1],
    [420_000, '0 * * * * *', 7],
    [5_400_000, '0 */30 * * * *', 3],
    [3_600_000, '0 0 * * * *', 1],
    [21_600_000, '0 0 */6 * * *', 1],
    [18_000_000, '0 0 * * * *', 5],
    [172_800_000, '0 0 0 * * *', 2],
  ])('%i ms → %s, every %i tick(s)', (ms, expression, everyTicks) => {
    const schedule = intervalToSchedule(ms);
    expect(schedule).toEqual({ expression, everyTicks });
    expect(parseCronExpression(schedule.expression).ok).toBe(true);
  });

  it('ticks × period equals the interval for every whole second up to a day', () => {
    for (let s = 1; s <= 86_400; s += 37) {
      const { expression, everyTicks } = intervalToSchedule(s * 1000);
      const parsed = parseCronExpression(expression);
      if (!parsed.ok) throw new Error(expression);
      const f = parsed.fields;
      // The period of an evenly stepped expression: the step of the finest non-fixed field.
      const period = f.second.length > 1 ? 60 / f.second.length : f.minute.length > 1 ? 3600 / f.minute.length : f.hour.length > 1 ? 86_400 / f.hour.length : 86_400;
      expect(period * everyTicks).toBe(s);
    }
  });

  it('describes intervals for logs', () => {
    expect([describeInterval(90_000), describeInterval(600_000), describeInterval(7_200_000)]).toEqual(['90s', '10m', '2h']);
  });
});
