// Snapshots taken before every change: the live app's full export WITH secrets (0600, never in
// git — the state directory ignores itself), plus a redacted copy that may be shown or attached to
// a report. Rollback re-imports the full copy when the server has no restore endpoint. A bounded
// number of snapshots is kept per app.

import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redactor } from '../secrets/redactor.js';
import { writeFileAtomic } from './atomic-write.js';
import { safeSegment } from './state-dir.js';

export interface SnapshotMeta {
  environment: string;
  app: string;
  appId: string;
  /** The published version live when the snapshot was taken (null: never published). */
  publishedWorkflowId: string | null;
  takenAt: string;
  /** Why: the run or operation that took it. */
  reason: string;
}

export interface SnapshotRef {
  id: string;
  /** Full export with secrets: 0600, never shown. */
  secretPath: string;
  /** Redacted export: safe to show. */
  redactedPath: string;
  metaPath: string;
}

const DEFAULT_KEEP = 20;

export class SnapshotStore {
  readonly #stateDir: string;
  readonly #redactor: Redactor;

  constructor(stateDir: string, redactor: Redactor) {
    this.#stateDir = stateDir;
    this.#redactor = redactor;
  }

  dir(environment: string, app: string): string {
    return join(this.#stateDir, 'snapshots', safeSegment(environment), safeSegment(app));
  }

  /**
   * Saves a snapshot. `secretValues` are the plaintext secrets inside `exportWithSecrets`; they are
   * registered with the redactor before anything else happens, so the redacted copy masks them.
   */
  async save(meta: SnapshotMeta, exportWithSecrets: string, secretValues: readonly string[], keep = DEFAULT_KEEP): Promise<SnapshotRef> {
    for (const value of secretValues) this.#redactor.add(value);
    const id = `${meta.takenAt.replace(/[:.]/g, '-')}-${safeSegment(meta.publishedWorkflowId ?? 'unpublished')}`;
    const ref = this.#ref(meta.environment, meta.app, id);
    await writeFileAtomic(ref.secretPath, exportWithSecrets, { mode: 0o600 });
    await writeFileAtomic(ref.redactedPath, this.#redactor.redact(exportWithSecrets), { mode: 0o600 });
    await writeFileAtomic(ref.metaPath, JSON.stringify(meta, null, 2), { mode: 0o600 });
    await this.#prune(meta.environment, meta.app, keep);
    return ref;
  }

  /**
   * Saves the app's draft beside a snapshot (full 0600 + redacted), for restoring unpublished
   * draft edits after a rollback. Secrets inside it must already be registered (see save()).
   */
  async saveDraft(ref: SnapshotRef, draftWithSecrets: string, secretValues: readonly string[]): Promise<void> {
    for (const value of secretValues) this.#redactor.add(value);
    await writeFileAtomic(draftPaths(ref).secretPath, draftWithSecrets, { mode: 0o600 });
    await writeFileAtomic(draftPaths(ref).redactedPath, this.#redactor.redact(draftWithSecrets), { mode: 0o600 });
  }

  /** The draft saved with saveDraft, or undefined when none was saved. */
  async readDraft(ref: SnapshotRef): Promise<string | undefined> {
    try {
      return await readFile(draftPaths(ref).secretPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(environment: string, app: string): Promise<{ ref: SnapshotRef; meta: SnapshotMeta }[]> {
    const dir = this.dir(environment, app);
    let files: string[];
    try {
      files = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const ids = files.filter((f) => f.endsWith('.meta.json')).map((f) => f.slice(0, -'.meta.json'.length)).sort();
    const out: { ref: SnapshotRef; meta: SnapshotMeta }[] = [];
    for (const id of ids) {
      const ref = this.#ref(environment, app, id);
      out.push({ ref, meta: JSON.parse(await readFile(ref.metaPath, 'utf8')) as SnapshotMeta });
    }
    return out;
  }

  async read(ref: SnapshotRef): Promise<{ exportWithSecrets: string; meta: SnapshotMeta }> {
    const [exportWithSecrets, meta] = await Promise.all([readFile(ref.secretPath, 'utf8'), readFile(ref.metaPath, 'utf8')]);
    return { exportWithSecrets, meta: JSON.parse(meta) as SnapshotMeta };
  }

  refFromId(environment: string, app: string, id: string): SnapshotRef {
    return this.#ref(environment, app, id);
  }

  #ref(environment: string, app: string, id: string): SnapshotRef {
    const base = join(this.dir(environment, app), id);
    return { id, secretPath: `${base}.secret.yaml`, redactedPath: `${base}.redacted.yaml`, metaPath: `${base}.meta.json` };
  }

  async #prune(environment: string, app: string, keep: number): Promise<void> {
    const all = await this.list(environment, app);
    for (const { ref } of all.slice(0, Math.max(0, all.length - keep))) {
      const draft = draftPaths(ref);
      await Promise.all([ref.secretPath, ref.redactedPath, ref.metaPath, draft.secretPath, draft.redactedPath].map((p) => rm(p, { force: true })));
    }
  }
}

function draftPaths(ref: SnapshotRef): { secretPath: string; redactedPath: string } {
  const base = ref.secretPath.slice(0, -'.secret.yaml'.length);
  return { secretPath: `${base}.draft.secret.yaml`, redactedPath: `${base}.draft.redacted.yaml` };
}
