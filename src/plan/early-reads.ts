// Reads that start while the app list is still arriving. As each page comes in, every listed app
// that a desired app may target is queued for reading through the observation's concurrency
// bound, so the slots are busy while the other pages load instead of waiting for the last one.
// Only the complete listing decides which app a desired app targets (findTarget); a read is used
// when it was made from that same listing entry and is dropped otherwise. Reads change nothing in
// Dify: a wasted one costs a request, no more. If the listing fails, the reads still queued are
// cancelled rather than sent, so the failure is reported without waiting on them.

import type { LimitFunction } from 'p-limit';
import type { AppSummary } from '../dify/index.js';
import type { LiveApp } from './types.js';

export interface EarlyReads {
  /** For `apps.list`'s page callback (a function property: it is passed on, detached). */
  readonly onPage: (apps: readonly AppSummary[]) => void;
  /** The read started for this listing entry, if it was started from an identical one. */
  take(summary: AppSummary): Promise<LiveApp> | undefined;
  /** Reads still waiting for a slot will not be sent; they reject. Those in flight run on. */
  cancel(): void;
  /** Resolves once every read started has ended, used or not, so none outlives the observation. */
  settled(): Promise<void>;
}

export function startEarlyReads(wanted: (summary: AppSummary) => boolean, read: (summary: AppSummary) => Promise<LiveApp>, limit: LimitFunction): EarlyReads {
  const started = new Map<string, { summary: AppSummary; live: Promise<LiveApp> }>();
  let cancelled = false;
  return {
    onPage(apps) {
      for (const summary of apps) {
        if (started.has(summary.id) || !wanted(summary)) continue;
        const live = limit(() => (cancelled ? Promise.reject(new Error('not read: the app list could not be read')) : read(summary)));
        // A read nobody takes must not become an unhandled rejection; a taken one is awaited there.
        live.catch(() => undefined);
        started.set(summary.id, { summary, live });
      }
    },
    cancel() {
      cancelled = true;
    },
    take(summary) {
      const early = started.get(summary.id);
      return early !== undefined && sameEntry(early.summary, summary) ? early.live : undefined;
    },
    async settled() {
      await Promise.allSettled([...started.values()].map((early) => early.live));
    },
  };
}

/** A page read twice (a later pass of the listing) gives equal entries as new objects. */
function sameEntry(a: AppSummary, b: AppSummary): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
