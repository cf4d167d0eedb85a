// The one door to node-cron's expression parser (lint keeps node-cron inside src/runtime). Rotation
// schedules are parsed here into plain numeric fields, so that "is a rotation due" can be decided
// by a pure function (src/rotation/schedule.ts) with an injected clock, and `serve` can hand the
// same expression to node-cron's scheduler.

import { parse, validateDetailed } from 'node-cron';

/** Expanded values of each field; day of week 0–6 with 0 = Sunday, month 1–12. */
export interface CronFields {
  second: number[];
  minute: number[];
  hour: number[];
  dayOfMonth: number[];
  month: number[];
  dayOfWeek: number[];
}

export type CronParse = { ok: true; fields: CronFields } | { ok: false; problems: string[] };

/** The special day tokens node-cron understands but rotation schedules do not (L, W, #). */
const SPECIAL = /[LW#]/i;

export function parseCronExpression(expression: string): CronParse {
  const checked = validateDetailed(expression);
  if (!checked.valid) return { ok: false, problems: checked.errors.map((e) => `${e.field}: ${e.message}`) };
  const raw = parse(expression);
  const numeric = (values: readonly (number | string)[], field: string): number[] | string => {
    const bad = values.find((v) => typeof v === 'string' || SPECIAL.test(String(v)));
    return bad === undefined ? [...new Set(values as number[])].sort((a, b) => a - b) : `${field}: \`${String(bad)}\` (L, W and # are not supported in rotation schedules)`;
  };
  const dayOfMonth = numeric(raw.dayOfMonth, 'day of month');
  const dayOfWeek = numeric(raw.dayOfWeek.map((d) => (d === 7 ? 0 : d)), 'day of week');
  const problems = [dayOfMonth, dayOfWeek].filter((v): v is string => typeof v === 'string');
  if (typeof dayOfMonth === 'string' || typeof dayOfWeek === 'string') return { ok: false, problems };
  return {
    ok: true,
    fields: {
      second: [...raw.second].sort((a, b) => a - b),
      minute: [...raw.minute].sort((a, b) => a - b),
      hour: [...raw.hour].sort((a, b) => a - b),
      dayOfMonth,
      month: [...raw.month].sort((a, b) => a - b),
      dayOfWeek,
    },
  };
}
