// What a rotation run needs (passed in, no module state) and what each step of a kind receives.
// The step loop lives here too: each step of a kind returns the next step or the run's result;
// the loop writes the ledger after every step, so the ledger always names the step to run next.

import type { ConnectEnvironment } from '../apply/connect.js';
import { loadAppRegistry } from '../apply/app-registry.js';
import type { DesiredApp, LoadedRepository, RotationKind, RotationSecret } from '../config/types.js';
import type { DifyClient } from '../dify/index.js';
import { DifyGitopsError } from '../errors.js';
import type { GitHub } from '../github/client.js';
import { findTarget } from '../plan/find-target.js';
import type { Redactor } from '../secrets/redactor.js';
import type { LedgerEntry, RotationStep } from './ledger.js';

export type RotationOutcome = 'rotated' | 'rolled-back' | 'waiting' | 'unchanged' | 'failed' | 'needs-human';

export interface RotationResult {
  secret: string;
  kind: RotationKind;
  environment: string;
  outcome: RotationOutcome;
  /** One line, no secrets: what happened and what comes next. */
  message: string;
  /** The current version after the run (a key id, credential id or value HMAC). */
  currentVersion?: string | undefined;
}

export interface RotationHooks {
  /** Called after a step finished and the ledger was written; a test throws here to simulate a crash. */
  afterStep?(secret: string, step: RotationStep): void | Promise<void>;
}

export interface RotationDeps {
  repo: LoadedRepository;
  stateDir: string;
  connect: ConnectEnvironment;
  redactor: Redactor;
  /** Process environment: secret sources and sink tokens. */
  env: NodeJS.ProcessEnv;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Progress lines (never secrets; redacted again by the CLI). */
  log: (message: string) => void;
  /** Block through an app key's grace and quiet periods (CLI); false: leave `finish` for a later run (serve). */
  wait: boolean;
  /** How often an old key's last_used_at is read while waiting. */
  pollMs: number;
  github: (token: string) => GitHub | Promise<GitHub>;
  lockWaitMs: number;
  breakStaleLock: boolean;
  hooks?: RotationHooks | undefined;
}

export interface StepContext<S extends RotationSecret> {
  secret: S;
  entry: LedgerEntry;
  client: DifyClient;
  deps: RotationDeps;
  save(): Promise<void>;
  say(message: string): void;
  /** Extends the run's locks (long waits call it). */
  renew(): Promise<void>;
  /** Values held in memory for this run only (e.g. the value being replaced, for a rollback). */
  memory: Map<string, string>;
}

export type StepOutcome = { next: RotationStep } | { done: Omit<RotationResult, 'secret' | 'kind' | 'environment'> };

export type StepTable<S extends RotationSecret> = Record<RotationStep, (ctx: StepContext<S>) => Promise<StepOutcome>>;

export class RotationError extends DifyGitopsError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** Runs the steps from the ledger's pending step (a fresh attempt starts at `create`). */
export async function runSteps<S extends RotationSecret>(ctx: StepContext<S>, steps: StepTable<S>): Promise<RotationResult> {
  const { entry, secret } = ctx;
  if (entry.pending === undefined) {
    entry.pending = { step: 'create', startedAt: ctx.deps.now().toISOString(), data: {} };
    await ctx.save();
  }
  for (;;) {
    const pending = entry.pending;
    if (pending === undefined) throw new RotationError('E_INTERNAL', `rotation ${secret.name}: a step cleared the pending record without finishing`);
    const step = pending.step;
    const outcome = await steps[step](ctx);
    if ('done' in outcome) {
      await ctx.save();
      return { secret: secret.name, kind: secret.kind, environment: secret.environment, ...outcome.done };
    }
    pending.step = outcome.next;
    await ctx.save();
    await ctx.deps.hooks?.afterStep?.(secret.name, step);
  }
}

/** The Dify app id of a repository app in an environment (by id, adopted name, or as apply created it). */
export async function resolveAppId(deps: RotationDeps, client: DifyClient, environment: string, app: string): Promise<{ appId: string; desired: DesiredApp }> {
  const desired = deps.repo.desired.find((d) => d.environment === environment && d.name === app);
  if (desired === undefined) throw new RotationError('E_ROTATION_TARGET', `app ${app} does not deploy to environment ${environment}`);
  const match = findTarget(desired, await client.apps.list(), await loadAppRegistry(deps.stateDir, environment));
  if (match.kind === 'found') return { appId: match.summary.id, desired };
  const why = match.kind === 'absent' ? `app ${app} does not exist in environment ${environment} yet: run apply first` : match.message;
  throw new RotationError('E_ROTATION_TARGET', why);
}

/** Waits until `until` (epoch ms) in slices, renewing the locks, so a long grace period never loses them. */
export async function sleepUntil(ctx: StepContext<RotationSecret>, until: number): Promise<void> {
  for (;;) {
    const left = until - ctx.deps.now().getTime();
    if (left <= 0) return;
    await ctx.deps.sleep(Math.min(left, 60_000));
    await ctx.renew();
  }
}
