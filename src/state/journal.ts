// The apply journal: a write-ahead record of one in-flight change to one (environment, app).
// Each step is written BEFORE it runs, so after a crash or kill -9 the next apply (or `recover`)
// knows exactly how far the previous one got and can finish or roll back. A finished operation
// moves to the bounded history file; an open journal means "someone must recover this app".

import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { safeSegment } from './state-dir.js';

export type StepStatus = 'started' | 'done' | 'failed';

export interface JournalStep {
  step: string;
  status: StepStatus;
  at: string;
  /** Non-secret facts learned by the step (ids, versions, messages). */
  data?: Record<string, unknown>;
}

export interface JournalRecord {
  runId: string;
  environment: string;
  app: string;
  /** The kind of operation: apply, rollback, rotate … */
  operation: string;
  startedAt: string;
  /** Facts fixed at the start: app id, git revision, snapshot path, previous published version. */
  context: Record<string, unknown>;
  steps: JournalStep[];
  outcome?: { status: string; at: string; message?: string };
}

export interface HistoryOptions {
  /** Entries kept per app in history (oldest dropped). */
  maxEntries?: number;
}

const DEFAULT_HISTORY = 50;

export class Journal {
  readonly #stateDir: string;
  readonly #now: () => Date;

  constructor(stateDir: string, now: () => Date = () => new Date()) {
    this.#stateDir = stateDir;
    this.#now = now;
  }

  path(environment: string, app: string): string {
    return join(this.#stateDir, 'journal', safeSegment(environment), `${safeSegment(app)}.json`);
  }

  historyPath(environment: string, app: string): string {
    return join(this.#stateDir, 'history', safeSegment(environment), `${safeSegment(app)}.jsonl`);
  }

  async begin(record: Omit<JournalRecord, 'steps' | 'startedAt'>): Promise<JournalRecord> {
    const full: JournalRecord = { ...record, startedAt: this.#now().toISOString(), steps: [] };
    await this.#write(full);
    return full;
  }

  /** Records that a step is about to run (write-ahead). */
  async start(record: JournalRecord, step: string, data?: Record<string, unknown>): Promise<void> {
    record.steps.push({ step, status: 'started', at: this.#now().toISOString(), ...(data ? { data } : {}) });
    await this.#write(record);
  }

  /** Marks the most recent run of `step` done or failed, merging what it learned. */
  async settle(record: JournalRecord, step: string, status: Exclude<StepStatus, 'started'>, data?: Record<string, unknown>): Promise<void> {
    const entry = [...record.steps].reverse().find((s) => s.step === step && s.status === 'started');
    if (entry) {
      entry.status = status;
      entry.at = this.#now().toISOString();
      if (data) entry.data = { ...entry.data, ...data };
    } else {
      record.steps.push({ step, status, at: this.#now().toISOString(), ...(data ? { data } : {}) });
    }
    await this.#write(record);
  }

  /** Closes the operation: appends it to history and removes the open journal. */
  async finish(record: JournalRecord, status: string, message?: string, options: HistoryOptions = {}): Promise<void> {
    record.outcome = { status, at: this.#now().toISOString(), ...(message === undefined ? {} : { message }) };
    const historyPath = this.historyPath(record.environment, record.app);
    const previous = await this.history(record.environment, record.app);
    const kept = [...previous, record].slice(-(options.maxEntries ?? DEFAULT_HISTORY));
    await writeFileAtomic(historyPath, kept.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await rm(this.path(record.environment, record.app), { force: true });
  }

  async open(environment: string, app: string): Promise<JournalRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.path(environment, app), 'utf8')) as JournalRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Every unfinished operation in the state directory, optionally for one environment. */
  async listOpen(environment?: string): Promise<JournalRecord[]> {
    const root = join(this.#stateDir, 'journal');
    const envs = environment === undefined ? await listDir(root) : [safeSegment(environment)];
    const records: JournalRecord[] = [];
    for (const env of envs) {
      for (const file of await listDir(join(root, env))) {
        if (!file.endsWith('.json')) continue;
        records.push(JSON.parse(await readFile(join(root, env, file), 'utf8')) as JournalRecord);
      }
    }
    return records;
  }

  async history(environment: string, app: string): Promise<JournalRecord[]> {
    let text: string;
    try {
      text = await readFile(this.historyPath(environment, app), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as JournalRecord);
  }

  /** The last step that was started or settled, for recovery decisions. */
  static lastStep(record: JournalRecord): JournalStep | undefined {
    return record.steps.at(-1);
  }

  static reached(record: JournalRecord, step: string): boolean {
    return record.steps.some((s) => s.step === step);
  }

  async #write(record: JournalRecord): Promise<void> {
    await writeFileAtomic(this.path(record.environment, record.app), JSON.stringify(record, null, 2));
  }
}


async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
