// The rotation ledger: one JSON file per rotated secret in the state directory
// (`rotation/<name>.json`, 0600, written atomically). It records the AWS-style labels —
// current, pending (with the step it reached) and previous — as version ids, never values:
// Dify key ids, Dify credential ids, or a salted HMAC of an env-var / credential value. A run
// writes the pending step BEFORE doing it, so a crash at any point leaves enough to resume.

import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RotationKind, RotationSecret } from '../config/types.js';
import { DifyGitopsError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import { safeSegment } from '../state/state-dir.js';

export type RotationStep = 'create' | 'set' | 'test' | 'finish';

export type AttemptOutcome = 'rotated' | 'rolled-back' | 'failed' | 'unchanged' | 'needs-human';

export interface VersionRecord {
  versionId: string;
  createdAt: string;
}

/** Non-secret facts a step learned (ids, names, times), for the steps after it. */
export type PendingData = Record<string, string | number | boolean | null>;

export interface PendingRecord {
  /** Absent only while `create` has not yet learned the new version's id. */
  versionId?: string;
  /** The step to run next (written before it runs). */
  step: RotationStep;
  startedAt: string;
  data: PendingData;
}

export interface LedgerEntry {
  schemaVersion: 1;
  secret: string;
  kind: RotationKind;
  /** What is rotated, e.g. `prod/ticket-triage`; a ledger for another target is not reused. */
  target: string;
  current?: VersionRecord;
  pending?: PendingRecord;
  previous?: VersionRecord & { retiredAt: string };
  lastRotatedAt?: string;
  lastAttempt?: { at: string; outcome: AttemptOutcome; message?: string };
  /** Ids of Dify keys / credentials this tool created (newest last, at most 50): clean-up candidates. */
  created: string[];
  /** Salt of the HMAC that turns a value into a version id. Not a secret on its own. */
  salt: string;
}

const MAX_CREATED = 50;

export class LedgerError extends DifyGitopsError {
  constructor(message: string) {
    super('E_ROTATION_LEDGER', message);
  }
}

export function ledgerPath(stateDir: string, secret: string): string {
  return join(stateDir, 'rotation', `${safeSegment(secret)}.json`);
}

export function describeTarget(secret: RotationSecret): string {
  if (secret.kind === 'appApiKey') return `${secret.environment}/${secret.app} API key`;
  if (secret.kind === 'envVar') return `${secret.environment}/${secret.app} env ${secret.variable}`;
  return `${secret.environment} provider ${secret.provider}`;
}

export function newLedgerEntry(secret: RotationSecret, salt: string = randomBytes(16).toString('hex')): LedgerEntry {
  return { schemaVersion: 1, secret: secret.name, kind: secret.kind, target: describeTarget(secret), created: [], salt };
}

/** The ledger of a secret, or undefined when it was never rotated. */
export async function readLedger(stateDir: string, secret: string): Promise<LedgerEntry | undefined> {
  const path = ledgerPath(stateDir, secret);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LedgerError(`cannot read the rotation ledger ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const entry = JSON.parse(text) as LedgerEntry;
    if (entry.schemaVersion !== 1 || typeof entry.salt !== 'string' || !Array.isArray(entry.created)) throw new Error('shape');
    return entry;
  } catch {
    throw new LedgerError(`the rotation ledger ${path} is damaged; move it aside to start the secret's history afresh`);
  }
}

/** The ledger to work on: the stored one when it is for the same target, else a new one. */
export function ledgerFor(secret: RotationSecret, stored: LedgerEntry | undefined): LedgerEntry {
  if (stored === undefined) return newLedgerEntry(secret);
  if (stored.kind === secret.kind && stored.target === describeTarget(secret)) return stored;
  if (stored.pending !== undefined) {
    throw new LedgerError(
      `rotation ${secret.name} changed target (${stored.target} → ${describeTarget(secret)}) while a rotation of the old target was at step ${stored.pending.step}; finish it with the old config or move the ledger aside`,
    );
  }
  return newLedgerEntry(secret);
}

export async function writeLedger(stateDir: string, entry: LedgerEntry): Promise<void> {
  await writeFileAtomic(ledgerPath(stateDir, entry.secret), `${JSON.stringify(entry, null, 2)}\n`);
}

/** A version id for a value: HMAC-SHA-256 under the ledger's salt, shortened. Never reversible to the value. */
export function valueVersionId(salt: string, value: string): string {
  return `hmac:${createHmac('sha256', salt).update(value, 'utf8').digest('hex').slice(0, 24)}`;
}

export function rememberCreated(entry: LedgerEntry, id: string): void {
  if (!entry.created.includes(id)) entry.created = [...entry.created, id].slice(-MAX_CREATED);
}

/** Moves the labels after a successful finish: pending → current → previous. */
export function promotePending(entry: LedgerEntry, at: Date): void {
  const pending = entry.pending;
  if (pending?.versionId === undefined) return;
  const now = at.toISOString();
  if (entry.current !== undefined) entry.previous = { ...entry.current, retiredAt: now };
  entry.current = { versionId: pending.versionId, createdAt: pending.startedAt };
  delete entry.pending;
  entry.lastRotatedAt = now;
  entry.lastAttempt = { at: now, outcome: 'rotated' };
}

/** Ends an attempt without promoting (rolled back, unchanged, failed before any change). */
export function closeAttempt(entry: LedgerEntry, at: Date, outcome: AttemptOutcome, message?: string): void {
  delete entry.pending;
  entry.lastAttempt = { at: at.toISOString(), outcome, ...(message === undefined ? {} : { message }) };
}
