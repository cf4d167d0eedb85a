// Pure decisions of reconcile: heal attempts (one per revision, backoff, retry), exit codes.

import { describe, expect, it } from 'vitest';
import { backoffMs, exitCodeOf, healDecision, worstOf } from '../../src/reconcile/decide.js';

const BACKOFF = { baseMs: 60_000, maxMs: 3_600_000 };
const T0 = new Date('2025-01-01T00:00:00Z');

describe('healDecision', () => {
  it('attempts when nothing failed, skips the failed revision, retries on request', () => {
    expect(healDecision(undefined, 'r1|d', false, T0, BACKOFF)).toEqual({ kind: 'attempt' });
    const failed = { failures: 1, lastFailureAt: T0.toISOString(), failedRevision: 'r1|d', lastError: 'rolled back' };
    expect(healDecision(failed, 'r1|d', false, new Date(T0.getTime() + 86_400_000), BACKOFF).kind).toBe('failed-revision');
    expect(healDecision(failed, 'r1|d', true, T0, BACKOFF)).toEqual({ kind: 'attempt' });
  });

  it('waits base × 2^(n-1) before trying a new revision, capped', () => {
    const failed = { failures: 3, lastFailureAt: T0.toISOString(), failedRevision: 'r1|d', lastError: 'x' };
    const early = healDecision(failed, 'r2|e', false, new Date(T0.getTime() + 239_000), BACKOFF);
    expect(early.kind).toBe('backoff');
    expect(early.kind === 'backoff' && early.until.toISOString()).toBe('2025-01-01T00:04:00.000Z');
    expect(healDecision(failed, 'r2|e', false, new Date(T0.getTime() + 240_000), BACKOFF)).toEqual({ kind: 'attempt' });
    expect(backoffMs(1, BACKOFF)).toBe(60_000);
    expect(backoffMs(20, BACKOFF)).toBe(3_600_000);
  });
});

describe('exit codes', () => {
  it('rank needs-human over rolled back over error over drift over ok', () => {
    expect(worstOf([0, 2, 1])).toBe(1);
    expect(worstOf([2, 3, 1])).toBe(3);
    expect(worstOf([3, 4])).toBe(4);
    expect(worstOf([0, 2])).toBe(2);
    expect(worstOf([])).toBe(0);
    expect(exitCodeOf('draft-only-drift')).toBe(0);
    expect(exitCodeOf('adopted')).toBe(2);
    expect(exitCodeOf('skipped-failed-revision')).toBe(4);
    expect(exitCodeOf('heal-failed', true)).toBe(4);
    expect(exitCodeOf('heal-failed')).toBe(1);
  });
});
