// The effectful shell of rotation: read every ledger, plan what is due (pure), then rotate each due
// secret in turn under its locks — the secret's own, plus the app's apply lock for env vars (a
// rotation publishes the app) — resuming at the ledger's pending step. `rotate` (CLI) and `serve`
// both call rotateDue; serve passes wait: false and picks unfinished grace periods up on a later
// tick. One secret's failure never stops the others.

import { lockApp } from '../apply/lock-app.js';
import type { RotationSecret } from '../config/types.js';
import { errorMessage } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Lock } from '../state/lock.js';
import { rotateAppKey } from './app-key.js';
import { runSteps, type RotationDeps, type RotationOutcome, type RotationResult, type StepContext } from './context.js';
import { rotateEnvVar } from './env-var.js';
import { closeAttempt, ledgerFor, ledgerPath, readLedger, writeLedger, type LedgerEntry } from './ledger.js';
import { planRotation, type PlanRotationOptions, type RotationPlan } from './plan-rotation.js';
import { assertSameCredentialModel } from './provider-common.js';
import { PROVIDER_MULTI_STEPS } from './provider-multi.js';
import { PROVIDER_SINGLE_STEPS } from './provider-single.js';

export interface RotateDueOptions extends PlanRotationOptions {
  /** Plan only: nothing is read from Dify and nothing changes. */
  dryRun?: boolean;
}

export interface RotateDueReport {
  plan: RotationPlan;
  results: RotationResult[];
  exitCode: ExitCode;
}

const EXIT_OF: Record<RotationOutcome, ExitCode> = {
  rotated: ExitCode.Ok,
  waiting: ExitCode.Ok,
  unchanged: ExitCode.Ok,
  failed: ExitCode.Error,
  'rolled-back': ExitCode.RolledBack,
  'needs-human': ExitCode.NeedsHuman,
};

export async function loadLedgers(stateDir: string, secrets: readonly RotationSecret[]): Promise<Map<string, LedgerEntry | undefined>> {
  const ledgers = new Map<string, LedgerEntry | undefined>();
  for (const secret of secrets) ledgers.set(secret.name, await readLedger(stateDir, secret.name));
  return ledgers;
}

export async function rotateDue(deps: RotationDeps, options: RotateDueOptions = {}): Promise<RotateDueReport> {
  const secrets = deps.repo.rotations;
  const plan = planRotation(secrets, await loadLedgers(deps.stateDir, secrets), deps.now(), options);
  const results: RotationResult[] = [];
  if (options.dryRun !== true) {
    for (const due of plan.due) {
      deps.log(`${due.secret.name}: ${due.detail}`);
      results.push(await rotateOne(deps, due.secret, options));
    }
  }
  const exitCode = results.reduce<ExitCode>((worst, r) => (EXIT_OF[r.outcome] > worst ? EXIT_OF[r.outcome] : worst), ExitCode.Ok);
  return { plan, results, exitCode };
}

/** Rotates one secret (or resumes it) under its locks; never throws for a rotation failure. */
export async function rotateOne(deps: RotationDeps, secret: RotationSecret, options: PlanRotationOptions = {}): Promise<RotationResult> {
  const locks: Lock[] = [];
  const base = { secret: secret.name, kind: secret.kind, environment: secret.environment };
  let entry: LedgerEntry | undefined;
  const save = async (): Promise<void> => {
    if (entry !== undefined) await writeLedger(deps.stateDir, entry);
  };
  try {
    const lockOptions = { stateDir: deps.stateDir, environment: secret.environment, waitMs: deps.lockWaitMs, breakStale: deps.breakStaleLock, notice: deps.log };
    locks.push(await lockApp({ ...lockOptions, app: `rotation-${secret.name}`, purpose: `rotate ${secret.name}` }));
    if (secret.kind === 'envVar') locks.push(await lockApp({ ...lockOptions, app: secret.app, purpose: `rotate ${secret.name}` }));
    // Under the lock, the ledger may show that another run already did this window's work.
    const stored = await readLedger(deps.stateDir, secret.name);
    const replanned = planRotation([secret], new Map([[secret.name, stored]]), deps.now(), { ...options, environment: undefined, secrets: undefined });
    if (replanned.due.length === 0) return { ...base, outcome: 'unchanged', message: `another run rotated it meanwhile: ${replanned.skipped[0]?.detail ?? ''}`, currentVersion: stored?.current?.versionId };
    entry = ledgerFor(secret, stored);
    const client = await deps.connect(deps.repo.environments.find((e) => e.name === secret.environment)!);
    const ctx: StepContext<RotationSecret> = {
      secret,
      entry,
      client,
      deps,
      save,
      say: (message) => deps.log(`${secret.name}: ${message}`),
      renew: async () => {
        for (const lock of locks) await lock.renew();
      },
      memory: new Map(),
    };
    const result = await runKind(ctx);
    deps.log(`${secret.name}: ${result.outcome}: ${result.message}`);
    return result;
  } catch (error) {
    const message = deps.redactor.redact(errorMessage(error));
    if (entry !== undefined) {
      // Nothing was changed yet (no id learned, no create requested): close the attempt, so
      // the same window does not retry it. Otherwise keep the pending step for the next run.
      const p = entry.pending;
      const untouched = p !== undefined && p.step === 'create' && p.versionId === undefined && !('createRequestedAt' in p.data) && !('credentialName' in p.data);
      if (untouched || p === undefined) closeAttempt(entry, deps.now(), 'failed', message);
      else entry.lastAttempt = { at: deps.now().toISOString(), outcome: 'failed', message };
      await save().catch(() => undefined);
    }
    const next = entry?.pending === undefined ? '' : ` (the next run resumes at step ${entry.pending.step})`;
    deps.log(`${secret.name}: failed: ${message}${next}`);
    return { ...base, outcome: 'failed', message: `${message}${next}`, currentVersion: entry?.current?.versionId };
  } finally {
    for (const lock of locks.reverse()) await lock.release();
  }
}

async function runKind(ctx: StepContext<RotationSecret>): Promise<RotationResult> {
  const { secret } = ctx;
  if (secret.kind === 'appApiKey') return rotateAppKey(ctx as StepContext<typeof secret>);
  if (secret.kind === 'envVar') return rotateEnvVar(ctx as StepContext<typeof secret>);
  const info = await ctx.client.serverInfo();
  const multi = info.capabilities.multiCredentialProviders;
  assertSameCredentialModel(ctx.entry, multi, info.version.raw, ledgerPath(ctx.deps.stateDir, secret.name));
  const steps = multi ? PROVIDER_MULTI_STEPS : PROVIDER_SINGLE_STEPS;
  return runSteps(ctx as StepContext<typeof secret>, steps);
}
