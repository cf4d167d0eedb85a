// --state: the simulator's world on disk. Loaded once at start; written after every mutating
// request with a crash-safe atomic write (temp file + fsync + rename) and mode 0600, because the
// state holds passwords, API keys and plaintext secret env vars. Writes are coalesced: a request
// that arrives while a write is running waits for the next one, which includes its change.

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../state/atomic-write.js';
import type { SimState } from './state.js';

export interface Persister {
  save(): Promise<void>;
  /** Resolves when no write is running or queued. */
  flush(): Promise<void>;
}

export async function loadStateFile(path: string): Promise<SimState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`simulator state file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { schemaVersion?: unknown }).schemaVersion !== 1) {
    throw new Error(`simulator state file ${path} has an unknown shape (expected schemaVersion 1)`);
  }
  return parsed as SimState;
}

export function createPersister(path: string, state: SimState): Persister {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  function write(): Promise<void> {
    return writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }

  function save(): Promise<void> {
    if (queued) return queued;
    if (!running) {
      running = write().finally(() => {
        running = undefined;
      });
      return running;
    }
    const after = running.catch(() => undefined);
    queued = after.then(() => {
      queued = undefined;
      running = write().finally(() => {
        running = undefined;
      });
      return running;
    });
    return queued;
  }

  async function flush(): Promise<void> {
    while (running ?? queued) await (queued ?? running)!.catch(() => undefined);
  }

  return { save, flush };
}
