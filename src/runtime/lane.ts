// One lane of work (reconcile, or rotation): runs never overlap. A request while a run is in
// flight either joins the one follow-up run (its targets are merged in; a burst of webhooks
// becomes at most one more run) or, when every target it names is already running or queued, is
// skipped and counted (a cron tick for an environment still being reconciled). No timers here:
// the clock and the work are the caller's, so this is tested with plain promises.

export type LaneOutcome = 'started' | 'queued' | 'coalesced' | 'skipped' | 'closed';

/** Why a run was asked for. Only scheduled ticks are skipped when their target is already running. */
export interface Trigger {
  source: 'schedule' | 'webhook' | 'startup';
  label: string;
}

export interface LaneOptions<T> {
  name: string;
  run(targets: string[], signal: AbortSignal, reasons: string[]): Promise<T>;
  /** Called for every request, with what became of it. */
  onRequest?(outcome: LaneOutcome, targets: string[], trigger: Trigger): void;
  onSettled?(run: { targets: string[]; reasons: string[]; ms: number } & ({ ok: true; result: T } | { ok: false; error: unknown })): void;
  now?: () => number;
}

export interface Lane {
  readonly name: string;
  /** `targets` empty = every target. */
  request(targets: readonly string[], trigger: Trigger): LaneOutcome;
  readonly busy: boolean;
  readonly runs: number;
  readonly skipped: number;
  /** Stop taking requests, drop the queued follow-up, abort the run in flight; resolves when it has finished. */
  close(): Promise<void>;
  /** Resolves when nothing is running or queued. */
  idle(): Promise<void>;
}

const ALL = '*';

export function createLane<T>(options: LaneOptions<T>): Lane {
  const now = options.now ?? (() => Date.now());
  const controller = new AbortController();
  let running: Set<string> | undefined;
  let pending: { targets: Set<string>; reasons: string[] } | undefined;
  let current: Promise<void> = Promise.resolve();
  let closed = false;
  let runs = 0;
  let skipped = 0;
  const idleWaiters: (() => void)[] = [];

  const covers = (set: Set<string> | undefined, targets: string[]): boolean =>
    set !== undefined && (set.has(ALL) || (targets.length > 0 && targets.every((t) => set.has(t))));

  function start(targets: Set<string>, reasons: string[]): void {
    running = targets;
    runs++;
    const list = targets.has(ALL) ? [] : [...targets].sort();
    const began = now();
    current = (async () => {
      try {
        const result = await options.run(list, controller.signal, reasons);
        options.onSettled?.({ targets: list, reasons, ms: now() - began, ok: true, result });
      } catch (error) {
        options.onSettled?.({ targets: list, reasons, ms: now() - began, ok: false, error });
      }
      running = undefined;
      const next = pending;
      pending = undefined;
      if (next !== undefined && !closed) start(next.targets, next.reasons);
      else for (const wake of idleWaiters.splice(0)) wake();
    })();
  }

  return {
    name: options.name,
    request(targetsIn, trigger) {
      const reason = trigger.label;
      const targets = [...targetsIn];
      const set = new Set(targets.length === 0 ? [ALL] : targets);
      let outcome: LaneOutcome;
      if (closed) outcome = 'closed';
      else if (running === undefined) {
        start(set, [reason]);
        outcome = 'started';
      } else if (trigger.source === 'schedule' && covers(running, targets)) {
        // A tick for what is running now: the run in flight is that tick's work. Counted, not queued.
        skipped++;
        outcome = 'skipped';
      } else if (pending === undefined) {
        pending = { targets: set, reasons: [reason] };
        outcome = 'queued';
      } else {
        for (const t of set) pending.targets.add(t);
        if (pending.targets.has(ALL)) pending.targets = new Set([ALL]);
        pending.reasons.push(reason);
        outcome = 'coalesced';
      }
      options.onRequest?.(outcome, targets, trigger);
      return outcome;
    },
    get busy() {
      return running !== undefined;
    },
    get runs() {
      return runs;
    },
    get skipped() {
      return skipped;
    },
    async close() {
      closed = true;
      pending = undefined;
      controller.abort(new Error(`${options.name}: shutting down`));
      await current;
    },
    idle() {
      return running === undefined ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
