import { describe, expect, it } from 'vitest';
import { createLane, type Trigger } from '../../src/runtime/lane.js';

const tick = (label: string): Trigger => ({ source: 'schedule', label });
const push = (label: string): Trigger => ({ source: 'webhook', label });

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

function recordingLane() {
  const runs: { targets: string[]; reasons: string[] }[] = [];
  const gates: ReturnType<typeof gate>[] = [];
  let aborted = 0;
  const lane = createLane<number>({
    name: 'test',
    async run(targets, signal, reasons) {
      runs.push({ targets, reasons });
      const g = gate();
      gates.push(g);
      signal.addEventListener('abort', () => aborted++);
      await g.wait;
      return runs.length;
    },
  });
  return { lane, runs, gates, aborted: () => aborted };
}

describe('lane', () => {
  it('starts at once when idle', async () => {
    const { lane, runs, gates } = recordingLane();
    expect(lane.request(['dev'], tick('a'))).toBe('started');
    expect(runs).toEqual([{ targets: ['dev'], reasons: ['a'] }]);
    gates[0]!.open();
    await lane.idle();
    expect(lane.busy).toBe(false);
  });

  it('skips and counts a scheduled tick for the target already running', async () => {
    const { lane, runs, gates } = recordingLane();
    lane.request(['dev'], tick('a'));
    expect(lane.request(['dev'], tick('b'))).toBe('skipped');
    expect(lane.skipped).toBe(1);
    gates[0]!.open();
    await lane.idle();
    expect(runs).toHaveLength(1);
  });

  it('queues a tick for another target behind the run, and merges later requests into that one follow-up', async () => {
    const { lane, runs, gates } = recordingLane();
    lane.request(['dev'], tick('dev tick'));
    expect(lane.request(['prod'], tick('prod tick'))).toBe('queued');
    expect(lane.request(['staging'], tick('staging tick'))).toBe('coalesced');
    gates[0]!.open();
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs[1]).toEqual({ targets: ['prod', 'staging'], reasons: ['prod tick', 'staging tick'] });
    gates[1]!.open();
    await lane.idle();
    expect(runs).toHaveLength(2);
  });

  it('turns a burst of webhook pushes during a run into exactly one follow-up run of everything', async () => {
    const { lane, runs, gates } = recordingLane();
    expect(lane.request([], push('p0'))).toBe('started');
    const outcomes = Array.from({ length: 99 }, (_, i) => lane.request([], push(`p${i + 1}`)));
    expect(outcomes[0]).toBe('queued');
    expect(new Set(outcomes.slice(1))).toEqual(new Set(['coalesced']));
    gates[0]!.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toHaveLength(2);
    expect(runs[1]!.targets).toEqual([]);
    gates[1]!.open();
    await lane.idle();
    expect(runs).toHaveLength(2);
  });

  it('a push during a run of the same target still gets a follow-up (new commits), unlike a tick', async () => {
    const { lane, runs, gates } = recordingLane();
    lane.request([], tick('all'));
    expect(lane.request([], push('new commit'))).toBe('queued');
    gates[0]!.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toHaveLength(2);
    gates[1]!.open();
    await lane.idle();
  });

  it('close aborts the run in flight, drops the follow-up, waits for the run, and refuses new work', async () => {
    const { lane, runs, gates, aborted } = recordingLane();
    lane.request(['dev'], tick('a'));
    lane.request(['prod'], tick('b'));
    let closed = false;
    const closing = lane.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(aborted()).toBe(1);
    expect(closed).toBe(false);
    gates[0]!.open();
    await closing;
    expect(runs).toHaveLength(1);
    expect(lane.request(['dev'], push('late'))).toBe('closed');
  });

  it('a run that throws is reported and the lane keeps going', async () => {
    const settled: boolean[] = [];
    let calls = 0;
    const lane = createLane<void>({
      name: 'failing',
      run: () => (++calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve()),
      onSettled: (run) => settled.push(run.ok),
    });
    lane.request([], tick('1'));
    await lane.idle();
    lane.request([], tick('2'));
    await lane.idle();
    expect(settled).toEqual([false, true]);
  });
});
