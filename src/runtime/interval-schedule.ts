// An environment's reconcile interval (policies.reconcileIntervalMs) as a node-cron schedule. Cron
// can only say "every N" when N divides the next larger unit (every 15 s, every 20 min, every
// 6 h); other intervals (90 s, 7 min, 5 h) tick at the largest step that divides both the
// interval and its unit, and run every k-th tick. Pure; times are UTC.

export interface IntervalSchedule {
  /** A six-field node-cron expression (seconds first). */
  expression: string;
  /** Run on every k-th tick of the expression (1: every tick). */
  everyTicks: number;
}

const UNITS = [
  { seconds: 1, span: 60, field: 0 },
  { seconds: 60, span: 60, field: 1 },
  { seconds: 3600, span: 24, field: 2 },
] as const;

export function intervalToSchedule(intervalMs: number): IntervalSchedule {
  const total = Math.max(1, Math.round(intervalMs / 1000));
  if (total >= 86_400) {
    // Whole days and more: midnight UTC, every k-th day (the interval rounded to days).
    return { expression: '0 0 0 * * *', everyTicks: Math.max(1, Math.round(total / 86_400)) };
  }
  // The coarsest unit that divides the interval exactly (seconds always does).
  const unit = [...UNITS].reverse().find((u) => total % u.seconds === 0) ?? UNITS[0];
  const count = total / unit.seconds;
  const step = count < unit.span && unit.span % count === 0 ? count : gcd(count, unit.span);
  const fields = ['0', '0', '0', '*', '*', '*'];
  fields[unit.field] = step === 1 ? '*' : `*/${step}`;
  for (let f = unit.field + 1; f < 3; f++) fields[f] = '*';
  return { expression: fields.join(' '), everyTicks: count / step };
}

/** Human form for logs and docs: `90s`, `10m`, `2h`. */
export function describeInterval(intervalMs: number): string {
  const s = Math.round(intervalMs / 1000);
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
